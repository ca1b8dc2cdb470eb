"""The roles' bootstrap as the data stack's custom resource runs it on AWS (bootstrap_handler.py, ADR 0158).

A PostgreSQL server of its own (roles are per server) with an RDS-like master: a CREATEROLE, CREATEDB login that owns
an empty application database, which is what the custom resource finds at stack creation. Secrets Manager is a fake
client holding the three secrets as RDS stores them; TLS is off because the local server has no certificate.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from innovate_api.bootstrap_handler import BootstrapError, handler
from innovate_api.owner_role import OWNER
from innovate_api.secret_file import Credentials
from tests.test_cli import run
from tools.processes import PostgresRunner, postgres

MASTER = Credentials("rds_master", "master-password")
MIGRATOR = Credentials("innovate_migrator", "migrator-password")
APP = Credentials("innovate_app", "app-password")
DATABASE = "rds_app"
ARNS = {
    "MasterSecretArn": "arn:aws:secretsmanager:eu-west-1:111111111111:secret:innovate-dev/database-AbCdEf",
    "MigratorSecretArn": "arn:aws:secretsmanager:eu-west-1:111111111111:secret:innovate-dev/database/migrator-AbCdEf",
    "AppSecretArn": "arn:aws:secretsmanager:eu-west-1:111111111111:secret:innovate-dev/database/app-AbCdEf",
}
NO_TLS = {"sslmode": "disable"}

# Roles, their attributes and memberships, who owns the schema, and the default privileges: what Update must keep.
CATALOG = """
SELECT 'role', rolname, rolcanlogin::text || rolsuper::text || rolcreaterole::text, '' FROM pg_roles
  WHERE rolname NOT LIKE 'pg\\_%'
UNION ALL
SELECT 'member', member::regrole::text, roleid::regrole::text, '' FROM pg_auth_members
UNION ALL
SELECT 'schema', nspname, nspowner::regrole::text, coalesce(nspacl::text, '') FROM pg_namespace WHERE nspname = 'public'
UNION ALL
SELECT 'default', defaclobjtype::text, defaclrole::regrole::text, defaclacl::text FROM pg_default_acl
ORDER BY 1, 2, 3, 4
"""


class FakeSecretsManager:
    """get_secret_value as boto3's client answers it; an unknown id raises as Secrets Manager would."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = dict(values)
        self.asked: list[str] = []

    def get_secret_value(self, *, SecretId: str) -> Mapping[str, Any]:  # noqa: N803
        self.asked.append(SecretId)
        if SecretId not in self.values:
            raise LookupError(f"ResourceNotFoundException: Secrets Manager can't find the specified secret {SecretId}")
        return {"ARN": SecretId, "SecretString": self.values[SecretId]}


def rds_secret(who: Credentials, server: PostgresRunner) -> str:
    """An attached RDS secret: the credentials plus host, port and engine (ignored by the bootstrap)."""
    url = make_url(server.url)
    return json.dumps(
        {"username": who.username, "password": who.password, "host": url.host, "port": url.port, "engine": "postgres"}
    )


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresRunner]:
    with postgres() as runner:
        with psycopg.connect(runner.url, autocommit=True) as admin:
            admin.execute(f"CREATE ROLE {MASTER.username} LOGIN CREATEROLE CREATEDB PASSWORD '{MASTER.password}'")
            admin.execute(f"CREATE DATABASE {DATABASE} OWNER {MASTER.username}")
        yield runner


def secrets_of(server: PostgresRunner, **override: str) -> FakeSecretsManager:
    values = {
        ARNS["MasterSecretArn"]: rds_secret(MASTER, server),
        ARNS["MigratorSecretArn"]: rds_secret(MIGRATOR, server),
        ARNS["AppSecretArn"]: rds_secret(APP, server),
    }
    return FakeSecretsManager(values | {ARNS[name]: value for name, value in override.items()})


def event(server: PostgresRunner, request: str, **properties: str) -> dict[str, Any]:
    url = make_url(server.url)
    given = {
        "ServiceToken": "arn:aws:lambda:eu-west-1:111111111111:function:framework-onEvent",
        **ARNS,
        "Host": url.host,
        "Port": str(url.port),
        "DatabaseName": DATABASE,
        "CodeHash": "0" * 64,
    }
    return {
        "RequestType": request,
        "ResourceProperties": given | properties,
        **({"PhysicalResourceId": f"roles@{url.host}:{url.port}/{DATABASE}"} if request != "Create" else {}),
    }


def catalog(server: PostgresRunner) -> list[tuple[object, ...]]:
    with psycopg.connect(server.database_url(DATABASE)) as connection:
        return connection.execute(CATALOG).fetchall()


def url_as(server: PostgresRunner, who: Credentials) -> str:
    return (
        make_url(server.database_url(DATABASE))
        .set(username=who.username, password=who.password)
        .render_as_string(hide_password=False)
    )


@pytest.fixture(scope="module")
def created(server: PostgresRunner) -> dict[str, Any]:
    secrets = secrets_of(server)
    response = handler(event(server, "Create"), None, secrets=secrets, tls=NO_TLS)
    assert sorted(secrets.asked) == sorted(ARNS.values())  # the three secrets, nothing else
    return response


def test_create_makes_the_owner_the_migrator_the_app_role_and_data_reader(
    server: PostgresRunner, created: dict[str, Any]
) -> None:
    url = make_url(server.url)
    assert created == {"PhysicalResourceId": f"roles@{url.host}:{url.port}/{DATABASE}"}
    rows = catalog(server)
    roles = {row[1]: row[2] for row in rows if row[0] == "role"}
    # login, superuser, createrole: only the master may create roles; the owner cannot log in.
    assert roles[OWNER] == "falsefalsefalse"
    assert roles[MIGRATOR.username] == "truefalsefalse"
    assert roles[APP.username] == "truefalsefalse"
    assert roles["data_reader"] == "truefalsefalse"
    assert ("member", MIGRATOR.username, OWNER, "") in rows
    assert next(row[:3] for row in rows if row[0] == "schema") == ("schema", "public", OWNER)


def test_the_logins_it_created_use_their_secrets_passwords_and_the_migrator_migrates(
    server: PostgresRunner, created: dict[str, Any], tmp_path: Path
) -> None:
    app_file = tmp_path / "app.json"
    app_file.write_text(json.dumps(APP._asdict()))
    result = run("migrate", DATABASE_URL=url_as(server, MIGRATOR), DB_APP_SECRET_FILE=str(app_file))
    assert result.returncode == 0, result.stderr
    with psycopg.connect(url_as(server, APP), autocommit=True) as app:
        app.execute("INSERT INTO projects (id, name) VALUES (gen_random_uuid(), 'first')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("DROP TABLE tasks")


def test_update_is_idempotent_and_never_resets_a_rotated_password(
    server: PostgresRunner, created: dict[str, Any]
) -> None:
    before = catalog(server)
    # After a rotation the secret may hold another password: the existing login keeps its own.
    rotated = json.dumps({"username": APP.username, "password": "rotated-elsewhere"})
    response = handler(
        event(server, "Update", CodeHash="1" * 64), None, secrets=secrets_of(server, AppSecretArn=rotated), tls=NO_TLS
    )
    assert response == created
    assert catalog(server) == before
    with psycopg.connect(url_as(server, APP)):
        pass


def test_delete_keeps_every_role(server: PostgresRunner, created: dict[str, Any]) -> None:
    before = catalog(server)
    secrets = FakeSecretsManager({})
    response = handler(event(server, "Delete"), None, secrets=secrets, tls=NO_TLS)
    assert response == created
    assert secrets.asked == []
    assert catalog(server) == before


@pytest.mark.parametrize(
    ("override", "properties", "expected"),
    [
        ({"MigratorSecretArn": "{not json"}, {}, f"not valid JSON: MigratorSecretArn {ARNS['MigratorSecretArn']}"),
        (
            {"AppSecretArn": json.dumps({"username": "innovate_app"})},
            {},
            f"missing string field 'password': AppSecretArn {ARNS['AppSecretArn']}",
        ),
        ({"MasterSecretArn": "[]"}, {}, "must be a JSON object with username and password: MasterSecretArn"),
        ({}, {"DatabaseName": ""}, "missing resource property 'DatabaseName'"),
        ({}, {"Port": "54x"}, "resource property 'Port': not a port number"),
        ({}, {"AppSecretArn": "arn:aws:secretsmanager:eu-west-1:111111111111:secret:gone"}, "can't find"),
        (
            {"MasterSecretArn": json.dumps({"username": MASTER.username, "password": "wrong-password"})},
            {},
            "password authentication failed",
        ),
    ],
)
def test_a_bad_secret_or_property_fails_in_one_line_without_the_secret(
    server: PostgresRunner, override: dict[str, str], properties: dict[str, str], expected: str
) -> None:
    with pytest.raises(BootstrapError) as raised:
        handler(event(server, "Create", **properties), None, secrets=secrets_of(server, **override), tls=NO_TLS)
    message = str(raised.value)
    assert message.startswith("roles bootstrap: ")
    assert expected in message
    assert "\n" not in message
    assert raised.value.__cause__ is None  # no chained stack trace
    assert raised.value.__suppress_context__
    for password in (MASTER.password, MIGRATOR.password, APP.password, "wrong-password"):
        assert password not in message
