"""The API's settings: one typed object read from the environment and validated at start.

The database is given either as one ``DATABASE_URL`` (local system, tests) or as RDS-style parts: host, port, name
and a Secrets Manager-style JSON secret ``{"username": ..., "password": ...}`` with TLS ``verify-full`` against a
CA bundle, so the same code runs against RDS (requirement DB-1). No secret has a default.

The secret is either the value of ``DB_SECRET`` (read once, at start) or a file named by ``DB_SECRET_FILE`` (read
at every new database connection, see db.py, so a rotated password is picked up without a restart; ADR 0103). The
file's credentials also replace those of a ``DATABASE_URL``. Both are checked at start.
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Literal, Self
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url

from innovate_api.secret_file import Credentials, SecretFileError, read_credentials

SslMode = Literal["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]


class SettingsError(Exception):
    """Invalid settings; the message names the environment variable(s) and fits on one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=False, extra="ignore", frozen=True)

    # --- database: either DATABASE_URL, or the RDS-style parts below
    database_url: SecretStr | None = None
    db_host: str | None = None
    db_port: int = Field(5432, ge=1, le=65535)
    db_name: str | None = None
    db_secret: SecretStr | None = Field(None, description='Secrets Manager JSON: {"username": ..., "password": ...}')
    # The same JSON in a file (a mounted Kubernetes secret), read at every new connection.
    db_secret_file: Path | None = None
    # The application user's secret file: `innovate-api migrate` creates that role and grants it the app's tables.
    db_app_secret_file: Path | None = None
    # The migrator login's secret file: `innovate-api bootstrap-roles` creates that login as a member of the owner role.
    db_migrator_secret_file: Path | None = None
    db_sslmode: SslMode = "verify-full"
    db_sslrootcert: Path | None = None
    db_pool_size: int = Field(4, ge=1, le=100)
    db_pool_max_overflow: int = Field(2, ge=0, le=100)
    db_pool_timeout_seconds: float = Field(3.0, gt=0, le=60)
    # A pooled connection idle for longer than this is pinged before use (see db.py).
    db_pool_ping_idle_seconds: float = Field(1.0, ge=0, le=3600)
    # Connections older than this are replaced; a new connection reads DB_SECRET_FILE again (rotation follows).
    db_pool_recycle_seconds: int = Field(1800, ge=1, le=86_400)
    db_connect_timeout_seconds: int = Field(3, ge=1, le=60)
    db_statement_timeout_ms: int = Field(10_000, ge=100, le=600_000)

    # --- HTTP server
    api_bind: str = "127.0.0.1:8000"
    api_workers: int = Field(2, ge=1, le=64)
    api_threads: int = Field(4, ge=1, le=64)
    api_max_body_bytes: int = Field(64 * 1024, ge=1024, le=16 * 1024 * 1024)
    # After SIGTERM: readiness answers 503 and requests are still served for this long (so a load balancer can
    # take the pod out of rotation), then the listener closes and in-flight requests get the graceful timeout.
    api_drain_seconds: float = Field(5.0, ge=0, le=120)
    api_graceful_timeout_seconds: int = Field(25, ge=1, le=600)
    api_keepalive_seconds: int = Field(75, ge=0, le=600)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Share of root requests traced when tracing exports (config `observability.traceSampleRatio`, rendered into
    # TRACE_SAMPLE_RATIO); a caller's sampled `traceparent` is followed regardless (parent-based).
    trace_sample_ratio: float = Field(1.0, ge=0, le=1)
    # The digest of the image this pod runs (the render sets it from deploy/images.yaml): /api/version reports it,
    # so the delivery can tell when an environment serves a release (ADR 0097). Unset (locally): reported as null.
    api_image_digest: str | None = Field(None, pattern=r"^sha256:[0-9a-f]{64}$")

    # --- authentication (required to serve; `migrate` and the CronJob do not need them). No setting turns it off.
    # The token issuer exactly as in the tokens' `iss` (Cognito: https://cognito-idp.<region>.amazonaws.com/<pool>).
    auth_issuer: str | None = None
    # The SPA's app client id: access tokens must name it in `client_id` (or `aud`).
    auth_client_id: str | None = None
    # The issuer's JWKS; by default the `jwks_uri` of `<AUTH_ISSUER>/.well-known/openid-configuration`.
    auth_jwks_uri: str | None = None
    # The one user (a token `sub`) who may see projects without an owner: rows written by an image from before
    # authentication, e.g. by the previous release during the first authenticated canary (ADR 0127). Unset: nobody.
    auth_legacy_owner: str | None = None

    @model_validator(mode="after")
    def _auth_urls_are_safe(self) -> Self:
        if self.auth_issuer is not None:
            _check_auth_url("AUTH_ISSUER", self.auth_issuer)
            if self.auth_issuer.endswith("/"):
                raise ValueError("AUTH_ISSUER: no trailing slash (it must equal the tokens' iss claim)")
        if self.auth_jwks_uri is not None:
            _check_auth_url("AUTH_JWKS_URI", self.auth_jwks_uri)
        if self.auth_client_id is not None and not self.auth_client_id.strip():
            raise ValueError("AUTH_CLIENT_ID: must not be empty")
        return self

    def require_auth(self) -> tuple[str, str]:
        """(issuer, client id), or SettingsError naming what is missing: the API never serves without them."""
        missing = [name for name in ("auth_issuer", "auth_client_id") if getattr(self, name) is None]
        if missing:
            raise SettingsError(
                "invalid settings: " + " and ".join(n.upper() for n in missing) + " must be set to serve the API"
            )
        assert self.auth_issuer is not None
        assert self.auth_client_id is not None
        return self.auth_issuer, self.auth_client_id

    @model_validator(mode="after")
    def _database_is_configured(self) -> Self:
        if self.db_secret is not None and self.db_secret_file is not None:
            raise ValueError("set DB_SECRET or DB_SECRET_FILE, not both")
        # Fail at start, not at the first connection.
        if self.db_secret_file is not None:
            self.secret_file_credentials()
        if self.db_app_secret_file is not None:
            _checked_file("DB_APP_SECRET_FILE", self.db_app_secret_file)
        if self.db_migrator_secret_file is not None:
            _checked_file("DB_MIGRATOR_SECRET_FILE", self.db_migrator_secret_file)
        if self.database_url is not None:
            return self
        missing = [n.upper() for n in ("db_host", "db_name") if getattr(self, n) is None]
        if self.db_secret is None and self.db_secret_file is None:
            missing.append("DB_SECRET or DB_SECRET_FILE")
        if missing:
            raise ValueError(
                "set DATABASE_URL, or DB_HOST + DB_NAME + DB_SECRET (or DB_SECRET_FILE) (missing: "
                + ", ".join(missing)
                + ")"
            )
        if self.db_sslmode in ("verify-ca", "verify-full"):
            if self.db_sslrootcert is None:
                raise ValueError(f"DB_SSLROOTCERT is required with DB_SSLMODE={self.db_sslmode}")
            if not self.db_sslrootcert.is_file():
                raise ValueError(f"DB_SSLROOTCERT: no such file: {self.db_sslrootcert}")
        if self.db_secret is not None:
            self._secret_credentials()  # fail at start, not at the first request
        return self

    def secret_file_credentials(self) -> Credentials:
        """The credentials in DB_SECRET_FILE as they are now (ValueError naming DB_SECRET_FILE if unusable)."""
        assert self.db_secret_file is not None
        return _checked_file("DB_SECRET_FILE", self.db_secret_file)

    def app_secret_file_credentials(self) -> Credentials | None:
        """The application user's credentials in DB_APP_SECRET_FILE, or None when it is not set."""
        if self.db_app_secret_file is None:
            return None
        return _checked_file("DB_APP_SECRET_FILE", self.db_app_secret_file)

    def migrator_secret_file_credentials(self) -> Credentials | None:
        """The migrator login's credentials in DB_MIGRATOR_SECRET_FILE, or None when it is not set."""
        if self.db_migrator_secret_file is None:
            return None
        return _checked_file("DB_MIGRATOR_SECRET_FILE", self.db_migrator_secret_file)

    def _secret_credentials(self) -> tuple[str, str]:
        assert self.db_secret is not None
        try:
            secret = json.loads(self.db_secret.get_secret_value())
        except json.JSONDecodeError:
            raise ValueError("DB_SECRET: not valid JSON") from None
        if not isinstance(secret, dict):
            raise ValueError("DB_SECRET: must be a JSON object with username and password")
        for key in ("username", "password"):
            if not isinstance(secret.get(key), str) or not secret[key]:
                raise ValueError(f"DB_SECRET: missing string field {key!r}")
        return secret["username"], secret["password"]

    def sqlalchemy_url(self) -> URL:
        """The database URL for SQLAlchemy with the psycopg 3 driver.

        With DB_SECRET_FILE the URL carries no credentials: the engine reads them from the file at every new
        connection (db.py), so no copy taken at start can go stale.
        """
        if self.database_url is not None:
            url = make_url(self.database_url.get_secret_value())
            if url.get_backend_name() not in ("postgresql", "postgres"):
                raise SettingsError("DATABASE_URL: must be a postgresql:// URL")
            if self.db_secret_file is not None:
                url = url._replace(username=None, password=None)  # URL.set() cannot clear a field
            return url.set(drivername="postgresql+psycopg")
        username, password = self._secret_credentials() if self.db_secret is not None else (None, None)
        query: dict[str, str] = {"sslmode": self.db_sslmode}
        if self.db_sslrootcert is not None:
            query["sslrootcert"] = str(self.db_sslrootcert)
        return URL.create(
            "postgresql+psycopg",
            username=username,
            password=password,
            host=self.db_host,
            port=self.db_port,
            database=self.db_name,
            query=query,
        )


def _check_auth_url(variable: str, value: str) -> None:
    """https, or http to a loopback host (the local provider): tokens' keys must not come over plain networks."""
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname is not None:
        host = parts.hostname
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if loopback:
            return
    raise ValueError(f"{variable}: must be an https:// URL (http:// only on 127.0.0.1 or localhost), got {value!r}")


def _checked_file(variable: str, path: Path) -> Credentials:
    try:
        return read_credentials(path)
    except SecretFileError as error:
        raise ValueError(f"{variable}: {error}") from None


def load_settings(*, serving: bool = False) -> Settings:
    """Read and validate the settings, or raise SettingsError with a one-line message naming the variable.

    ``serving``: the settings are for the HTTP server, which also needs AUTH_ISSUER and AUTH_CLIENT_ID.
    """
    try:
        settings = Settings()
    except ValidationError as error:
        problems = []
        for e in error.errors():
            name = "_".join(str(part) for part in e["loc"]).upper()
            message = e["msg"].removeprefix("Value error, ")
            problems.append(f"{name}: {message}" if name else message)
        raise SettingsError("invalid settings: " + "; ".join(problems)) from None
    settings.sqlalchemy_url()
    if serving:
        settings.require_auth()
    return settings
