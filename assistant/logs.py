"""How the commands log: the level, third-party loggers held at INFO, no secret or escape code in a line."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

from assistant.terminal import terminal_text

# Loggers of this project: they follow LOG_LEVEL all the way down to DEBUG.
OWN_LOGGERS = ("assistant", "ingest", "vectorstore", "ui", "benchmarks", "__main__")
# Everyone else's DEBUG lines (httpcore's carry response headers, openai's request options) stay
# out unless named in LOG_DEBUG_LOGGERS; INFO and above pass at LOG_LEVEL.
THIRD_PARTY_FLOOR = logging.INFO
# Set to the floor up front so they do not even build their DEBUG records (the filter below
# catches any logger not listed).
KNOWN_THIRD_PARTY = (
    "httpcore",
    "httpcore2",
    "httpx",
    "httpx2",
    "openai",
    "chromadb",
    "urllib3",
    "gradio",
    "gradio_client",
    "uvicorn",
    "asyncio",
    "multipart",
    "python_multipart",
    "langchain",
    "langchain_core",
    "langchain_openai",
    "langsmith",
    "filelock",
    "h11",
    "websockets",
    "fsspec",
    "PIL",
    "matplotlib",
    "onnxruntime",
)
FORMAT = "%(levelname)s %(name)s: %(message)s"
# Credentials whatever their source: API keys, bearer tokens, authorization and cookie headers
# (the header's name and scheme stay, its value goes).
_SECRET_PATTERNS = re.compile(
    r"sk-[A-Za-z0-9_\-]{8,}"
    r"|(?i:\b(bearer\s+)[A-Za-z0-9._~+/=\-]{8,})"
    r"|(?i:\b((?:proxy-)?authorization|x-api-key|api-key|set-cookie|cookie)(['\"]?\s*[,:=]\s*(?:b?['\"])?)"
    r"((?:bearer|basic|token)\s+)?)[^'\"\s;,)\]]+"
)


def _redacted(match: re.Match[str]) -> str:
    if match.group(1):
        return f"{match.group(1)}[redacted]"
    if match.group(2):
        return f"{match.group(2)}{match.group(3)}{match.group(4) or ''}[redacted]"
    return "[redacted]"


def _covers(names: Iterable[str], logger: str) -> bool:
    return any(logger == name or logger.startswith(name + ".") for name in names)


class _ThirdPartyFloor(logging.Filter):
    """Drops records below THIRD_PARTY_FLOOR from loggers that are not ours or named."""

    def __init__(self, allowed: Sequence[str]) -> None:
        super().__init__()
        self.allowed = tuple(OWN_LOGGERS) + tuple(allowed)

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= THIRD_PARTY_FLOOR or _covers(self.allowed, record.name)


class SafeFormatter(logging.Formatter):
    """Formats a line, then removes the given secrets, anything shaped like a credential, and
    terminal escape codes (log lines quote file names and questions)."""

    def __init__(self, fmt: str = FORMAT, secrets: Iterable[str] = ()) -> None:
        super().__init__(fmt)
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        return redact(terminal_text(super().format(record)), self.secrets)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with each secret and each credential-shaped string replaced by [redacted]."""
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    return _SECRET_PATTERNS.sub(_redacted, text)


def configure_logging(
    level: str | int,
    *,
    debug_loggers: Sequence[str] = (),
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Log to stderr at `level`: ours all the way down, third-party loggers at INFO or above
    unless named in `debug_loggers`; lines never carry `secrets` or credentials."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(SafeFormatter(FORMAT, secrets))
    handler.addFilter(_ThirdPartyFloor(debug_loggers))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    numeric = logging.getLogger().level
    for name in KNOWN_THIRD_PARTY:
        if not _covers(debug_loggers, name):
            logging.getLogger(name).setLevel(max(numeric, THIRD_PARTY_FLOOR))
    for name in debug_loggers:
        logging.getLogger(name).setLevel(numeric)
    return handler
