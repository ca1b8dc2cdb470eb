"""CPU per create-task inside one process: the API's WSGI app and the bare baseline's, called directly with the same
requests against the same real PostgreSQL (no HTTP server, no load generator), in alternating rounds.

It isolates what the app's layers cost per request from gunicorn, wrk and the machine's other load, which make the
wrk figures of ``make bench-api`` move from run to run; ADR 0096 uses it to size each change. The API verifies a
bearer access token on every request as it does when served (signed here by a key that exists only in this process,
its JWKS fed to the API's KeyCache from memory), and the projects belong to that token's user; the baseline verifies
nothing.
``cd api && uv run --frozen python -m tools.bench_inprocess [--requests N] [--rounds R] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import psycopg

from tools.processes import postgres, run_migrations

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


ISSUER = "https://issuer.bench/pool"
CLIENT_ID = "innovate-spa-bench"
OWNER = "bench-user"


def _signed_in() -> tuple[Any, str]:
    """The API's KeyCache (JWKS from memory) and a Cognito-shaped access token for OWNER, signed by a fresh key."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    from innovate_api.auth.keys import KeyCache

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks = {
        "keys": [{**jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True), "kid": "bench", "alg": "RS256"}]
    }
    documents = {f"{ISSUER}/.well-known/openid-configuration": {"issuer": ISSUER, "jwks_uri": f"{ISSUER}/jwks"}}
    documents[f"{ISSUER}/jwks"] = jwks
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": OWNER, "token_use": "access", "client_id": CLIENT_ID, "iat": now, "exp": now + 3600}
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "bench"})
    return KeyCache(ISSUER, fetch=documents.__getitem__), token


_TOKEN = ""


def _environ(project: str, n: int) -> dict[str, Any]:
    body = f'{{"title": "bench task {n}"}}'.encode()
    return {
        "HTTP_AUTHORIZATION": f"Bearer {_TOKEN}",
        "REQUEST_METHOD": "POST",
        "PATH_INFO": f"/api/v1/projects/{project}/tasks",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def _creates(app: WsgiApp, projects: list[str], requests: int) -> float:
    """Microseconds of this process's CPU per create."""
    statuses: list[str] = []

    def start_response(status: str, _headers: list[tuple[str, str]], _exc_info: Any = None) -> None:
        statuses.append(status)

    started = time.process_time()
    for n in range(requests):
        body = app(_environ(projects[n % len(projects)], n), start_response)
        b"".join(body)
        close = getattr(body, "close", None)
        if close is not None:
            close()
    elapsed = time.process_time() - started
    if not all(status.startswith("201") for status in statuses):
        raise RuntimeError(f"a create failed: {next(s for s in statuses if not s.startswith('201'))}")
    return elapsed / requests * 1e6


def _fresh_projects(url: str) -> list[str]:
    with psycopg.connect(url) as connection:
        return [
            str(row[0])
            for row in (
                connection.execute(
                    "INSERT INTO projects (id, name, owner_sub) VALUES (gen_random_uuid(), %s, %s) RETURNING id",
                    (f"bench {uuid.uuid4()}", OWNER),
                ).fetchone()
                for _ in range(8)
            )
            if row is not None
        ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="then print the API's cProfile (CPU time)")
    args = parser.parse_args()
    with postgres() as pg:
        url = pg.create_database("api_bench_inprocess")
        run_migrations(url)
        os.environ["DATABASE_URL"] = url  # the baseline reads it
        from innovate_api.app import create_app
        from innovate_api.observability.logging import configure_logging
        from innovate_api.settings import Settings
        from tools import bench_baseline

        configure_logging("INFO")  # one access line per request, as served; written to /dev/null
        with open(os.devnull, "w") as devnull:
            for handler in logging.getLogger().handlers:
                handler.setStream(devnull)  # type: ignore[attr-defined]
            global _TOKEN
            keys, _TOKEN = _signed_in()
            settings = Settings(database_url=url, auth_issuer=ISSUER, auth_client_id=CLIENT_ID)
            apps: dict[str, WsgiApp] = {"api": create_app(settings, auth_keys=keys), "bare": bench_baseline.app}
            for app in apps.values():
                _creates(app, _fresh_projects(url), 200)  # warm-up: pools, prepared statements, caches
            rounds: dict[str, list[float]] = {name: [] for name in apps}
            for _ in range(args.rounds):
                for name, app in apps.items():
                    rounds[name].append(_creates(app, _fresh_projects(url), args.requests))
            for name, figures in rounds.items():
                print(
                    f"{name:4}: µs CPU per create: min {min(figures):.0f}, median {statistics.median(figures):.0f}"
                    f" ({', '.join(f'{f:.0f}' for f in figures)})"
                )
            bare, api = min(rounds["bare"]), min(rounds["api"])
            print(f"the app's layers: {api - bare:.0f} µs per create (min over rounds); bare/API {bare / api:.2f}")
            if args.profile:
                profile = cProfile.Profile(time.process_time)
                projects = _fresh_projects(url)
                profile.runcall(_creates, apps["api"], projects, args.requests)
                stats = pstats.Stats(profile).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative"))
                stats.print_stats(40)
                if os.environ.get("BENCH_PROFILE_CALLERS"):
                    stats.print_callers(os.environ["BENCH_PROFILE_CALLERS"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
