"""Shutdown: SIGTERM to gunicorn under steady load, with requests held in flight by a database lock.

What a Kubernetes rolling update needs: readiness turns 503 at once while requests are still served (drain), then
the listener closes and in-flight requests finish. No request accepted before the signal may fail.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
import pytest
import requests

from tests.auth_tokens import SignedIn, TestIssuer, api_env, served_issuer
from tests.conftest import Server
from tools.processes import ApiServer, run_migrations

pytestmark = pytest.mark.slow

DRAIN_SECONDS = 1.5
LOAD_THREADS = 4
HELD_REQUESTS = 3


@dataclass
class Outcome:
    started: float
    ended: float
    status: int | None  # None: no HTTP response
    error: str = ""


def test_sigterm_drains_then_finishes_in_flight_requests(
    pg_server: Server, report_figure: Callable[[str], None]
) -> None:
    url = pg_server.create_database("api_shutdown")
    run_migrations(url)
    with served_issuer() as issuer:
        _drain_scenario(url, issuer, report_figure)


def _drain_scenario(url: str, issuer: TestIssuer, report_figure: Callable[[str], None]) -> None:
    http = SignedIn(issuer.mint())
    env = {"API_DRAIN_SECONDS": str(DRAIN_SECONDS), "API_WORKERS": "2", "API_THREADS": "8", **api_env(issuer)}
    api = ApiServer(url, env=env)
    api.start()
    assert api.process is not None
    try:
        project = http.post(f"{api.base}/api/v1/projects", json={"name": "load"}, timeout=10).json()
        tasks_url = f"{api.base}/api/v1/projects/{project['id']}/tasks"
        outcomes: list[Outcome] = []
        lock = threading.Lock()
        stop = threading.Event()

        def record(started: float, status: int | None, error: str = "") -> None:
            with lock:
                outcomes.append(Outcome(started, time.monotonic(), status, error))

        def steady_load(n: int) -> None:
            i = 0
            while not stop.is_set():
                started = time.monotonic()
                try:
                    # a new connection per request: each request is either accepted or refused, never ambiguous
                    if i % 2:
                        response = http.get(tasks_url, params={"limit": 10}, timeout=30)
                    else:
                        response = http.get(f"{api.base}/api/v1/projects/{project['id']}", timeout=30)
                    record(started, response.status_code)
                except requests.RequestException as error:
                    record(started, None, type(error).__name__ + ": " + str(error)[:200])
                i += 1
                time.sleep(0.01)

        # Requests held in flight: a row lock on the project blocks task creation until we release it.
        holder = psycopg.connect(url)
        holder.execute("SELECT id FROM projects WHERE id = %s FOR UPDATE", (project["id"],))
        held: list[Outcome] = []

        def held_request() -> None:
            started = time.monotonic()
            try:
                response = http.post(tasks_url, json={"title": "held"}, timeout=60)
                outcome = Outcome(started, time.monotonic(), response.status_code)
            except requests.RequestException as error:
                outcome = Outcome(started, time.monotonic(), None, str(error)[:200])
            with lock:
                held.append(outcome)

        threads = [threading.Thread(target=steady_load, args=(n,)) for n in range(LOAD_THREADS)]
        threads += [threading.Thread(target=held_request) for _ in range(HELD_REQUESTS)]
        for thread in threads:
            thread.start()
        with psycopg.connect(url, autocommit=True) as observer:  # autocommit: a fresh pg_stat_activity each time
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                waiting = observer.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                ).fetchone()
                if waiting and waiting[0] >= HELD_REQUESTS:
                    break
                time.sleep(0.05)
            else:
                activity = observer.execute(
                    "SELECT state, wait_event_type, wait_event, left(query, 80) FROM pg_stat_activity"
                ).fetchall()
                pytest.fail(f"the held requests never reached the database: {activity} {held}")
        time.sleep(0.5)  # some steady load before the signal

        signal_at = time.monotonic()
        api.process.send_signal(signal.SIGTERM)
        readyz_503_after = None
        while time.monotonic() - signal_at < DRAIN_SECONDS:
            try:
                if requests.get(f"{api.base}/readyz", timeout=2).status_code == 503:
                    readyz_503_after = time.monotonic() - signal_at
                    break
            except requests.RequestException:
                pass
            time.sleep(0.02)

        time.sleep(DRAIN_SECONDS + 0.5)  # the listener is closed now; the held requests are still in flight
        assert api.process.poll() is None, "gunicorn exited with requests in flight"
        holder.commit()  # release the lock: the held requests complete
        holder.close()
        exit_code = api.process.wait(timeout=30)
        stopped_after = time.monotonic() - signal_at
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        api.stop()

    before = [o for o in outcomes if o.started < signal_at]
    after = [o for o in outcomes if o.started >= signal_at]
    served_after = [o for o in after if o.status is not None]
    errors_after = sorted({o.error.split(":")[0] for o in after if o.status is None})
    readyz_ms = readyz_503_after * 1000 if readyz_503_after is not None else float("nan")
    report_figure(
        f"shutdown: readyz 503 after {readyz_ms:.0f} ms; {len(before)} requests before SIGTERM, "
        f"{len(served_after)} served during drain, {len(after) - len(served_after)} refused after the listener "
        f"closed ({', '.join(errors_after)}); exit {exit_code} after {stopped_after:.2f}s"
    )
    assert readyz_503_after is not None, "readiness never turned 503 during the drain"
    assert readyz_503_after < 0.5, "readiness did not turn 503 at once"
    assert before, "no load before the signal"
    assert [o for o in before if o.status != 200] == [], "a request accepted before SIGTERM failed"
    assert [o.status for o in held] == [201] * HELD_REQUESTS, held
    assert served_after, "nothing was served during the drain period"
    assert all(o.status == 200 for o in served_after), "a request served after SIGTERM failed"
    # After the drain the listener closes: new connections are refused, and ones still in the kernel's accept queue
    # (never accepted by a worker) are reset. Neither is a request the server accepted.
    assert exit_code == 0
