"""Running the role and grant statements of ``migrate``: identifiers are composed and quoted by psycopg's sql module."""

from __future__ import annotations

from psycopg import sql
from sqlalchemy import Connection

from innovate_api.secret_file import Credentials


def run_statement(connection: Connection, statement: sql.Composable) -> None:
    """Run a statement composed with psycopg's sql module (identifiers quoted by the driver)."""
    driver = connection.connection.driver_connection
    assert driver is not None
    connection.exec_driver_sql(statement.as_string(driver))


def create_login_role(connection: Connection, credentials: Credentials) -> None:
    """CREATE ROLE … LOGIN with the secret's password, hashed here (SCRAM, or whatever the server's
    password_encryption asks for), so the plain password never reaches the server: not its log, not
    pg_stat_statements."""
    driver = connection.connection.driver_connection
    assert driver is not None
    verifier = driver.pgconn.encrypt_password(credentials.password.encode(), credentials.username.encode())
    run_statement(
        connection,
        sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(credentials.username), sql.Literal(verifier.decode())
        ),
    )
