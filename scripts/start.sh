#!/usr/bin/env bash
# Installs the project (Python deps pinned by uv.lock, compiled to bytecode so every later start
# is fast) and starts the chat UI on the bundled articles, offline, no key needed:
# http://127.0.0.1:7860
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_COMPILE_BYTECODE=1
command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet "uv>=0.5"
uv sync --frozen --inexact --compile-bytecode --quiet
uv run --frozen python -m compileall -q assistant ingest vectorstore ui >/dev/null
exec uv run --frozen assistant serve "$@"
