#!/usr/bin/env bash
# Installs everything the test suite needs (Python deps pinned by uv.lock and compiled to
# bytecode, Debian's chromium for the browser tests) and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
export UV_COMPILE_BYTECODE=1
command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet "uv>=0.5"
uv sync --frozen --extra test --compile-bytecode --quiet
uv run --frozen python -m compileall -q assistant ingest vectorstore ui >/dev/null
exec uv run --frozen pytest -q "$@"
