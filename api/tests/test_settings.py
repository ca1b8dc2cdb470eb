"""Settings: validated at start, errors name the variable, RDS-style parts with TLS verify-full."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from innovate_api.settings import SettingsError, load_settings

SECRET = json.dumps({"username": "app", "password": "s3cr3t/+@"})


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "DATABASE_URL",
        "DB_HOST",
        "DB_NAME",
        "DB_SECRET",
        "DB_SECRET_FILE",
        "DB_APP_SECRET_FILE",
        "DB_SSLMODE",
        "DB_SSLROOTCERT",
        "DB_PORT",
    ):
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
        (
            {},
            "set DATABASE_URL, or DB_HOST + DB_NAME + DB_SECRET (or DB_SECRET_FILE)"
            " (missing: DB_HOST, DB_NAME, DB_SECRET or DB_SECRET_FILE)",
        ),
        ({"DB_HOST": "h", "DB_NAME": "n"}, "missing: DB_SECRET or DB_SECRET_FILE"),
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


def test_rds_parts_with_a_secret_file_leave_the_credentials_out_of_the_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "credentials.json"
    # An RDS secret carries more than the credentials; the extra keys are ignored.
    secret.write_text(json.dumps({"engine": "postgres", "host": "x", "port": 5432, **json.loads(SECRET)}))
    monkeypatch.setenv("DB_HOST", "db.example.internal")
    monkeypatch.setenv("DB_NAME", "innovate")
    monkeypatch.setenv("DB_SECRET_FILE", str(secret))
    monkeypatch.setenv("DB_SSLMODE", "require")
    settings = load_settings()
    url = settings.sqlalchemy_url()
    # The engine reads the file at every new connection (tests/test_db_credentials.py): no copy in the URL.
    assert (url.username, url.password, url.host) == (None, None, "db.example.internal")
    assert settings.secret_file_credentials() == ("app", "s3cr3t/+@")
    assert "s3cr3t" not in repr(settings.secret_file_credentials())


def test_a_secret_file_replaces_the_credentials_of_database_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "credentials.json"
    secret.write_text(SECRET)
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone:else@127.0.0.1:5433/innovate")
    monkeypatch.setenv("DB_SECRET_FILE", str(secret))
    url = load_settings().sqlalchemy_url()
    assert (url.username, url.password, url.host, url.database) == (None, None, "127.0.0.1", "innovate")


@pytest.mark.parametrize("variable", ["DB_SECRET_FILE", "DB_APP_SECRET_FILE"])
@pytest.mark.parametrize(
    ("contents", "message"),
    [
        (None, "no such file: "),
        ("{", "not valid JSON: "),
        ('{"username": "app", "passw', "not valid JSON: "),  # caught while being rewritten
        ('["app", "s3cr3t"]', "must be a JSON object with username and password: "),
        ('{"username": "app"}', "missing string field 'password': "),
        ('{"username": "", "password": "s3cr3t"}', "missing string field 'username': "),
        ('{"username": "app", "password": 7}', "missing string field 'password': "),
        (b"\xff\xfe", "cannot read "),
    ],
)
def test_a_bad_secret_file_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str, contents: str | bytes | None, message: str
) -> None:
    secret = tmp_path / "credentials.json"
    if isinstance(contents, str):
        secret.write_text(contents)
    elif isinstance(contents, bytes):
        secret.write_bytes(contents)
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv(variable, str(secret))
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert f"{variable}: {message}{secret}" in str(raised.value)
    assert "\n" not in str(raised.value)
    assert "s3cr3t" not in str(raised.value)


def test_an_unreadable_secret_file_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("DB_SECRET_FILE", str(tmp_path))  # a directory: what a mount gone wrong can look like
    with pytest.raises(SettingsError, match=f"DB_SECRET_FILE: is a directory, not a file: {tmp_path}$"):
        load_settings()


def test_db_secret_and_db_secret_file_together_are_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "credentials.json"
    secret.write_text(SECRET)
    monkeypatch.setenv("DB_HOST", "h")
    monkeypatch.setenv("DB_NAME", "n")
    monkeypatch.setenv("DB_SSLMODE", "require")
    monkeypatch.setenv("DB_SECRET", SECRET)
    monkeypatch.setenv("DB_SECRET_FILE", str(secret))
    with pytest.raises(SettingsError, match="set DB_SECRET or DB_SECRET_FILE, not both"):
        load_settings()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("AUTH_ISSUER", "http://cognito.example.com/pool", "AUTH_ISSUER: must be an https:// URL"),
        ("AUTH_ISSUER", "https://issuer.example.com/pool/", "AUTH_ISSUER: no trailing slash"),
        ("AUTH_ISSUER", "issuer", "AUTH_ISSUER: must be an https:// URL"),
        ("AUTH_JWKS_URI", "http://10.0.0.1/jwks", "AUTH_JWKS_URI: must be an https:// URL"),
        ("AUTH_CLIENT_ID", " ", "AUTH_CLIENT_ID: must not be empty"),
    ],
)
def test_bad_auth_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db:5433/app")
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=message):
        load_settings()


def test_serving_requires_the_issuer_and_the_client_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db:5433/app")
    monkeypatch.delenv("AUTH_ISSUER", raising=False)
    monkeypatch.delenv("AUTH_CLIENT_ID", raising=False)
    load_settings()  # migrate and the purge CronJob need no issuer
    with pytest.raises(SettingsError, match="AUTH_ISSUER and AUTH_CLIENT_ID must be set to serve the API"):
        load_settings(serving=True)
    monkeypatch.setenv("AUTH_ISSUER", "http://127.0.0.1:9000")
    monkeypatch.setenv("AUTH_CLIENT_ID", "innovate-spa")
    assert load_settings(serving=True).require_auth() == ("http://127.0.0.1:9000", "innovate-spa")
