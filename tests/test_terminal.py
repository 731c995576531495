"""assistant/terminal.py: what the CLI prints never drives the terminal, end to end through the real command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.terminal import terminal_json, terminal_text

ASSISTANT = Path(sys.executable).parent / "assistant"
# Anything a terminal acts on: ESC, BEL, backspace, carriage return, the other C0 and C1
# controls, DEL and the bidi overrides/isolates.
ACTIVE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
TITLE = "\x1b]0;PWNED title\x07"
CLEAR = "\x1b[2J\x1b[H"
HIDDEN = "\x1b[8mhidden text\x1b[0m"
BACKSPACES = "\x08" * 5
OVERRIDE = "\u202eevil\u202c"
C1_CSI = "\x9b31m"
# Ordinary text around them: the loader refuses a file with over 1% control characters.
FILLER = (
    "Fishing crews along the fjord spent the summer repairing boats and nets, and the small "
    "harbours reported a quiet season for tourism after a wet July. "
) * 12
# Hostile bytes inside an article the CLI will quote.
ARTICLE = (
    "Varanger kelp harvest report\n\n"
    f"{FILLER}\n"
    f"The Varanger kelp harvest doubled this autumn{TITLE}, the fishery board said on Tuesday. "
    f"Board members{CLEAR} said the kelp harvest{HIDDEN} will fund a new{BACKSPACES} processing "
    f"plant in Vadsø{OVERRIDE}.\r\nThe kelp harvest board said{C1_CSI} prices stayed stable.\n"
)
FILE_NAME = "kelp\x1b]0;owned\x07\x1b[31m.txt"
QUESTION = "What did the fishery board say about the Varanger kelp harvest?"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain text\n\twith a tab", "plain text\n\twith a tab"),
        (f"title{TITLE}end", "titleend"),
        (f"a{CLEAR}b", "ab"),
        (HIDDEN, "hidden text"),
        ("\x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink
        ("\x1bPq#0;2;0;0;0\x1b\\sixel", "sixel"),  # DCS
        ("reset\x1bc", "reset"),
        (f"over{BACKSPACES}write\rline", "overwriteline"),
        (OVERRIDE, "evil"),
        (C1_CSI, "31m"),
        ("\x1b]unterminated osc", "unterminated osc"),  # ESC ] removed, text kept
        ("\x1b[" * 3 + "x", ""),  # two openers dropped, then ESC [ x is a whole sequence
    ],
)
def test_terminal_text(raw: str, shown: str) -> None:
    assert terminal_text(raw) == shown


def test_terminal_json_escapes_what_json_leaves_raw_and_keeps_the_value() -> None:
    value = {"answer": f"a{C1_CSI}{OVERRIDE}\x7f", "title": TITLE}
    text = terminal_json(json.dumps(value, ensure_ascii=False))
    assert ACTIVE.search(text) is None
    assert json.loads(text) == value


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("terminal")
    (root / "articles").mkdir()
    (root / "articles" / FILE_NAME).write_text(ARTICLE, encoding="utf-8")
    yield root


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(root),
        "ANONYMIZED_TELEMETRY": "False",
        "CHROMA_PATH": str(root / "chroma"),
        "ARTICLES_PATH": str(root / "articles"),
        "LOG_LEVEL": "INFO",  # log lines quote file names too
    }
    return subprocess.run(
        [str(ASSISTANT), *args],
        check=False,
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def test_ingest_and_ask_print_no_escape_codes(workspace: Path) -> None:
    ingested = run(workspace, "ingest")
    assert ingested.returncode == 0, ingested.stderr
    assert "added: kelp]0;owned[31m.txt" not in ingested.stdout  # not even half-stripped
    assert "added: kelp.txt" in ingested.stdout
    assert ACTIVE.search(ingested.stdout) is None and ACTIVE.search(ingested.stderr) is None

    asked = run(workspace, "ask", QUESTION)
    assert asked.returncode == 0, asked.stderr
    assert "kelp harvest doubled this autumn, the fishery board said" in asked.stdout
    assert "kelp.txt" in asked.stdout  # the source line, its name cleaned
    assert ACTIVE.search(asked.stdout) is None, repr(asked.stdout)
    assert ACTIVE.search(asked.stderr) is None, repr(asked.stderr)


def test_json_output_keeps_every_character_as_an_escape(workspace: Path) -> None:
    if not (workspace / "chroma").exists():
        assert run(workspace, "ingest").returncode == 0
    asked = run(workspace, "ask", QUESTION, "--json")
    assert asked.returncode == 0, asked.stderr
    assert ACTIVE.search(asked.stdout) is None
    data = json.loads(asked.stdout)
    assert data["citations"] and data["citations"][0]["source"] == FILE_NAME  # lossless
    assert any(TITLE in c["quote"] or CLEAR in c["quote"] for c in data["citations"])
