"""``innovate-api serve``: gunicorn (gthread workers) with the shutdown a Kubernetes rolling update needs.

On SIGTERM the master does not close the listener at once. It first raises a flag shared with the workers, so
/readyz answers 503 while every other request is still served, for API_DRAIN_SECONDS (the time a load balancer
needs to take the pod out of rotation). Then gunicorn's own graceful stop runs: the listener closes and the workers
finish their in-flight requests within API_GRACEFUL_TIMEOUT_SECONDS. SIGINT/SIGQUIT still stop at once.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from typing import Any

from innovate_api.settings import Settings


def _prepare_metrics_dir() -> str:
    # Must happen before prometheus_client is imported anywhere in this process (its value class is chosen then).
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(prefix="innovate-api-metrics-")
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    return directory


def serve(load_settings: Callable[[], Settings]) -> int:
    metrics_dir = _prepare_metrics_dir()
    settings = load_settings()

    from gunicorn.app.base import BaseApplication
    from gunicorn.arbiter import Arbiter
    from gunicorn.glogging import Logger

    from innovate_api.observability.logging import configure_logging, json_handler

    configure_logging(settings.log_level)
    # The app's modules are imported once, here, before the fork: each worker then starts in well under a second
    # instead of importing Flask, SQLAlchemy, Alembic and OpenTelemetry again (about 2.5 s of CPU per worker). Only
    # modules: the app itself (engine, pool, tracing) is still created in each worker, in load() below. Metrics
    # defined at import are safe to fork: prometheus_client's multiprocess values follow the process id.
    import innovate_api.app  # noqa: F401

    # A byte of shared memory, created before the fork: 1 = draining. Workers read it in /readyz.
    draining = multiprocessing.RawValue(ctypes.c_bool, False)

    class DrainingArbiter(Arbiter):  # type: ignore[misc]
        drain_deadline: float | None = None

        def handle_term(self) -> None:
            if settings.api_drain_seconds <= 0:
                draining.value = True
                raise StopIteration
            if self.drain_deadline is None:
                self.log.info(
                    "SIGTERM: draining for %ss (readiness 503), then graceful stop", settings.api_drain_seconds
                )
                draining.value = True
                self.drain_deadline = time.monotonic() + settings.api_drain_seconds

        def murder_workers(self) -> None:
            # Called from the master loop at least once a second: the place to end the drain period.
            if self.drain_deadline is not None and time.monotonic() >= self.drain_deadline:
                raise StopIteration
            super().murder_workers()

    class JsonLogger(Logger):  # type: ignore[misc]
        """gunicorn's own messages (start, workers, signals) as JSON lines too."""

        def setup(self, cfg: Any) -> None:
            super().setup(cfg)
            self.error_log.handlers = [json_handler()]
            self.error_log.propagate = False

    def child_exit(_server: Any, worker: Any) -> None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {
                "bind": settings.api_bind,
                "workers": settings.api_workers,
                "threads": settings.api_threads,
                "worker_class": "gthread",
                "graceful_timeout": settings.api_graceful_timeout_seconds,
                "timeout": max(30, settings.db_statement_timeout_ms // 1000 + 10),
                "keepalive": settings.api_keepalive_seconds,
                "limit_request_line": 8190,  # the largest gunicorn allows; the API's own limits are smaller
                "accesslog": None,  # the app logs each request as JSON with its request id
                "errorlog": "-",
                "logger_class": JsonLogger,
                "loglevel": settings.log_level.lower(),
                "child_exit": child_exit,
                "proc_name": "innovate-api",
                "control_socket_disable": True,
            }
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            # Runs in each worker after the fork: engine, pool and tracing belong to the worker process.
            from innovate_api.app import create_app

            configure_logging(settings.log_level)
            return create_app(settings, draining=lambda: bool(draining.value))

        def run(self) -> None:
            DrainingArbiter(self).run()

    try:
        Server().run()
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0
