"""The off-hours Jobs' command: one PATCH of the Rollout's scale, and in the morning only once the database answers."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from innovate_api import cli
from innovate_api.off_hours import KubernetesApi, OffHoursError, scale_rollout, wait_for_database
from tools.processes import free_port


class FakeKubernetes:
    """Records the requests the command sends; answers each with ``status``."""

    def __init__(self) -> None:
        self.requests: list[dict[str, object]] = []
        self.status = 200
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_PATCH(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fake.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers["Authorization"],
                        "content_type": self.headers["Content-Type"],
                        "body": json.loads(body),
                    }
                )
                self.send_response(fake.status)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *_: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"


@pytest.fixture
def kubernetes() -> Iterator[FakeKubernetes]:
    fake = FakeKubernetes()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    yield fake
    fake.server.shutdown()


def test_scale_patches_the_rollouts_scale_subresource_only(kubernetes: FakeKubernetes) -> None:
    scale_rollout(KubernetesApi(kubernetes.url, "token-1", "api"), "api", 0)
    assert kubernetes.requests == [
        {
            "path": "/apis/argoproj.io/v1alpha1/namespaces/api/rollouts/api/scale",
            "authorization": "Bearer token-1",
            "content_type": "application/merge-patch+json",
            "body": {"spec": {"replicas": 0}},
        }
    ]


def test_a_refused_patch_is_one_line_naming_the_status(kubernetes: FakeKubernetes) -> None:
    kubernetes.status = 403
    with pytest.raises(OffHoursError, match=r"^PATCH rollouts/api/scale: HTTP 403 Forbidden$"):
        scale_rollout(KubernetesApi(kubernetes.url, "t", "api"), "api", 1)


def test_in_cluster_reads_the_service_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.100.0.1")
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", "443")
    with pytest.raises(OffHoursError, match="no service account token"):
        KubernetesApi.in_cluster(tmp_path)
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST")
    with pytest.raises(OffHoursError, match="KUBERNETES_SERVICE_HOST is not set"):
        KubernetesApi.in_cluster(tmp_path)


def test_wait_returns_at_once_when_the_database_answers(engine: Engine) -> None:
    assert wait_for_database(engine, 5, sleep=lambda _: pytest.fail("must not wait")) == 1


def test_wait_gives_up_after_the_timeout_in_one_line() -> None:
    unreachable = create_engine(
        f"postgresql+psycopg://u:p@127.0.0.1:{free_port()}/x", connect_args={"connect_timeout": 1}
    )
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    with pytest.raises(OffHoursError, match=r"^database not reachable after 30 s \(4 attempts\): "):
        wait_for_database(unreachable, 30, clock=lambda: now[0], sleep=sleep)


def test_the_wake_command_does_not_scale_while_the_database_is_down(
    kubernetes: FakeKubernetes, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(KubernetesApi, "in_cluster", classmethod(lambda cls: KubernetesApi(kubernetes.url, "t", "api")))
    monkeypatch.setenv("DATABASE_URL", f"postgresql://u:p@127.0.0.1:{free_port()}/x")
    monkeypatch.setenv("DB_CONNECT_TIMEOUT_SECONDS", "1")
    for name in [n for n in os.environ if n.startswith("DB_") and n != "DB_CONNECT_TIMEOUT_SECONDS"]:
        monkeypatch.delenv(name)
    assert cli.main(["scale-api", "--replicas", "2", "--wait-for-database", "1"]) == 1
    assert kubernetes.requests == []
    assert capsys.readouterr().err.startswith("innovate-api scale-api: database not reachable after 1 s")


def test_the_wake_command_scales_once_the_database_answers(
    kubernetes: FakeKubernetes, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(KubernetesApi, "in_cluster", classmethod(lambda cls: KubernetesApi(kubernetes.url, "t", "api")))
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert cli.main(["scale-api", "--replicas", "2", "--wait-for-database", "30"]) == 0
    assert [r["body"] for r in kubernetes.requests] == [{"spec": {"replicas": 2}}]
