"""The roles' bootstrap Lambda ships only what its handler imports (tools/bootstrap_asset.py, ADR 0158)."""

from __future__ import annotations

import pytest

from tools.bootstrap_asset import AssetError, check_closure, import_closure


def test_the_handler_imports_no_flask_settings_or_telemetry_and_only_packaged_libraries() -> None:
    modules = check_closure(import_closure())
    assert "innovate_api.bootstrap_handler" in modules
    assert "innovate_api.role_bootstrap" in modules
    assert not {"innovate_api.settings", "innovate_api.db", "innovate_api.app"} & set(modules)


@pytest.mark.parametrize(
    ("imported", "expected"),
    [
        ({"flask": True}, "imports flask, which the Lambda does not ship"),
        ({"innovate_api.settings": False}, "imports innovate_api.settings"),
        ({"opentelemetry.trace": True}, "imports opentelemetry.trace"),
        ({"jwt": True}, "imports jwt: add it to REQUIREMENTS"),
    ],
)
def test_an_import_the_lambda_cannot_satisfy_fails_the_build(imported: dict[str, bool], expected: str) -> None:
    with pytest.raises(AssetError, match=expected):
        check_closure({"innovate_api": False, "sqlalchemy": True, **imported})
