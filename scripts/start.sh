#!/usr/bin/env bash
# Installs the project (Python deps pinned by uv.lock) and starts the chat UI on the bundled
# articles, offline, no key needed: http://127.0.0.1:7860
set -euo pipefail
cd "$(dirname "$0")/.."
command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet "uv>=0.5"
uv sync --frozen --inexact --quiet
exec uv run --frozen assistant serve "$@"
