"""``make lambda-assets``: the roles' bootstrap Lambda's code as a directory the CDK app packages (ADR 0158).

The directory holds the API modules ``innovate_api.bootstrap_handler`` imports, and the wheels of its third-party
imports (psycopg with its binary build, SQLAlchemy, and what they need) for the Lambda's platform: Linux arm64 and
the API's Python minor version, at exactly the versions api/uv.lock pins (its export is the constraints file).

- The import closure is read from a fresh interpreter that imports the handler; the build fails if it pulls in a
  module the Lambda must not carry (Flask, the settings, OpenTelemetry) or a third-party package not listed here.
- Deterministic: wheels only, no bytecode, no caches, files copied byte for byte, so the same sources and lock give
  the same files and the CDK asset hash does not move between two builds.
- The new directory replaces the old one only once complete, so a failed build never leaves half a directory.

Usage: python -m tools.bootstrap_asset OUTPUT_DIR
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import innovate_api

HANDLER = "innovate_api.bootstrap_handler"
# The Lambda's platform. The Python minor is the API's (its Dockerfile and requires-python); the CDK construct's
# runtime names the same one (infra/lib/constructs/database-roles-bootstrap.ts, a test compares them).
PYTHON_VERSION = "3.11"
PLATFORM = "aarch64-manylinux_2_28"
REQUIREMENTS = ("psycopg[binary]", "sqlalchemy")
# Top-level modules those requirements provide; anything else the handler imports (besides the standard library and
# innovate_api) is a dependency nobody packaged.
PACKAGED_MODULES = frozenset({"psycopg", "psycopg_binary", "sqlalchemy", "greenlet", "typing_extensions"})
FORBIDDEN = ("flask", "pydantic", "pydantic_settings", "opentelemetry", "innovate_api.settings", "innovate_api.db")
API_DIR = Path(innovate_api.__file__).resolve().parents[2]


class AssetError(Exception):
    """The asset cannot be built as asked; one line says why."""


def import_closure() -> dict[str, bool]:
    """Every module a fresh interpreter has loaded after importing the handler: whether it is an installed package's
    (its file is under site-packages; innovate_api is the project's own, installed editable from src/)."""
    script = (
        f"import json, sys, sysconfig, {HANDLER}\n"
        "roots = {sysconfig.get_paths()[key] for key in ('purelib', 'platlib')}\n"
        "print(json.dumps({name: any(str(getattr(module, '__file__', None) or '').startswith(root) for root in roots)"
        " for name, module in sys.modules.items()}))"
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out))


def check_closure(modules: dict[str, bool]) -> list[str]:
    """The innovate_api modules to copy; AssetError if a forbidden or unpackaged module is imported."""
    for name in modules:
        if any(name == f or name.startswith(f"{f}.") for f in FORBIDDEN):
            raise AssetError(f"{HANDLER} imports {name}, which the Lambda does not ship")
    third_party = {name.split(".")[0] for name, installed in modules.items() if installed} - {"innovate_api"}
    unpackaged = sorted(third_party - PACKAGED_MODULES)
    if unpackaged:
        raise AssetError(f"{HANDLER} imports {', '.join(unpackaged)}: add it to REQUIREMENTS and PACKAGED_MODULES")
    return sorted(name for name in modules if name == "innovate_api" or name.startswith("innovate_api."))


def source_file(module: str) -> Path:
    parts = module.split(".")
    package = API_DIR / "src" / Path(*parts) / "__init__.py"
    return package if package.is_file() else API_DIR / "src" / Path(*parts[:-1]) / f"{parts[-1]}.py"


def build(output: Path) -> None:
    modules = check_closure(import_closure())
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=f".{output.name}-") as scratch:
        work = Path(scratch)
        pins = work / "pins.txt"
        # Every version the API's lock pins (markers kept: uv evaluates them for the target platform).
        export = ["uv", "export", "--frozen", "--no-hashes", "--no-dev", "--no-emit-project", "--no-header"]
        pins.write_text(subprocess.run(export, cwd=API_DIR, check=True, capture_output=True, text=True).stdout)
        target = work / "asset"
        subprocess.run(
            ["uv", "pip", "install", "--quiet", "--target", str(target), "--python-platform", PLATFORM,
             "--python-version", PYTHON_VERSION, "--only-binary", ":all:", "--no-compile", "--constraint", str(pins),
             *REQUIREMENTS],
            cwd=API_DIR,
            check=True,
        )  # fmt: skip
        for module in modules:
            source = source_file(module)
            destination = target / source.relative_to(API_DIR / "src")
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
        for leftover in [*target.rglob("__pycache__"), *target.glob(".lock")]:
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        if output.exists():
            shutil.rmtree(output)
        target.rename(output)
    print(f"bootstrap asset: {len(modules)} API modules and {', '.join(REQUIREMENTS)} for {PLATFORM} in {output}")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    try:
        build(Path(argv[0]).resolve())
    except AssetError as error:
        print(f"bootstrap asset: {error}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as error:
        print(f"bootstrap asset: {' '.join(map(str, error.cmd[:3]))} failed (exit {error.returncode})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
