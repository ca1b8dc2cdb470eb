"""/healthz, /readyz, /metrics and /api/version."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from pydantic import ValidationError
from sqlalchemy import Engine

from innovate_api.app import create_app
from innovate_api.db import create_db_engine
from innovate_api.settings import Settings
from tests.auth_tokens import TEST_AUTH, TestIssuer
from tests.conftest import Server, signed_in
from tools.processes import free_port


def test_healthz_does_not_need_the_database() -> None:
    settings = Settings(
        database_url=f"postgresql://u:p@127.0.0.1:{free_port()}/none", db_connect_timeout_seconds=1, **TEST_AUTH
    )
    client = create_app(settings, engine=create_db_engine(settings)).test_client()
    assert client.get("/healthz").status_code == 200
    readyz = client.get("/readyz")
    assert (readyz.status_code, readyz.get_json()["status"]) == (503, "database unavailable")


def test_readyz_when_ready(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ready"})


def test_readyz_is_503_on_a_database_that_was_never_migrated(pg_server: Server) -> None:
    settings = Settings(database_url=pg_server.create_database("api_unmigrated"), **TEST_AUTH)
    engine = create_db_engine(settings)
    try:
        response = create_app(settings, engine=engine).test_client().get("/readyz")
    finally:
        engine.dispose()
    assert response.status_code == 503
    assert response.get_json()["status"] == "database not migrated"


def test_readyz_is_503_while_draining(settings: Settings, engine: Engine, issuer: TestIssuer) -> None:
    client = signed_in(
        create_app(settings, engine=engine, draining=lambda: True, auth_keys=issuer.keys()), issuer.mint()
    )
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/projects").status_code == 200  # still serving while the load balancer reacts


def test_metrics_by_route_template_with_pool_gauges(client: FlaskClient) -> None:
    client.get("/api/v1/projects/00000000-0000-4000-8000-000000000000")
    client.get("/api/v1/projects")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'http_requests_total{method="GET",route="/api/v1/projects/<uuid:project_id>",status="404"}' in text
    assert 'http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/v1/projects"}' in text
    for gauge in ("db_pool_size", "db_pool_checked_out", "db_pool_connections"):
        assert f"\n{gauge} " in text


DIGEST = "sha256:" + "ab" * 32


def test_version_reports_the_image_digest_without_sign_in() -> None:
    settings = Settings(
        database_url=f"postgresql://u:p@127.0.0.1:{free_port()}/none", api_image_digest=DIGEST, **TEST_AUTH
    )
    response = create_app(settings, engine=create_db_engine(settings)).test_client().get("/api/version")
    assert (response.status_code, response.get_json()) == (200, {"digest": DIGEST})


def test_version_is_null_where_no_image_is_pinned(client: FlaskClient) -> None:
    assert client.get("/api/version").get_json() == {"digest": None}


def test_a_malformed_image_digest_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="api_image_digest"):
        Settings(database_url="postgresql://u:p@127.0.0.1:1/none", api_image_digest="latest", **TEST_AUTH)
