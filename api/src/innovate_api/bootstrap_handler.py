"""The roles' bootstrap on AWS: a Lambda behind a CloudFormation custom resource of the data stack (ADR 0158).

The master user's credentials never reach Kubernetes: this function, in the rotation functions' subnets and
security group, reads the master's, the migrator's and the application user's secrets from Secrets Manager and runs
the same ``bootstrap_roles`` as ``innovate-api bootstrap-roles`` (role_bootstrap.py). CDK's provider framework
answers CloudFormation; this handler only returns or raises.

- Create and Update (any property changed, including the hash of this code): bootstrap, idempotent.
- Delete: nothing. The roles own the app's schema and hold its grants; dropping them with the stack would take the
  data's ownership with it, and the database itself is retained and snapshotted on removal.
- Any failure raises one line naming what failed and never a secret's value: the provider framework gives that
  line to CloudFormation as the reason the resource failed (with a pointer to this function's log group).

boto3 comes with the Lambda runtime and is imported only when no client is given (the tests pass a fake one), so the
API does not depend on it. The endpoint is the instance's (resource properties ``Host``, ``Port``), TLS verify-full
against the runtime's trust store, as AWS's own rotation functions connect.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Protocol

from sqlalchemy import create_engine
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from innovate_api.role_bootstrap import bootstrap_roles
from innovate_api.secret_file import Credentials, parse_credentials

# The CA bundle of the Lambda runtime (Amazon Linux), which holds the RDS certificate authorities.
LAMBDA_TLS: Mapping[str, str] = {"sslmode": "verify-full", "sslrootcert": "/etc/pki/tls/cert.pem"}
PROPERTIES = ("MasterSecretArn", "MigratorSecretArn", "AppSecretArn", "Host", "Port", "DatabaseName")
CONNECT_TIMEOUT_SECONDS = 5

log = logging.getLogger("innovate_api.bootstrap")


class SecretsClient(Protocol):
    """The one Secrets Manager call used (boto3's client has it)."""

    def get_secret_value(self, *, SecretId: str) -> Mapping[str, Any]: ...  # noqa: N803 (boto3's parameter name)


class BootstrapError(Exception):
    """The bootstrap failed; the message is one line and holds no secret."""


def handler(
    event: Mapping[str, Any],
    context: object = None,
    *,
    secrets: SecretsClient | None = None,
    tls: Mapping[str, str] = LAMBDA_TLS,
) -> dict[str, Any]:
    """The custom resource's onEvent handler: the response the provider framework sends to CloudFormation."""
    logging.getLogger("innovate_api").setLevel(logging.INFO)
    request = event.get("RequestType")
    if request == "Delete":
        log.info("delete: the roles are kept (they own the schema and its grants)")
        return {"PhysicalResourceId": event["PhysicalResourceId"]}
    if request not in ("Create", "Update"):
        raise BootstrapError(f"roles bootstrap: unknown RequestType {request!r}")
    try:
        properties = _properties(event.get("ResourceProperties"))
        if secrets is None:
            import boto3  # in the Lambda runtime; not a dependency of the API

            secrets = boto3.client("secretsmanager")
        master = _credentials(secrets, properties, "MasterSecretArn")
        migrator = _credentials(secrets, properties, "MigratorSecretArn")
        app = _credentials(secrets, properties, "AppSecretArn")
        engine = create_engine(
            URL.create(
                "postgresql+psycopg",
                username=master.username,
                password=master.password,
                host=properties["Host"],
                port=_port(properties["Port"]),
                database=properties["DatabaseName"],
                query=dict(tls),
            ),
            poolclass=NullPool,
            connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "application_name": "innovate-roles-bootstrap"},
        )
        try:
            bootstrap_roles(engine, migrator=migrator, app=app)
        finally:
            engine.dispose()
    except Exception as error:  # CloudFormation shows this line as the reason: no stack trace, no secret
        raise BootstrapError(f"roles bootstrap: {_one_line(error)}") from None
    host, port, database = properties["Host"], properties["Port"], properties["DatabaseName"]
    return {"PhysicalResourceId": f"roles@{host}:{port}/{database}"}


def _properties(given: object) -> dict[str, str]:
    if not isinstance(given, Mapping):
        raise ValueError("no ResourceProperties")
    for name in PROPERTIES:
        if not isinstance(given.get(name), str | int) or not str(given[name]):
            raise ValueError(f"missing resource property {name!r}")
    return {name: str(given[name]) for name in PROPERTIES}


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError(f"resource property 'Port': not a port number: {text!r}")
    return int(text)


def _credentials(secrets: SecretsClient, properties: Mapping[str, str], name: str) -> Credentials:
    arn = properties[name]
    value = secrets.get_secret_value(SecretId=arn).get("SecretString")
    if not isinstance(value, str):
        raise ValueError(f"{name}: the secret {arn} has no SecretString")
    return parse_credentials(value, f"{name} {arn}")


def _one_line(error: Exception) -> str:
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__
