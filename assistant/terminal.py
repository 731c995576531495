"""Text made safe for a terminal: escape sequences and control characters removed where it is printed."""

from __future__ import annotations

import re
import sys
from typing import TextIO

# Terminal escape sequences. Each alternative stops at the next ESC (or never passes one), so a
# run of unterminated openers costs one pass over the text, not one per opener (the OSC
# pattern `\x1b\][^\x07]*\x07` it replaces was quadratic: issue 13, item 1).
# Possessive quantifiers (*+): the classes that follow never match what they gave up, so
# backtracking into them could only waste time.
ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*+[ -/]*+[@-~]"  # CSI: colours, cursor moves, clearing the screen
    r"|\x1b\][^\x07\x1b]*+(?:\x07|\x1b\\)"  # OSC: window title, hyperlinks (ends at BEL or ST)
    r"|\x1b[PX^_][^\x1b]*+\x1b\\"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*+[0-~]"  # two-character escapes (ESC c resets the terminal)
)
# What is left once whole sequences are gone: C0 controls but tab and newline (a lone ESC, BEL,
# backspace and carriage return can still hide or overwrite text), DEL, the C1 controls (U+009B
# is CSI on its own for some terminals) and the bidi overrides and isolates, which reorder what
# is shown ("Trojan Source").
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Inside JSON, C0 controls are already \u-escaped by json.dumps; these are not.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """`text` with every escape sequence and control character removed (tabs and newlines kept)."""
    return CONTROL.sub("", ESCAPE_SEQUENCE.sub("", text))


def terminal_json(text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with the characters a terminal
    would act on written as \\u escapes: the same JSON value, nothing for the terminal to run."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def echo(
    text: object = "", *, end: str = "\n", file: TextIO | None = None, flush: bool = False
) -> None:
    """Print through `terminal_text`: what the CLI shows (answers, article text, file names,
    errors) can come from an article or an uploaded file, and must not drive the terminal."""
    print(terminal_text(str(text)), end=end, file=file or sys.stdout, flush=flush)


def echo_json(text: str, *, file: TextIO | None = None) -> None:
    """Print JSON through `terminal_json` (the value is unchanged, unlike `echo`)."""
    print(terminal_json(text), file=file or sys.stdout)
