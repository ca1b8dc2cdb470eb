"""Settings: validated at start, errors name the variable, RDS-style parts with TLS verify-full."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from innovate_api.settings import SettingsError, load_settings

SECRET = json.dumps({"username": "app", "password": "s3cr3t/+@"})


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "DB_HOST", "DB_NAME", "DB_SECRET", "DB_SSLMODE", "DB_SSLROOTCERT", "DB_PORT"):
        monkeypatch.delenv(name, raising=False)


def test_database_url_is_converted_to_the_psycopg_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db:5433/app")
    url = load_settings().sqlalchemy_url()
    assert (url.drivername, url.host, url.port, url.database) == ("postgresql+psycopg", "db", 5433, "app")


def test_rds_parts_with_verify_full(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    ca = tmp_path / "rds-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    monkeypatch.setenv("DB_HOST", "db.example.internal")
    monkeypatch.setenv("DB_NAME", "innovate")
    monkeypatch.setenv("DB_SECRET", SECRET)
    monkeypatch.setenv("DB_SSLROOTCERT", str(ca))
    settings = load_settings()
    url = settings.sqlalchemy_url()
    assert (url.username, url.password, url.host, url.port) == ("app", "s3cr3t/+@", "db.example.internal", 5432)
    assert url.query == {"sslmode": "verify-full", "sslrootcert": str(ca)}
    assert "s3cr3t" not in repr(settings)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "set DATABASE_URL, or DB_HOST + DB_NAME + DB_SECRET (missing: DB_HOST, DB_NAME, DB_SECRET)"),
        ({"DB_HOST": "h", "DB_NAME": "n"}, "missing: DB_SECRET"),
        (
            {"DB_HOST": "h", "DB_NAME": "n", "DB_SECRET": SECRET},
            "DB_SSLROOTCERT is required with DB_SSLMODE=verify-full",
        ),
        (
            {"DB_HOST": "h", "DB_NAME": "n", "DB_SECRET": SECRET, "DB_SSLROOTCERT": "/nope.pem"},
            "DB_SSLROOTCERT: no such file",
        ),
        ({"DB_HOST": "h", "DB_NAME": "n", "DB_SECRET": "{", "DB_SSLMODE": "require"}, "DB_SECRET: not valid JSON"),
        (
            {"DB_HOST": "h", "DB_NAME": "n", "DB_SECRET": '{"username": "u"}', "DB_SSLMODE": "require"},
            "DB_SECRET: missing string field 'password'",
        ),
        ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL: must be a postgresql:// URL"),
        ({"DATABASE_URL": "postgresql://u@h/db", "DB_PORT": "x"}, "DB_PORT: Input should be a valid integer"),
        (
            {"DATABASE_URL": "postgresql://u@h/db", "API_WORKERS": "0"},
            "API_WORKERS: Input should be greater than or equal to 1",
        ),
        ({"DATABASE_URL": "postgresql://u@h/db", "DB_SSLMODE": "maybe"}, "DB_SSLMODE: Input should be"),
    ],
)
def test_invalid_settings_name_the_variable(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert "s3cr3t" not in str(raised.value)
