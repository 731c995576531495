"""Citation markers: parsing [n] in an answer, placing markers, the sentence proper of a passage."""

from __future__ import annotations

import pytest

from assistant.citations import (
    AnswerSentence,
    canonical_markers,
    parse_answer,
    plain_text,
    with_markers,
)

# --- parse_answer ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Israel avoided sanctions [1].", [("Israel avoided sanctions.", (1,))]),
        ("Israel avoided sanctions [1, 2].", [("Israel avoided sanctions.", (1, 2))]),
        ("Israel avoided sanctions [1][2].", [("Israel avoided sanctions.", (1, 2))]),
        ("Israel avoided sanctions [2; 3].", [("Israel avoided sanctions.", (2, 3))]),
        ("Israel avoided sanctions [1][1].", [("Israel avoided sanctions.", (1,))]),
        ("Israel [1] avoided sanctions [2].", [("Israel avoided sanctions.", (1, 2))]),
        ("No markers here.", [("No markers here.", ())]),
        (
            "Israel needs freedom of action in Syria. [1] Next it coordinated with Russia [2].",
            [
                ("Israel needs freedom of action in Syria.", (1,)),
                ("Next it coordinated with Russia.", (2,)),
            ],
        ),
        (
            "Israel needs freedom of action in Syria. [1][3] It coordinated with Russia.",
            [
                ("Israel needs freedom of action in Syria.", (1, 3)),
                ("It coordinated with Russia.", ()),
            ],
        ),
        ("It began in 2015 [1]. [2]", [("It began in 2015.", (1, 2))]),
    ],
)
def test_parse_answer(answer: str, expected: list[tuple[str, tuple[int, ...]]]) -> None:
    assert [(s.text, s.cited) for s in parse_answer(answer)] == expected


def test_parse_answer_keeps_line_breaks_as_separators() -> None:
    assert parse_answer("Intro [1]. Next [2].\n- Item [3].") == [
        AnswerSentence("Intro.", (1,), ""),
        AnswerSentence("Next.", (2,), " "),
        AnswerSentence("- Item.", (3,), "\n"),
    ]


# --- plain_text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "➡️ Avoiding Provoking Russia: Israeli officials were wary.",
            "Israeli officials were wary.",
        ),
        (
            "- Avoiding Direct Condemnation – Unlike its allies, Israel refrained.",
            "Unlike its allies, Israel refrained.",
        ),
        ("Moscow said: “We will respond.”", "Moscow said: “We will respond.”"),
        ("Israel refrained from sanctions.", "Israel refrained from sanctions."),
    ],
)
def test_plain_text_drops_bullets_and_labels(text: str, expected: str) -> None:
    assert plain_text(text) == expected


# --- with_markers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "numbers", "expected"),
    [
        ("Israel avoided sanctions.", [1], "Israel avoided sanctions [1]."),
        ("Israel avoided sanctions.", [1, 2], "Israel avoided sanctions [1][2]."),
        ("Did Israel avoid sanctions?", [3], "Did Israel avoid sanctions [3]?"),
        ("Really?!", [1], "Really [1]?!"),
        ("It listed three reasons:", [2], "It listed three reasons [2]:"),
        ("He said “we need freedom of action.”", [1], "He said “we need freedom of action.” [1]"),
        ("“Russia could act,” he said.", [2], "“Russia could act,” he said [2]."),
        ("No closing punctuation", [4], "No closing punctuation [4]"),
        ("Israel avoided sanctions.", [], "Israel avoided sanctions."),
    ],
)
def test_with_markers_goes_before_closing_punctuation(
    sentence: str, numbers: list[int], expected: str
) -> None:
    assert with_markers(sentence, numbers) == expected


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("It fell [1-3].", "It fell [1][2][3]."),
        ("It fell [ 2 ].", "It fell [2]."),
        ("It fell [^2].", "It fell [2]."),
        ("It fell [Source 2].", "It fell [2]."),
        ("It fell [Sources 1, 4].", "It fell [1][4]."),
        ("It fell (Source 5).", "It fell [5]."),
        ("It fell 【4】.", "It fell [4]."),
        ("It fell [1 and 2].", "It fell [1][2]."),
        # Not markers: an editor's words in a quotation, a year, a named source.
        ('"It [the vote] passed in [round 1]" in [2019] (Source: Reuters).',) * 2,
    ],
)
def test_markers_written_other_ways_are_read_as_plain_markers(written: str, read: str) -> None:
    assert canonical_markers(written) == read
