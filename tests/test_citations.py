"""Citation markers: parsing [n], verifying each against its source, renumbering, quoting verbatim."""

from __future__ import annotations

import pytest

from assistant.citations import AnswerSentence, best_passage, parse_answer, verify, with_markers
from assistant.records import Citation, Source

# Two "cleaned articles"; the sources below are slices of them with their true offsets.
SYRIA = (
    "Israel has long pursued a policy of strategic ambiguity toward Russia. "
    "Russia's military intervention in Syria began in 2015 to bolster the Assad regime. "
    "Advanced air defense systems such as the S-400 gave Moscow effective control over Syrian "
    "airspace.\n"
    "Israel established a deconfliction mechanism with Russia to avoid direct confrontation."
)
ACCORDS = (
    "Headline: Accords and Russia\n"
    "The Abraham Accords normalized relations between Israel and the United Arab Emirates, "
    "Bahrain and Morocco. Russia could help broker further normalization deals in the region."
)
ARTICLES = {"001_syria.txt": SYRIA, "002_accords.txt": ACCORDS}


def source(n: int, name: str, first: str, last: str) -> Source:
    """Source n: the slice of article `name` from the sentence starting `first` to the end of
    the sentence starting `last`."""
    text = ARTICLES[name]
    start = text.index(first)
    end = text.index(".", text.index(last)) + 1
    return Source(
        n=n,
        chunk_id=f"{name}:{start}",
        source=name,
        text=text[start:end],
        start=start,
        end=end,
        score=1.0 / n,
    )


SOURCES = [
    source(1, "001_syria.txt", "Russia's military", "Advanced air"),
    source(2, "002_accords.txt", "The Abraham", "Russia could"),
    source(3, "001_syria.txt", "Israel established", "Israel established"),
]


def quote_of(name: str, first: str) -> str:
    text = ARTICLES[name]
    start = text.index(first)
    return text[start : text.index(".", start) + 1]


def assert_quotes_are_verbatim(citations: list[Citation]) -> None:
    for citation in citations:
        assert ARTICLES[citation.source][citation.start : citation.end] == citation.quote


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


# --- verify ---------------------------------------------------------------------------------


def test_a_supported_citation_is_kept_and_quotes_the_supporting_sentence() -> None:
    verified = verify("Russia's intervention in Syria began in 2015 [1].", SOURCES)
    assert verified.text == "Russia's intervention in Syria began in 2015 [1]."
    assert verified.citations == [
        Citation(
            n=1,
            source="001_syria.txt",
            chunk_id=SOURCES[0].chunk_id,
            quote=quote_of("001_syria.txt", "Russia's military"),
            start=SYRIA.index("Russia's military"),
            end=SYRIA.index("Russia's military")
            + len(quote_of("001_syria.txt", "Russia's military")),
        )
    ]
    assert verified.uncited == [] and verified.dropped == 0
    assert_quotes_are_verbatim(verified.citations)


def test_a_marker_to_a_nonexistent_number_is_dropped() -> None:
    verified = verify(
        "The Abraham Accords normalized relations with Bahrain and Morocco [2][9].", SOURCES
    )
    assert verified.text == "The Abraham Accords normalized relations with Bahrain and Morocco [1]."
    assert [(c.n, c.source) for c in verified.citations] == [(1, "002_accords.txt")]
    assert verified.dropped == 1
    assert "[9]" not in verified.text and "[2]" not in verified.text


def test_an_unsupported_nonexistent_marker_leaves_the_claim_flagged() -> None:
    verified = verify("Penguins in Antarctica mostly eat krill and small fish [9].", SOURCES)
    assert verified.text == "Penguins in Antarctica mostly eat krill and small fish."
    assert verified.citations == []
    assert verified.uncited == ["Penguins in Antarctica mostly eat krill and small fish."]
    assert verified.dropped == 1


def test_a_marker_to_the_wrong_source_is_repointed_to_the_one_that_supports() -> None:
    # [2] is the Abraham Accords chunk; the S-400 sentence is in source 1.
    verified = verify("The S-400 gave Moscow control over Syrian airspace [2].", SOURCES)
    assert verified.text == "The S-400 gave Moscow control over Syrian airspace [1]."
    assert [(c.source, c.quote) for c in verified.citations] == [
        ("001_syria.txt", quote_of("001_syria.txt", "Advanced air"))
    ]
    assert verified.dropped == 1
    assert_quotes_are_verbatim(verified.citations)


def test_a_marker_that_no_source_supports_is_dropped() -> None:
    verified = verify("Israel won the football world cup in 2015 with Morocco [1][2].", SOURCES)
    assert verified.citations == []
    assert verified.text == "Israel won the football world cup in 2015 with Morocco."
    assert verified.uncited == ["Israel won the football world cup in 2015 with Morocco."]
    assert verified.dropped == 2


def test_citations_are_renumbered_in_order_of_first_use() -> None:
    verified = verify(
        "Russia could help broker normalization deals [2]. "
        "The intervention in Syria began in 2015 [1]. "
        "Israel set up a deconfliction mechanism with Russia [3]. "
        "Moscow controls Syrian airspace through the S-400 [1]. "
        "Russia could broker further normalization deals in the region [2].",
        SOURCES,
    )
    assert verified.text == (
        "Russia could help broker normalization deals [1]. "
        "The intervention in Syria began in 2015 [2]. "
        "Israel set up a deconfliction mechanism with Russia [3]. "
        "Moscow controls Syrian airspace through the S-400 [4]. "
        "Russia could broker further normalization deals in the region [1]."
    )
    assert [(c.n, c.source, c.quote) for c in verified.citations] == [
        (1, "002_accords.txt", quote_of("002_accords.txt", "Russia could")),
        (2, "001_syria.txt", quote_of("001_syria.txt", "Russia's military")),
        (3, "001_syria.txt", quote_of("001_syria.txt", "Israel established")),
        (4, "001_syria.txt", quote_of("001_syria.txt", "Advanced air")),
    ]
    assert verified.dropped == 0
    assert_quotes_are_verbatim(verified.citations)


def test_every_marker_in_the_verified_text_resolves_to_a_citation() -> None:
    verified = verify(
        "The Accords normalized relations with the United Arab Emirates [2][7]. "
        "Russia's intervention in Syria began in 2015 [3][1].",
        SOURCES,
    )
    numbers = {n for s in parse_answer(verified.text) for n in s.cited}
    assert numbers == {c.n for c in verified.citations} == {1, 2}


def test_uncited_claims_are_flagged_but_questions_and_short_connectives_are_not() -> None:
    verified = verify(
        "Russia's intervention in Syria began in 2015 [1]. "
        "Israel also sold oranges to Russian supermarkets every winter. "
        "In short. "
        "Would you like to know more about Syria?",
        SOURCES,
    )
    assert verified.uncited == ["Israel also sold oranges to Russian supermarkets every winter."]
    assert [c.n for c in verified.citations] == [1]


def test_a_weight_function_decides_which_terms_must_be_supported() -> None:
    sentence = "The S-400 gave Moscow effective control over Syrian airspace in 1999 [1]."
    assert [c.n for c in verify(sentence, SOURCES).citations] == [1]
    # When "1999" (absent from every source) is all that matters, nothing supports the claim.
    heavy_year = verify(sentence, SOURCES, weight=lambda t: 100.0 if t == "1999" else 1.0)
    assert heavy_year.citations == [] and heavy_year.dropped == 1


def test_line_breaks_between_sentences_survive_verification() -> None:
    verified = verify(
        "Russia could help broker deals:\n- Normalization with Morocco and Bahrain [2].", SOURCES
    )
    assert (
        verified.text
        == "Russia could help broker deals:\n- Normalization with Morocco and Bahrain [1]."
    )


# --- best_passage ---------------------------------------------------------------------------


def test_best_passage_quotes_one_sentence_with_article_offsets() -> None:
    passage, score = best_passage("Moscow controls Syrian airspace", SOURCES[0], lambda _t: 1.0)
    assert passage is not None
    assert passage.text == quote_of("001_syria.txt", "Advanced air")
    assert SYRIA[passage.start : passage.end] == passage.text
    assert score == 1.0


def test_best_passage_joins_two_sentences_when_the_claim_spans_them() -> None:
    passage, score = best_passage(
        "The Abraham Accords normalized relations with Morocco and Russia could broker more deals",
        SOURCES[1],
        lambda _t: 1.0,
    )
    assert passage is not None
    assert passage.text == SOURCES[1].text  # both sentences of the chunk
    assert ACCORDS[passage.start : passage.end] == passage.text
    assert score == 1.0


def test_best_passage_finds_nothing_for_unrelated_text() -> None:
    assert best_passage("penguins krill", SOURCES[0], lambda _t: 1.0) == (None, 0.0)


# --- with_markers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "numbers", "expected"),
    [
        ("Israel avoided sanctions.", [1], "Israel avoided sanctions [1]."),
        ("Israel avoided sanctions.", [1, 2], "Israel avoided sanctions [1][2]."),
        ("Did Israel avoid sanctions?", [3], "Did Israel avoid sanctions [3]?"),
        ("Really?!", [1], "Really [1]?!"),
        ("It listed three reasons:", [2], "It listed three reasons [2]:"),
        ("He said “we need freedom of action.”", [1], "He said “we need freedom of action [1].”"),
        ("No closing punctuation", [4], "No closing punctuation [4]"),
        ("Israel avoided sanctions.", [], "Israel avoided sanctions."),
    ],
)
def test_with_markers_goes_before_closing_punctuation(
    sentence: str, numbers: list[int], expected: str
) -> None:
    assert with_markers(sentence, numbers) == expected
