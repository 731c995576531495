"""Every pattern run over input a user controls, timed on adversarial inputs of 10 KB, 100 KB and 1 MB.

`uv run python -m benchmarks.patterns` prints one row per (function, input) with its time at each
size (CPU time, best of a few runs) and the growth from 100 KB to 1 MB (about 10x is linear,
100x quadratic). Each run happens in a forked child with a time limit, so a super-linear pattern shows as "> N s" instead of
hanging the report. tests/test_linear_time.py runs the same cases and asserts the growth.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.errors import AssistantError
from benchmarks.tables import render

SIZES = (10_000, 100_000, 1_000_000)


def rep(unit: str, n: int) -> str:
    """`unit` repeated to about `n` characters."""
    return unit * max(1, n // len(unit))


@dataclass(frozen=True)
class Case:
    """One function on one family of adversarial inputs."""

    function: str  # what is called, as a dotted name
    input: str  # what the input is
    make: Callable[[int], object]  # the input of about n characters
    call: Callable[[object], object]
    owner: str = "issue 13"  # who changes the function when it is not linear

    @property
    def name(self) -> str:
        return f"{self.function}: {self.input}"


def _question(text: object) -> object:
    from assistant.errors import QuestionError
    from assistant.inputs import normalize_question

    try:
        return normalize_question(text, 2000)
    except QuestionError as exc:
        return exc


def _history(history: object) -> object:
    from assistant.inputs import Limits, bound_history, normalize_history

    return bound_history(normalize_history(history), Limits())


def _rewrite(history_text: object) -> object:
    from assistant.records import Message
    from assistant.rewriting import rewrite_offline

    return rewrite_offline(
        "And what did he say about it?",
        [Message("user", str(history_text)), Message("assistant", "It was discussed.")],
    )


def _call(dotted: str) -> Callable[[object], object]:
    """The function at `dotted` (imported in the child, when first called)."""
    module, _, name = dotted.rpartition(".")

    def run(value: object) -> object:
        import importlib

        return getattr(importlib.import_module(module), name)(value)

    return run


def _spelling(text: object) -> object:
    from assistant.spelling import read

    return read(str(text), lambda _term: False, lambda _term: 1.0)


def _terms(text: object) -> object:
    from assistant import text as words

    words._terms.cache_clear()  # terms() remembers texts: time the work, not the cache
    words._stem.cache_clear()
    return words.terms(str(text))


def _linked(text: object) -> object:
    from ui.rendering import linked_answer_markdown

    return linked_answer_markdown(str(text), 0, {1, 2})


def _distinct_names(n: int) -> str:
    return " ".join(f"Xa{i} said" for i in range(n // 10))


def _distinct_words(n: int) -> str:
    return " ".join(f"w{i}" for i in range(n // 8))


LEAD = "lead (answer layer rewrite)"
ISSUE_12 = "issue-12 helper (ingest/)"
UI = "UI helper"

CASES: list[Case] = [
    # Question normalisation (assistant/inputs.py) and what it refuses.
    Case(
        "assistant.inputs.clean_text",
        "ESC ] openers",
        lambda n: rep("\x1b]", n),
        _call("assistant.inputs.clean_text"),
    ),
    Case(
        "assistant.inputs.clean_text",
        "ESC [ and parameters, no final",
        lambda n: "\x1b[" + rep("1;", n),
        _call("assistant.inputs.clean_text"),
    ),
    Case(
        "assistant.inputs.clean_text",
        "DCS openers",
        lambda n: rep("\x1bP", n),
        _call("assistant.inputs.clean_text"),
    ),
    Case(
        "assistant.inputs.clean_text",
        "spaces then x",
        lambda n: rep(" ", n) + "x",
        _call("assistant.inputs.clean_text"),
    ),
    Case(
        "assistant.inputs.clean_text",
        "NUL/ESC/bidi mix",
        lambda n: rep("\x00\x1b\u202e", n),
        _call("assistant.inputs.clean_text"),
    ),
    Case(
        "assistant.inputs.normalize_question",
        "ESC ] openers (refused by length)",
        lambda n: rep("\x1b]", n),
        _question,
    ),
    Case(
        "assistant.inputs.bound_history",
        "one huge message",
        lambda n: [{"role": "user", "content": rep("\x1b]Aa ", n)}],
        _history,
    ),
    Case(
        "assistant.inputs.bound_history",
        "many small messages",
        lambda n: [{"role": "user", "content": "Why Aa?"}] * (n // 8),
        _history,
    ),
    Case(
        "assistant.inputs.estimate_tokens",
        "one long word",
        lambda n: rep("a", n),
        _call("assistant.inputs.estimate_tokens"),
    ),
    Case(
        "assistant.inputs.estimate_tokens",
        "digits and punctuation",
        lambda n: rep("1.", n),
        _call("assistant.inputs.estimate_tokens"),
    ),
    # Printing to a terminal and logging.
    Case(
        "assistant.terminal.terminal_text",
        "ESC ] openers",
        lambda n: rep("\x1b]", n),
        _call("assistant.terminal.terminal_text"),
    ),
    Case(
        "assistant.terminal.terminal_text",
        "ESC [ 1 ; runs",
        lambda n: rep("\x1b[1;", n),
        _call("assistant.terminal.terminal_text"),
    ),
    Case(
        "assistant.terminal.terminal_text",
        "DCS openers",
        lambda n: rep("\x1bP", n),
        _call("assistant.terminal.terminal_text"),
    ),
    Case(
        "assistant.logs.redact",
        "authorization: runs",
        lambda n: rep("authorization: ", n),
        _call("assistant.logs.redact"),
    ),
    Case(
        "assistant.logs.redact",
        "Bearer runs",
        lambda n: rep("Bearer ", n),
        _call("assistant.logs.redact"),
    ),
    # The offline rewriter (over history) and entity finding.
    Case(
        "assistant.facts.entities",
        "capitalised-word run",
        lambda n: rep("Aa ", n),
        _call("assistant.facts.entities"),
        LEAD,
    ),
    Case(
        "assistant.facts.entities",
        "A-A-A... (one hyphenated word)",
        lambda n: rep("A-", n),
        _call("assistant.facts.entities"),
        LEAD,
    ),
    Case(
        "assistant.facts.entities",
        "Aa of Aa of ...",
        lambda n: rep("Aa of ", n),
        _call("assistant.facts.entities"),
        LEAD,
    ),
    Case(
        "assistant.facts.entities",
        "distinct names",
        _distinct_names,
        _call("assistant.facts.entities"),
        LEAD,
    ),
    Case(
        "assistant.rewriting.rewrite_offline",
        "history: capitalised run",
        lambda n: rep("Aa Bb ", n),
        _rewrite,
        LEAD,
    ),
    Case(
        "assistant.rewriting.rewrite_offline",
        "history: distinct names",
        _distinct_names,
        _rewrite,
        LEAD,
    ),
    Case(
        "assistant.rewriting.rewrite_offline",
        "history: 'what' then spaces",
        lambda n: "what" + rep(" ", n) + "x",
        _rewrite,
        LEAD,
    ),
    # Question analysis and rephrasing (over a question, or a history message for follow-ups).
    Case(
        "assistant.questions.analyse",
        "'what ' runs",
        lambda n: rep("what ", n),
        _call("assistant.questions.analyse"),
        LEAD,
    ),
    Case(
        "assistant.questions.analyse",
        "'on about ' runs",
        lambda n: "What's new " + rep("on about ", n),
        _call("assistant.questions.analyse"),
        LEAD,
    ),
    Case(
        "assistant.questions.analyse",
        "'which of the x y ' runs",
        lambda n: rep("which of the x y ", n),
        _call("assistant.questions.analyse"),
        LEAD,
    ),
    # Reading a question's capitals and misspellings (every word unknown to the library).
    Case(
        "assistant.spelling.read",
        "misspelt words: 'pasengers ' runs",
        lambda n: rep("pasengers ", n),
        _spelling,
        LEAD,
    ),
    Case(
        "assistant.spelling.read",
        "shorthand: 'whats enuf u ' runs",
        lambda n: rep("whats enuf u ", n),
        _spelling,
        LEAD,
    ),
    Case(
        "assistant.spelling.read",
        "capitals: 'WHER ' runs",
        lambda n: rep("WHER ", n),
        _spelling,
        LEAD,
    ),
    # What an article's sentence holds (over uploaded text).
    Case(
        "assistant.answerability.answer_spans",
        "list: 'Aa Bb ' runs",
        lambda n: rep("Aa Bb ", n),
        lambda text: __import__("assistant.answerability").answerability.answer_spans(
            str(text), "list"
        ),
        LEAD,
    ),
    Case(
        "assistant.answerability.answer_spans",
        "list: 'a b, ' runs",
        lambda n: rep("a b, ", n),
        lambda text: __import__("assistant.answerability").answerability.answer_spans(
            str(text), "list"
        ),
        LEAD,
    ),
    Case(
        "assistant.facts.speaker",
        "', which a' runs before said",
        lambda n: rep(", which a", n) + " said",
        _call("assistant.facts.speaker"),
        LEAD,
    ),
    Case(
        "assistant.phrasing.indirect",
        "'what did ' runs",
        lambda n: rep("what did ", n),
        _call("assistant.phrasing.indirect"),
        LEAD,
    ),
    Case(
        "assistant.phrasing.indirect",
        "'which ' then 'wasn't x ' runs",
        lambda n: "which " + rep("wasn't x ", n),
        _call("assistant.phrasing.indirect"),
        LEAD,
    ),
    # Fact analysis (over sentences of a model's reply and of articles).
    Case(
        "assistant.facts.facts",
        "'1, ' runs",
        lambda n: rep("1, ", n),
        _call("assistant.facts.facts"),
        LEAD,
    ),
    Case(
        "assistant.facts.facts",
        "'March ' runs",
        lambda n: rep("March ", n),
        _call("assistant.facts.facts"),
        LEAD,
    ),
    Case(
        "assistant.facts.stance",
        "'not could ' runs",
        lambda n: rep("not could ", n),
        _call("assistant.facts.stance"),
        LEAD,
    ),
    Case(
        "assistant.verification.is_refusal",
        "'do not ' runs",
        lambda n: rep("do not ", n),
        _call("assistant.verification.is_refusal"),
        LEAD,
    ),
    # Word analysis.
    Case(
        "assistant.text.words",
        "a' runs",
        lambda n: rep("a'", n),
        _call("assistant.text.words"),
        LEAD,
    ),
    Case(
        "assistant.text.words",
        "a- runs",
        lambda n: rep("a-", n),
        _call("assistant.text.words"),
        LEAD,
    ),
    Case(
        "assistant.text.terms",
        "distinct words",
        _distinct_words,
        _terms,
        LEAD,
    ),
    Case(
        "assistant.text.terms",
        "one hyphenated word",
        lambda n: rep("ab-", n),
        _terms,
        LEAD,
    ),
    # Sentence splitting (ingest, citations).
    Case(
        "ingest.chunking.split_sentences",
        "dots without a space",
        lambda n: rep(".", n),
        _call("ingest.chunking.split_sentences"),
        ISSUE_12,
    ),
    Case(
        "ingest.chunking.split_sentences",
        "a. a. a.",
        lambda n: rep("a. ", n),
        _call("ingest.chunking.split_sentences"),
        ISSUE_12,
    ),
    Case(
        "ingest.chunking.split_sentences",
        "!? then quotes, no space",
        lambda n: rep('!"', n),
        _call("ingest.chunking.split_sentences"),
        ISSUE_12,
    ),
    Case(
        "ingest.chunking.split_sentences",
        "'!\" Aa Bb Cc ' runs (a quote's speaker?)",
        lambda n: rep('!" Aa Bb Cc ', n),
        _call("ingest.chunking.split_sentences"),
        ISSUE_12,
    ),
    Case(
        "ingest.chunking.split_sentences",
        "'Kft. (' runs",
        lambda n: rep("Kft. (", n),
        _call("ingest.chunking.split_sentences"),
        ISSUE_12,
    ),
    Case(
        "ingest.chunking.split_sentences",
        "a.a.a. initials",
        lambda n: rep("a.", n) + " x",
        _call("ingest.chunking.split_sentences"),
        ISSUE_12,
    ),
    # Cleaning an uploaded article.
    Case(
        "ingest.cleaning.clean_article",
        "'Published' + spaces + x",
        lambda n: "Published" + rep(" ", n) + "x",
        _call("ingest.cleaning.clean_article"),
        ISSUE_12,
    ),
    Case(
        "ingest.cleaning.clean_article",
        "'date' + spaces + x",
        lambda n: "date" + rep(" ", n) + "x",
        _call("ingest.cleaning.clean_article"),
        ISSUE_12,
    ),
    Case(
        "ingest.cleaning.clean_article",
        "'loading' + spaces + x",
        lambda n: "loading" + rep(" ", n) + "x",
        _call("ingest.cleaning.clean_article"),
        ISSUE_12,
    ),
    Case(
        "ingest.cleaning.clean_article",
        "'Source: x' + spaces + y",
        lambda n: "Source: x" + rep(" ", n) + "y",
        _call("ingest.cleaning.clean_article"),
        ISSUE_12,
    ),
    Case(
        "ingest.cleaning.clean_article",
        "'by |' + pipes",
        lambda n: "by |" + rep("|", n),
        _call("ingest.cleaning.clean_article"),
        ISSUE_12,
    ),
    Case(
        "ingest.cleaning.clean_article",
        "one long capitalised line",
        lambda n: rep("Aa ", n),
        _call("ingest.cleaning.clean_article"),
        ISSUE_12,
    ),
    Case(
        "ingest.cleaning.clean_article",
        "many short lines",
        lambda n: rep("Aa bb.\n", n),
        _call("ingest.cleaning.clean_article"),
        ISSUE_12,
    ),
    # The answer parser (over a model's reply).
    Case(
        "assistant.citations.parse_answer",
        "'[1' unclosed",
        lambda n: rep("[1", n),
        _call("assistant.citations.parse_answer"),
        LEAD,
    ),
    Case(
        "assistant.citations.parse_answer",
        "'[1, ' unclosed list",
        lambda n: rep("[1, ", n),
        _call("assistant.citations.parse_answer"),
        LEAD,
    ),
    Case(
        "assistant.citations.parse_answer",
        "dots without a space",
        lambda n: rep(".", n),
        _call("assistant.citations.parse_answer"),
        LEAD,
    ),
    Case(
        "assistant.citations.parse_answer",
        "spaces inside a sentence",
        lambda n: "a" + rep(" ", n) + "b.",
        _call("assistant.citations.parse_answer"),
        LEAD,
    ),
    Case(
        "assistant.citations.parse_answer",
        "nested brackets",
        lambda n: rep("[(", n),
        _call("assistant.citations.parse_answer"),
        LEAD,
    ),
    Case(
        "assistant.citations.parse_answer",
        "unclosed quotes",
        lambda n: rep('"a ', n),
        _call("assistant.citations.parse_answer"),
        LEAD,
    ),
    # What the page shows.
    Case(
        "ui.escaping.escape_markdown",
        "blank lines then #",
        lambda n: rep("\n", n) + "#",
        _call("ui.escaping.escape_markdown"),
    ),
    Case(
        "ui.escaping.escape_markdown",
        "' \\n' runs",
        lambda n: rep(" \n", n) + "-",
        _call("ui.escaping.escape_markdown"),
    ),
    Case(
        "ui.escaping.escape_markdown",
        "URL and address openers",
        lambda n: rep("http:www.@", n),
        _call("ui.escaping.escape_markdown"),
    ),
    Case(
        "ui.escaping.escape_markdown",
        "1. 1. 1.",
        lambda n: rep("1.\n", n),
        _call("ui.escaping.escape_markdown"),
    ),
    Case(
        "ui.escaping.escape_html",
        "tags and braces",
        lambda n: rep("<{$`", n),
        _call("ui.escaping.escape_html"),
    ),
    Case(
        "ui.rendering.linked_answer_markdown", "'[1' unclosed", lambda n: rep("[1", n), _linked, UI
    ),
    Case(
        "ui.rendering.linked_answer_markdown",
        "'[1, ' unclosed list",
        lambda n: rep("[1, ", n),
        _linked,
        UI,
    ),
    Case(
        "ui.uploads.safe_file_name",
        "path separators",
        lambda n: rep("a/\\", n),
        _call("ui.uploads.safe_file_name"),
    ),
    Case(
        "ui.uploads.safe_file_name",
        "accents and dots",
        lambda n: rep("é.", n),
        _call("ui.uploads.safe_file_name"),
    ),
    Case(
        "ui.conversation.parse_history",
        "JSON history (refused over 200 messages, after parsing)",
        lambda n: json.dumps([{"role": "user", "content": "Why Aa?"}] * (n // 40)),
        _call("ui.conversation.parse_history"),
        UI,
    ),
]


def _child(case_index: int, size: int, repeats: int, pipe: object) -> None:
    case = CASES[case_index]
    value = case.make(size)
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        # A refusal (QuestionError, a ValueError naming the problem) is an outcome too: time it.
        with contextlib.suppress(AssistantError, ValueError):
            case.call(value)
        best = min(best, time.process_time() - started)
    pipe.send(best)  # type: ignore[attr-defined]


def measure(case: Case, size: int, timeout: float) -> float | None:
    """Best-of-a-few CPU seconds of `case` on an input of `size` characters, in a forked child
    (CPU time, so other work on the machine does not count); None when it did not finish
    within `timeout` seconds of wall time (the child is killed)."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    repeats = 5 if size <= 100_000 else 2
    child = context.Process(target=_child, args=(CASES.index(case), size, repeats, sender))
    child.start()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if receiver.poll(0.05):
                return float(receiver.recv())
            if not child.is_alive() and not receiver.poll(0):
                raise RuntimeError(f"{case.name}: the measuring child died ({child.exitcode})")
        return None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
        sender.close()


def _seconds(value: float | None, timeout: float) -> str:
    if value is None:
        return f"> {timeout:g} s"
    return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--only", help="run the cases whose name contains this")
    args = parser.parse_args(argv)
    rows = []
    for case in CASES:
        if args.only and args.only not in case.name:
            continue
        times: list[float | None] = []
        for size in SIZES:
            # Once a size times out, larger ones would too.
            times.append(None if times and times[-1] is None else measure(case, size, args.timeout))
        growth = f"{times[2] / times[1]:.0f}x" if times[1] and times[2] is not None else "-"
        rows.append(
            [
                case.function,
                case.input,
                *(_seconds(t, args.timeout) for t in times),
                growth,
                case.owner,
            ]
        )
        print(f"  {case.name}: {', '.join(_seconds(t, args.timeout) for t in times)}", flush=True)
    print()
    print(
        render(
            "Patterns over user input: CPU time on adversarial inputs (best of 5, 2 at 1 MB)",
            ["function", "input", "10 KB", "100 KB", "1 MB", "1 MB / 100 KB", "owner"],
            rows,
            left=(0, 1, 6),
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
