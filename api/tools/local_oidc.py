"""The local OpenID provider (``local/src/oidc/cli.ts``) for the contract run, the benchmark and tests, and a real
sign-in through it: the authorization-code flow with PKCE, its sign-in page driven with ``requests`` as a browser
would (form post, cookies, redirects), then the code exchanged at the token endpoint. Nothing is minted here: the
access token is the provider's, so the API is exercised exactly as behind ``make up``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import queue
import re
import secrets
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from tools.processes import REPO_ROOT

CLI = REPO_ROOT / "local" / "src" / "oidc" / "cli.ts"
SPA_CLIENT_ID = "innovate-spa"
SCOPES = "openid email"


@dataclass(frozen=True)
class User:
    sub: str
    email: str
    password: str


@dataclass(frozen=True)
class LocalProvider:
    issuer: str
    spa_origin: str
    users: tuple[User, ...]

    @property
    def client_id(self) -> str:
        return SPA_CLIENT_ID

    def api_env(self) -> dict[str, str]:
        """What an API process needs to verify this provider's tokens."""
        return {"AUTH_ISSUER": self.issuer, "AUTH_CLIENT_ID": SPA_CLIENT_ID}

    def access_token(self, user: int = 0) -> str:
        return sign_in(self, self.users[user])["access_token"]


def _pump(stream: object, lines: queue.Queue[str]) -> None:
    for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
        lines.put(line)


@contextmanager
def local_provider(
    spa_origin: str = "http://127.0.0.1:9", access_token_seconds: int = 3600, timeout: float = 30
) -> Iterator[LocalProvider]:
    """Start the provider (users file in a temporary folder) and stop it on exit."""
    with tempfile.TemporaryDirectory(prefix="innovate-oidc-") as tmp:
        users_file = Path(tmp) / "users.json"
        process = subprocess.Popen(
            [
                "node",
                "--import",
                "tsx",
                str(CLI),
                "--users-file",
                str(users_file),
                "--spa-origin",
                spa_origin,
                "--access-token-seconds",
                str(access_token_seconds),
            ],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=None if os.environ.get("OIDC_DEBUG") else subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        try:
            lines: queue.Queue[str] = queue.Queue()
            threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
            issuer = ""
            deadline = time.monotonic() + timeout
            while not issuer and time.monotonic() < deadline:
                try:
                    line = lines.get(timeout=0.1)
                except queue.Empty:
                    if process.poll() is not None:
                        raise RuntimeError(f"the OIDC provider exited with code {process.returncode}") from None
                    continue
                if line.startswith("ISSUER="):
                    issuer = line.strip().removeprefix("ISSUER=")
            if not issuer:
                raise RuntimeError("the OIDC provider did not print ISSUER= in time")
            raw = json.loads(users_file.read_text())["users"]
            users = tuple(User(u["sub"], u["email"], u["password"]) for u in raw)
            yield LocalProvider(issuer=issuer, spa_origin=spa_origin, users=users)
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


_FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


def sign_in(provider: LocalProvider, user: User, timeout: float = 10) -> dict[str, str]:
    """The SPA's sign-in, step by step; returns the token response (access_token, refresh_token, id_token, ...)."""
    discovery = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=timeout).json()
    redirect_uri = f"{provider.spa_origin}/auth/callback"
    verifier, challenge = _pkce_pair()
    state = secrets.token_urlsafe(16)
    browser = requests.Session()
    response = browser.get(
        discovery["authorization_endpoint"],
        params={
            "client_id": SPA_CLIENT_ID,
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "scope": SCOPES,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
        allow_redirects=False,
        timeout=timeout,
    )
    for _ in range(10):
        location = response.headers.get("Location")
        if response.status_code in (302, 303) and location:
            target = urljoin(response.url, location)
            if target.startswith(redirect_uri):
                query = parse_qs(urlsplit(target).query)
                if query.get("state") != [state] or "code" not in query:
                    raise RuntimeError(f"sign-in came back without a code: {query}")
                token = requests.post(
                    discovery["token_endpoint"],
                    data={
                        "grant_type": "authorization_code",
                        "code": query["code"][0],
                        "redirect_uri": redirect_uri,
                        "client_id": SPA_CLIENT_ID,
                        "code_verifier": verifier,
                    },
                    timeout=timeout,
                )
                token.raise_for_status()
                result: dict[str, str] = token.json()
                return result
            response = browser.get(target, allow_redirects=False, timeout=timeout)
            continue
        form = _FORM_ACTION.search(response.text) if response.status_code == 200 else None
        if form is None:
            raise RuntimeError(f"unexpected answer during sign-in: HTTP {response.status_code} at {response.url}")
        response = browser.post(
            urljoin(response.url, form.group(1)),
            data={"email": user.email, "password": user.password},
            allow_redirects=False,
            timeout=timeout,
        )
        if response.status_code == 401:
            raise RuntimeError(f"the provider refused {user.email}'s password")
    raise RuntimeError("sign-in did not reach the redirect URI within 10 steps")


if __name__ == "__main__":
    with local_provider() as provider:
        print(json.dumps(sign_in(provider, provider.users[0]), indent=2))
