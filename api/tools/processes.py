"""Real processes for tests, the contract run and the benchmark: the repo's PostgreSQL runner and the API server.

PostgreSQL comes from the local system's runner (``local/src/postgres/cli.ts``, embedded-postgres), so every test
runs against the same real server ``make up`` uses; ``INNOVATE_TEST_DATABASE_URL`` points the tests at an existing
server instead (then the fault test, which restarts PostgreSQL, is skipped).
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

API_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = API_DIR.parent
RUNNER = REPO_ROOT / "local" / "src" / "postgres" / "cli.ts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _pump(stream: object, lines: queue.Queue[str]) -> None:
    for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
        lines.put(line)


@dataclass
class PostgresRunner:
    """One PostgreSQL server started by the repo's runner; restartable on the same port and data directory."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[str] | None = None
    url: str = ""

    def start(self, timeout: float = 60) -> float:
        """Start and wait for the DATABASE_URL line; returns the monotonic time it was ready."""
        self.process = subprocess.Popen(
            [
                # One node process (not npx → tsx → node), so SIGTERM reaches the runner itself.
                "node",
                "--import",
                "tsx",
                str(RUNNER),
                "--data-dir",
                str(self.data_dir),
                "--port",
                str(self.port),
                "--no-fsync",
                "--quiet",
            ],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_pump, args=(self.process.stdout, lines), daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.1)
            except queue.Empty:
                line = ""
            if not line:
                if self.process.poll() is not None:
                    raise RuntimeError(f"postgres runner exited: {self.process.stderr.read()}")  # type: ignore[union-attr]
                continue
            if line.startswith("DATABASE_URL="):
                self.url = line.strip().removeprefix("DATABASE_URL=")
                return time.monotonic()
        self.stop()
        raise RuntimeError("postgres runner did not print DATABASE_URL in time")

    def stop(self, timeout: float = 30) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def database_url(self, name: str) -> str:
        return self.url.rsplit("/", 1)[0] + "/" + name

    def create_database(self, name: str, template: str | None = None) -> str:
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.database_url(name)


@contextmanager
def postgres(data_dir: Path | None = None) -> Iterator[PostgresRunner]:
    with tempfile.TemporaryDirectory(prefix="innovate-api-pg-") as tmp:
        # The runner runs postgres as an unprivileged user: its parent folder must be reachable.
        os.chmod(tmp, 0o777)
        runner = PostgresRunner(data_dir=data_dir or Path(tmp) / "data")
        runner.start()
        try:
            yield runner
        finally:
            runner.stop()


def run_migrations(database_url: str) -> None:
    subprocess.run(
        [str(API_DIR / ".venv" / "bin" / "innovate-api"), "migrate"],
        env={**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"},
        check=True,
        stdout=subprocess.DEVNULL,
    )


@dataclass
class ApiServer:
    """``innovate-api serve`` (gunicorn) as a child process."""

    database_url: str
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> None:
        log = tempfile.NamedTemporaryFile(prefix="innovate-api-", suffix=".log", delete=False)  # noqa: SIM115
        self.log_path = Path(log.name)
        self.process = subprocess.Popen(
            [str(API_DIR / ".venv" / "bin" / "innovate-api"), "serve"],
            env={
                **os.environ,
                "DATABASE_URL": self.database_url,
                "API_BIND": f"127.0.0.1:{self.port}",
                "LOG_LEVEL": "WARNING",
                **self.env,
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"API exited at start: {self.log_path.read_text()[-2000:]}")
            try:
                if requests.get(self.base + "/readyz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()  # never leave a half-started server behind
        raise RuntimeError("API not ready in time")

    def stop(self, timeout: float = 60) -> int:
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@contextmanager
def api_server(database_url: str, **env: str) -> Iterator[ApiServer]:
    server = ApiServer(database_url, env=env)
    server.start()
    try:
        yield server
    finally:
        server.stop()
