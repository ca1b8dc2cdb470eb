"""Database credentials from a mounted JSON file, read again whenever they are needed.

On Kubernetes the database secret is a volume: when rotation changes the secret, the kubelet swaps the file's contents
(an atomic symlink flip), so a process that reads the file at connect time follows the rotation without a restart.
The file is a Secrets Manager-style JSON object; only ``username`` and ``password`` are read (RDS secrets also carry
host, port, engine and more, which are ignored). The roles' bootstrap in AWS reads the same JSON straight from
Secrets Manager (bootstrap_handler.py) and parses it here too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple


class SecretFileError(Exception):
    """The file cannot be used; the message says why in a few words and never contains the file's contents."""


class Credentials(NamedTuple):
    username: str
    password: str

    def __repr__(self) -> str:  # never print the password (tracebacks, logs)
        return f"Credentials(username={self.username!r}, password='**********')"


def read_credentials(path: Path) -> Credentials:
    """The username and password in ``path``, or SecretFileError (missing, unreadable, not JSON, missing fields)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SecretFileError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise SecretFileError(f"is a directory, not a file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SecretFileError(f"cannot read {path}: {type(error).__name__}") from None
    return parse_credentials(text, str(path))


def parse_credentials(text: str, source: str) -> Credentials:
    """The username and password in a secret's JSON text, or SecretFileError naming ``source`` (never the text)."""
    try:
        secret = json.loads(text)
    except json.JSONDecodeError:
        # Also what a reader sees while a writer that does not replace atomically is half-way through.
        raise SecretFileError(f"not valid JSON: {source}") from None
    if not isinstance(secret, dict):
        raise SecretFileError(f"must be a JSON object with username and password: {source}")
    for key in ("username", "password"):
        if not isinstance(secret.get(key), str) or not secret[key]:
            raise SecretFileError(f"missing string field {key!r}: {source}")
    return Credentials(secret["username"], secret["password"])
