"""assistant/logs.py: third-party loggers held at INFO unless named, no key or header in any line."""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.logs import KNOWN_THIRD_PARTY, configure_logging, redact
from tests.conftest import BUNDLED_ARTICLES
from tests.fake_openai import FakeOpenAI, _Handler
from tests.fake_openai import fake_openai as fake_openai_fixture  # noqa: F401 - registers it

ASSISTANT = Path(sys.executable).parent / "assistant"
KEY = "sk-test-LOGKEY-0123456789abcdef"
QUESTION = "Why did Israel avoid sanctioning Russia?"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """configure_logging changes the process's logging; put it back for the other tests."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    names = [*KNOWN_THIRD_PARTY, "thirdparty", "thirdparty.sub", "assistant"]
    levels = {name: logging.getLogger(name).level for name in names}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, saved in levels.items():
        logging.getLogger(name).setLevel(saved)


def emit_all() -> None:
    for name in ("assistant.chain", "httpcore2.http11", "openai._base_client", "thirdparty.sub"):
        logging.getLogger(name).debug("debug from %s", name)
        logging.getLogger(name).info("info from %s", name)


@pytest.mark.usefixtures("restore_logging")
def test_at_debug_only_our_own_loggers_go_below_info() -> None:
    out = io.StringIO()
    configure_logging("DEBUG", stream=out)
    emit_all()
    assert out.getvalue().splitlines() == [
        "DEBUG assistant.chain: debug from assistant.chain",
        "INFO assistant.chain: info from assistant.chain",
        "INFO httpcore2.http11: info from httpcore2.http11",
        "INFO openai._base_client: info from openai._base_client",
        "INFO thirdparty.sub: info from thirdparty.sub",
    ]


@pytest.mark.usefixtures("restore_logging")
def test_a_named_logger_may_go_to_debug() -> None:
    out = io.StringIO()
    configure_logging("DEBUG", debug_loggers=["thirdparty", "httpcore2"], stream=out)
    emit_all()
    lines = out.getvalue().splitlines()
    assert "DEBUG thirdparty.sub: debug from thirdparty.sub" in lines
    assert "DEBUG httpcore2.http11: debug from httpcore2.http11" in lines
    assert "DEBUG openai._base_client: debug from openai._base_client" not in lines


@pytest.mark.usefixtures("restore_logging")
def test_at_warning_nothing_below_warning_passes() -> None:
    out = io.StringIO()
    configure_logging("WARNING", stream=out)
    emit_all()
    logging.getLogger("thirdparty").warning("careful")
    assert out.getvalue().splitlines() == ["WARNING thirdparty: careful"]


@pytest.mark.usefixtures("restore_logging")
def test_lines_carry_no_secret_and_no_escape_code() -> None:
    out = io.StringIO()
    configure_logging("DEBUG", secrets=["hunter2-password"], stream=out)
    log = logging.getLogger("assistant.test")
    log.info("login with hunter2-password for %s", "file\x1b]0;title\x07.txt")
    log.info("headers [(b'Authorization', b'Bearer abcdefgh12345678'), (b'x', b'y')]")
    log.info("key sk-proj-ABCDEFGHIJ0123 in a message")
    assert out.getvalue().splitlines() == [
        "INFO assistant.test: login with [redacted] for file.txt",
        "INFO assistant.test: headers [(b'Authorization', b'Bearer [redacted]'), (b'x', b'y')]",
        "INFO assistant.test: key [redacted] in a message",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"authorization": "Token abc12345"}', '{"authorization": "Token [redacted]"}'),
        ("cookie=session123456; path=/", "cookie=[redacted]; path=/"),
        ("Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic [redacted]"),
        ("nothing secret here", "nothing secret here"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


# --- the real command against the scripted server ----------------------------------------------


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("logs")
    shutil.copytree(BUNDLED_ARTICLES, root / "articles")
    assert run(root, "ingest").returncode == 0
    return root


def run(root: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(root),
        "ANONYMIZED_TELEMETRY": "False",
        "CHROMA_PATH": str(root / "chroma"),
        "ARTICLES_PATH": str(root / "articles"),
        **extra,
    }
    return subprocess.run(
        [str(ASSISTANT), *args],
        check=False,
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def echoing(fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAI:
    """The scripted server, answering with the request's Authorization header echoed back (as
    some proxies and debugging servers do): httpcore's DEBUG lines would quote it."""
    original = _Handler.end_headers

    def end_headers(self: _Handler) -> None:
        auth = self.headers.get("Authorization")
        if auth:
            self.send_header("X-Echo-Authorization", auth)
        original(self)

    monkeypatch.setattr(_Handler, "end_headers", end_headers)
    fake_openai.default_text = "Israel refrained from imposing strict sanctions on Russia [1]."
    return fake_openai


def test_debug_logging_of_the_cli_shows_no_header_or_key(
    workspace: Path, echoing: FakeOpenAI
) -> None:
    # Issue 13, item 9: with LOG_LEVEL=DEBUG, httpcore logged response headers.
    done = run(
        workspace,
        "ask",
        QUESTION,
        LOG_LEVEL="DEBUG",
        OPENAI_API_KEY=KEY,
        OPENAI_BASE_URL=echoing.base_url,
    )
    assert done.returncode == 0, done.stderr
    assert echoing.chat_requests  # the model was asked
    assert "DEBUG" in done.stderr or "INFO assistant" in done.stderr  # logging is on
    assert "INFO assistant.chain: q=" in done.stderr
    assert KEY not in done.stderr and "LOGKEY" not in done.stderr
    assert "X-Echo-Authorization" not in done.stderr
    assert not [line for line in done.stderr.splitlines() if line.startswith("DEBUG http")]


def test_a_named_third_party_logger_logs_at_debug_with_the_key_redacted(
    workspace: Path, echoing: FakeOpenAI
) -> None:
    done = run(
        workspace,
        "ask",
        QUESTION,
        LOG_LEVEL="DEBUG",
        LOG_DEBUG_LOGGERS="httpcore,httpcore2",
        OPENAI_API_KEY=KEY,
        OPENAI_BASE_URL=echoing.base_url,
    )
    assert done.returncode == 0, done.stderr
    headers = [line for line in done.stderr.splitlines() if "X-Echo-Authorization" in line]
    assert headers, done.stderr  # the header line is there ...
    assert all("[redacted]" in line for line in headers)  # ... without the key
    assert KEY not in done.stderr and "LOGKEY" not in done.stderr


def test_an_unknown_log_level_is_a_message_not_a_traceback(workspace: Path) -> None:
    done = run(workspace, "ask", QUESTION, LOG_LEVEL="verbose")
    assert done.returncode == 1
    assert done.stderr == (
        "error: LOG_LEVEL=verbose is not a log level; use one of DEBUG, INFO, WARNING, ERROR, "
        "CRITICAL (WARNING is the default; INFO adds stage timings)\n"
    )
    assert done.stdout == ""
