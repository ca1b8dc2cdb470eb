"""The image's build recipe: the RDS CA bundle, the API's database trust anchor, is pinned by content."""

import re
from pathlib import Path

DOCKERFILE = Path(__file__).resolve().parents[1] / "Dockerfile"
BUNDLE_PATH = "/etc/ssl/rds/global-bundle.pem"


def _instructions() -> list[str]:
    """Dockerfile instructions with line continuations joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _build_arg_default(name: str) -> str:
    for line in _instructions():
        match = re.fullmatch(rf"ARG {name}=(\S+)", line)
        if match:
            return match.group(1)
    raise AssertionError(f"ARG {name} with a default not found in {DOCKERFILE}")


def test_bundle_add_verifies_a_sha256_checksum() -> None:
    adds = [line for line in _instructions() if line.startswith("ADD ") and line.endswith(BUNDLE_PATH)]
    assert len(adds) == 1, f"expected one ADD of {BUNDLE_PATH}, found {adds}"
    assert "--checksum=sha256:${RDS_CA_BUNDLE_SHA256}" in adds[0].split(), adds[0]


def test_expected_hash_is_one_sha256_build_arg() -> None:
    # A hex digest of the right length: a typo or an empty default must not turn the check off.
    assert re.fullmatch(r"[0-9a-f]{64}", _build_arg_default("RDS_CA_BUNDLE_SHA256"))
