"""``innovate-api``: bootstrap-roles | migrate | openapi | serve | purge-idempotency-keys | scale-api.

Bad settings → one line on stderr naming the variable, exit 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from innovate_api.settings import Settings


def _settings(*, serving: bool = False) -> Settings:
    from innovate_api.settings import SettingsError, load_settings

    try:
        return load_settings(serving=serving)
    except SettingsError as error:
        print(f"innovate-api: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def _one_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _migrate(args: argparse.Namespace) -> int:
    # Only what a migration needs: Flask and OpenTelemetry (the server's) stay unimported, a third of a warm
    # `make up`'s migrate start was importing them.
    from innovate_api import migrate
    from innovate_api.db import DatabaseUnreachableError, create_db_engine, wait_for_database
    from innovate_api.observability.logging import configure_logging

    settings = _settings()
    configure_logging(settings.log_level, serving=False)
    engine = create_db_engine(settings)
    try:
        if args.wait_for_database:
            # `make up` starts migrate beside PostgreSQL, so that this process imports while the server starts.
            attempts = wait_for_database(engine, args.wait_for_database, interval_seconds=0.05)
            logging.getLogger("innovate_api.migrate").info("database reachable after %d attempt(s)", attempts)
        if args.down:
            migrate.downgrade(engine, args.down)
        else:
            migrate.upgrade(engine)
            _ensure_app_role(settings, engine)
            _ensure_data_reader(engine)
    except DatabaseUnreachableError as error:
        print(f"innovate-api migrate: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a failed migration must say why in one line, not a stack trace
        print(f"innovate-api migrate: {_one_line(error)}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def _bootstrap_roles(_: argparse.Namespace) -> int:
    from innovate_api.db import create_db_engine
    from innovate_api.observability.logging import configure_logging
    from innovate_api.role_bootstrap import bootstrap_roles

    settings = _settings()
    configure_logging(settings.log_level, serving=False)
    engine = create_db_engine(settings)
    try:
        bootstrap_roles(
            engine,
            migrator=settings.migrator_secret_file_credentials(),
            app=settings.app_secret_file_credentials(),
        )
    except Exception as error:  # one line, as migrate
        print(f"innovate-api bootstrap-roles: {_one_line(error)}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def _ensure_app_role(settings: Settings, engine: Engine) -> None:
    """With DB_APP_SECRET_FILE: the application's role exists and holds its grants (ADR 0103)."""
    from innovate_api.app_role import ensure_app_role

    credentials = settings.app_secret_file_credentials()
    if credentials is None:
        return
    created = ensure_app_role(engine, credentials)
    logging.getLogger("innovate_api.migrate").info(
        "application role %s %s", credentials.username, "created" if created else "already there: grants applied"
    )


def _ensure_data_reader(engine: Engine) -> None:
    """The read-only role people use through the prod-data-access permission set (data_reader.py)."""
    from innovate_api.data_reader import ROLE, ensure_data_reader

    created = ensure_data_reader(engine)
    logging.getLogger("innovate_api.migrate").info("%s role %s", ROLE, "created" if created else "grants applied")


def _purge_idempotency_keys(args: argparse.Namespace) -> int:
    from innovate_api.db import create_db_engine
    from innovate_api.http.idempotency import purge_expired
    from innovate_api.observability.logging import configure_logging

    settings = _settings()
    configure_logging(settings.log_level, serving=False)
    engine = create_db_engine(settings)
    try:
        deleted = purge_expired(engine, args.batch_size)
    except Exception as error:  # a scheduled job's failure must say why in one line (the job retries)
        print(f"innovate-api purge-idempotency-keys: {_one_line(error)}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    logging.getLogger("innovate_api.purge").info(
        "deleted %d expired idempotency keys", deleted, extra={"deleted": deleted}
    )
    return 0


def _scale_api(args: argparse.Namespace) -> int:
    from innovate_api.observability.logging import configure_logging
    from innovate_api.off_hours import KubernetesApi, OffHoursError, scale_rollout, wait_for_database

    # JSON logs like the other commands; the night Job has no database settings to read the level from.
    configure_logging("INFO", serving=False)
    log = logging.getLogger("innovate_api.off_hours")
    try:
        api = KubernetesApi.in_cluster()
        if args.wait_for_database:
            from innovate_api.db import create_db_engine

            settings = _settings()
            configure_logging(settings.log_level, serving=False)
            engine = create_db_engine(settings)
            try:
                attempts = wait_for_database(engine, args.wait_for_database)
            finally:
                engine.dispose()
            log.info("database reachable after %d attempt(s)", attempts)
        scale_rollout(api, args.rollout, args.replicas)
    except OffHoursError as error:  # a scheduled job's failure must say why in one line (the job retries)
        print(f"innovate-api scale-api: {error}", file=sys.stderr)
        return 1
    log.info("rollout %s scaled to %d", args.rollout, args.replicas)
    return 0


def _whole(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {text!r}")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {text!r}")
    return int(text)


def _openapi(_: argparse.Namespace) -> int:
    from innovate_api.openapi import build_document

    try:
        sys.stdout.write(json.dumps(build_document(), indent=2) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into head
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _serve(_: argparse.Namespace) -> int:
    # The server module sets PROMETHEUS_MULTIPROC_DIR before anything imports prometheus_client.
    from innovate_api.server import serve

    return serve(lambda: _settings(serving=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="innovate-api", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "bootstrap-roles",
        help="as the master user: the owner role owns the schema and its objects; with DB_MIGRATOR_SECRET_FILE and "
        "DB_APP_SECRET_FILE, the migrator and application logins exist; data_reader exists (idempotent)",
    ).set_defaults(run=_bootstrap_roles)
    migrate = commands.add_parser(
        "migrate",
        help="apply the database migrations (alembic upgrade head); with DB_APP_SECRET_FILE, then the app's role",
    )
    migrate.add_argument("--down", metavar="REVISION", help="downgrade to REVISION instead (e.g. base)")
    migrate.add_argument(
        "--wait-for-database",
        type=_positive,
        metavar="SECONDS",
        help="retry connecting for up to SECONDS first (for a server that is still starting)",
    )
    migrate.set_defaults(run=_migrate)
    commands.add_parser("openapi", help="print the OpenAPI 3.1 document (no database needed)").set_defaults(
        run=_openapi
    )
    commands.add_parser("serve", help="run the API under gunicorn (API_BIND, API_WORKERS, ...)").set_defaults(
        run=_serve
    )
    purge = commands.add_parser(
        "purge-idempotency-keys", help="delete Idempotency-Keys past their 24 h lifetime (run on a schedule)"
    )
    purge.add_argument("--batch-size", type=_positive, default=5_000, help="rows per transaction (default 5000)")
    purge.set_defaults(run=_purge_idempotency_keys)
    scale = commands.add_parser(
        "scale-api",
        help="off-hours schedule: set the API Rollout's replicas in this namespace (inside the cluster); with "
        "--wait-for-database, only once the database accepts connections",
    )
    scale.add_argument("--replicas", type=_whole, required=True, help="0 at night; the HPA's minimum in the morning")
    scale.add_argument("--rollout", default="api", help="the Rollout's name (default api)")
    scale.add_argument(
        "--wait-for-database", type=_positive, metavar="SECONDS", help="wait up to SECONDS for SELECT 1 first"
    )
    scale.set_defaults(run=_scale_api)
    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
