#!/usr/bin/env bash
# Generates the SPA's API client into folder $1: the OpenAPI document from the API's code (`innovate-api openapi`,
# no database needed), then the TypeScript types from that document. `make web-client` writes the committed files;
# `make check-web-client` generates into a temp folder and compares.
set -euo pipefail
out=$(cd "${1:?usage: generate-client.sh <output folder>}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
# uv from PATH (make puts .tools/bin there), else the one `make deps-python` installs.
uv=$(command -v uv || echo "$root/.tools/bin/uv")
(cd "$root/api" && "$uv" run --frozen --quiet innovate-api openapi) >"$out/openapi.json"
# --default-non-nullable=false: a request field with a default stays optional in the types.
"$root/node_modules/.bin/openapi-typescript" "$out/openapi.json" --default-non-nullable=false --silent -o "$out/schema.ts"
