"""Fault: PostgreSQL restarts while clients write tasks with Idempotency-Keys and retry.

Afterwards every acknowledged write exists exactly once (and no key ever produced two rows), the API answered only
201 or 503 (+Retry-After) meanwhile, its processes neither crashed nor wedged, and it served writes again within
5 s of PostgreSQL being back. The recovery time is printed.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
import requests

from tests.auth_tokens import SignedIn, api_env, served_issuer
from tools.processes import ApiServer, PostgresRunner, run_migrations

WRITERS = 4
OUTAGE_SECONDS = 1.5
RECOVERY_LIMIT_SECONDS = 5.0

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        bool(os.environ.get("INNOVATE_TEST_DATABASE_URL")), reason="restarts its own PostgreSQL (runner only)"
    ),
]


def test_writes_survive_a_database_restart_exactly_once(report_figure: Callable[[str], None]) -> None:
    with tempfile.TemporaryDirectory(prefix="innovate-api-fault-") as tmp, served_issuer() as issuer:
        os.chmod(tmp, 0o777)
        pg = PostgresRunner(data_dir=Path(tmp) / "data")
        pg.start()
        api = ApiServer(
            pg.url,
            env={
                "API_DRAIN_SECONDS": "0",
                "API_WORKERS": "2",
                "API_THREADS": "4",
                "DB_CONNECT_TIMEOUT_SECONDS": "2",
                "DB_POOL_TIMEOUT_SECONDS": "2",
                **api_env(issuer),
            },
        )
        try:
            run_migrations(pg.url)
            api.start()
            _run_scenario(pg, api, SignedIn(issuer.mint()), report_figure)
        finally:
            api.stop()
            pg.stop()


def _run_scenario(pg: PostgresRunner, api: ApiServer, http: SignedIn, report_figure: Callable[[str], None]) -> None:
    assert api.process is not None
    project = http.post(f"{api.base}/api/v1/projects", json={"name": "fault"}, timeout=10).json()
    url = f"{api.base}/api/v1/projects/{project['id']}/tasks"
    acknowledged: list[str] = []
    attempted: list[str] = []
    successes: list[float] = []
    unexpected: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            key = str(uuid.uuid4())
            with lock:
                attempted.append(key)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:  # retry the same key until acknowledged
                try:
                    response = http.post(url, json={"title": key}, headers={"Idempotency-Key": key}, timeout=15)
                except requests.RequestException as error:
                    with lock:
                        unexpected.append(f"{type(error).__name__}: {error}")
                    time.sleep(0.2)
                    continue
                if response.status_code == 201:
                    assert response.json()["title"] == key
                    with lock:
                        acknowledged.append(key)
                        successes.append(time.monotonic())
                    break
                if response.status_code == 503 and response.headers.get("Retry-After"):
                    time.sleep(0.1)  # shorter than Retry-After: we want to see recovery promptly
                    continue
                with lock:
                    unexpected.append(f"{response.status_code}: {response.text[:200]}")
                time.sleep(0.2)

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    before_outage = len(acknowledged)

    down_at = time.monotonic()
    pg.stop()  # SIGTERM to the runner: fast shutdown, in-flight transactions are cut
    time.sleep(OUTAGE_SECONDS)
    during_outage = len(acknowledged)
    back_at = pg.start()
    deadline = back_at + 15
    while time.monotonic() < deadline and not any(t > back_at for t in successes):
        time.sleep(0.02)
    recovered = [t for t in successes if t > back_at]
    recovery = (min(recovered) - back_at) if recovered else float("inf")
    time.sleep(1.0)  # keep writing after the recovery
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    with psycopg.connect(pg.url) as connection:
        rows = connection.execute(
            "SELECT title, count(*) FROM tasks WHERE project_id = %s GROUP BY title", (project["id"],)
        ).fetchall()
        positions = [
            r[0]
            for r in connection.execute(
                "SELECT position FROM tasks WHERE project_id = %s ORDER BY position", (project["id"],)
            )
        ]
    counts = dict(rows)
    log = api.log_path.read_text() if api.log_path else ""
    report_figure(
        f"fault: {len(acknowledged)} writes acknowledged ({before_outage} before the restart, "
        f"{during_outage - before_outage} while PostgreSQL was stopping); PostgreSQL down for "
        f"{back_at - down_at:.2f}s; API served writes again {recovery:.2f}s after PostgreSQL was back"
    )
    assert api.process.poll() is None, "the API process died"
    assert "WORKER TIMEOUT" not in log, "a worker wedged and was killed"
    assert unexpected == [], f"responses other than 201/503+Retry-After: {unexpected[:5]}"
    assert acknowledged, "nothing was written"
    assert len(acknowledged) > during_outage, "nothing was written after the restart"
    assert [k for k in acknowledged if counts.get(k) != 1] == [], "an acknowledged write is missing or duplicated"
    assert all(count == 1 for count in counts.values()), "an idempotency key produced two rows"
    assert set(counts) <= set(attempted)
    assert positions == list(range(len(positions)))
    assert recovery < RECOVERY_LIMIT_SECONDS, f"API served again only after {recovery:.2f}s"
    assert requests.get(f"{api.base}/readyz", timeout=5).status_code == 200
