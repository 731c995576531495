"""Sentence splitting and chunking: exact offsets, size and overlap rules, stable ids, exact rebuild."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest

from ingest.chunking import CHUNK_RECIPE, Chunk, split_article, split_sentences
from ingest.cleaning import clean_article
from tests.conftest import BUNDLED_ARTICLES
from vectorstore.store import join_chunks

SETTINGS = [(700, 150), (300, 0), (200, 100), (120, 119), (1000, 0), (100, 50), (2000, 400)]

# Ten sentences of 33 characters, one space apart.
TEN = " ".join(f"Sentence number {i:02d} is about here." for i in range(10))
LONG = "This sentence keeps going " + "and going " * 30 + "until it stops."


def corpus() -> list[tuple[str, str]]:
    return [
        (path.name, clean_article(path.read_text(encoding="utf-8")).text)
        for path in sorted(BUNDLED_ARTICLES.iterdir())
    ]


def texts(text: str) -> list[str]:
    return [text[span.start : span.end] for span in split_sentences(text)]


# --- sentences ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "U.S. officials met Dr. Smith at the U.N. on Monday. Then they left.",
            ["U.S. officials met Dr. Smith at the U.N. on Monday.", "Then they left."],
        ),
        (
            "Mr. Jones, e.g. the envoy, spoke to Mrs. Lee and Prof. Ode. They agreed.",
            ["Mr. Jones, e.g. the envoy, spoke to Mrs. Lee and Prof. Ode.", "They agreed."],
        ),
        (
            "Talks began Jan. 5 in Geneva. The No. 2 official attended. Prices rose 3.5 percent.",
            [
                "Talks began Jan. 5 in Geneva.",
                "The No. 2 official attended.",
                "Prices rose 3.5 percent.",
            ],
        ),
        ("J. R. Smith wrote it. He left.", ["J. R. Smith wrote it.", "He left."]),
        ("Really? Yes! Fine… Go.", ["Really?", "Yes!", "Fine…", "Go."]),
        (
            'He said "Stop." Then he left. (It rained.) End.',
            ['He said "Stop."', "Then he left.", "(It rained.)", "End."],
        ),
        (
            "Headline Without Period\nBody starts here. Ends here.",
            ["Headline Without Period", "Body starts here.", "Ends here."],
        ),
        (
            "- first bullet\n- second bullet\n\n\nAfter blank lines",
            ["- first bullet", "- second bullet", "After blank lines"],
        ),
        (
            "  Leading space. Trailing.  \n\n   Indented line   ",
            ["Leading space.", "Trailing.", "Indented line"],
        ),
        ("", []),
        (" \n\n \t", []),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert texts(text) == sentences


@pytest.mark.parametrize(("name", "text"), corpus())
def test_sentence_spans_are_stripped_ordered_and_cover_all_non_space(name: str, text: str) -> None:
    spans = split_sentences(text)
    covered = [False] * len(text)
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end
        body = text[span.start : span.end]
        assert body == body.strip() and "\n" not in body
        covered[span.start : span.end] = [True] * (span.end - span.start)
        previous_end = span.end
    assert all(covered[i] or text[i].isspace() for i in range(len(text)))


# --- chunks -------------------------------------------------------------------------------------


def check_chunks(text: str, chunks: list[Chunk], size: int, overlap: int) -> None:
    """The invariants every chunking must hold."""
    starts = {span.start for span in split_sentences(text)}
    ends = {span.end for span in split_sentences(text)}
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        assert chunk.start in starts
        body = chunk.text.rstrip()
        assert chunk.start + len(body) in ends
        # Over the size only when the chunk is one sentence longer than the size on its own.
        assert len(body) <= size or len(texts(body)) == 1
    for current, following in pairwise(chunks):
        assert current.start < following.start
        if following.start < current.end:
            shared = text[following.start : current.end]
            assert len(shared) <= overlap
            assert current.end in ends  # the shared part is whole trailing sentences
        else:
            assert following.start == current.end  # no gap: whitespace stays in the first chunk


@pytest.mark.parametrize(("size", "overlap"), SETTINGS)
@pytest.mark.parametrize(("name", "text"), corpus())
def test_bundled_article_chunks_hold_invariants(
    name: str, text: str, size: int, overlap: int
) -> None:
    chunks = split_article(text, name, size, overlap)
    check_chunks(text, chunks, size, overlap)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    assert {c.source for c in chunks} == {name}


@pytest.mark.parametrize(("size", "overlap"), SETTINGS)
@pytest.mark.parametrize(("name", "text"), corpus())
def test_join_chunks_rebuilds_the_article_exactly(
    name: str, text: str, size: int, overlap: int
) -> None:
    chunks = split_article(text, name, size, overlap)
    triples = [(c.start, c.end, c.text) for c in chunks]
    random.Random(size).shuffle(triples)  # the store returns chunks in no particular order
    assert join_chunks(triples) == text


@pytest.mark.parametrize("overlap", [33, 40, 66])  # 33: exactly one sentence fits
def test_overlap_shares_the_trailing_sentence(overlap: int) -> None:
    chunks = split_article(TEN, "ten.txt", chunk_size=120, overlap=overlap)
    assert [(c.start, c.end) for c in chunks] == [
        (0, 101),
        (68, 169),
        (136, 237),
        (204, 305),
        (272, 339),
    ]
    for current, following in pairwise(chunks):
        last_sentence = texts(current.text)[-1]
        assert following.text.startswith(last_sentence)
        assert current.text.endswith(last_sentence)


def test_overlap_shares_as_many_trailing_sentences_as_fit() -> None:
    chunks = split_article(TEN, "ten.txt", chunk_size=170, overlap=70)
    assert [texts(c.text) for c in chunks][:2] == [
        texts(TEN)[0:5],
        texts(TEN)[3:8],
    ]


@pytest.mark.parametrize("overlap", [0, 20, 32])
def test_no_overlap_when_no_trailing_sentence_fits(overlap: int) -> None:
    chunks = split_article(TEN, "ten.txt", chunk_size=120, overlap=overlap)
    assert [(c.start, c.end) for c in chunks] == [(0, 102), (102, 204), (204, 306), (306, 339)]
    assert "".join(c.text for c in chunks) == TEN


def test_long_sentence_forms_its_own_chunk() -> None:
    text = f"Short one. {LONG} Short two."
    chunks = split_article(text, "long.txt", chunk_size=100, overlap=30)
    assert [c.text.rstrip() for c in chunks] == ["Short one.", LONG, "Short two."]
    assert len(LONG) > 100
    check_chunks(text, chunks, 100, 30)
    assert join_chunks([(c.start, c.end, c.text) for c in chunks]) == text


def test_empty_text_has_no_chunks() -> None:
    assert split_article("", "empty.txt") == []
    assert split_article("  \n\n ", "blank.txt") == []


def test_chunk_ids_are_pinned() -> None:
    # Ids must not change across runs by accident: new ids re-embed every user's store. When
    # what gets embedded changes on purpose, bump CHUNK_RECIPE and this pin together.
    assert CHUNK_RECIPE == "sentences+sections/2"
    assert [c.id for c in split_article("Hello world. Second sentence here.", "a.txt")] == [
        "211b388f719954eadd1ecbfb"
    ]


def test_chunk_section_is_the_nearest_heading_line_above_its_start() -> None:
    text = (
        "Intro sentence one. Intro sentence two.\nFirst Heading\nBody of the first section. "
        "More body here.\n- a list item without a period\nWhat Happens Next?\nSecond Heading\n"
        "Final body sentence."
    )
    chunks = split_article(text, "s.txt", chunk_size=45, overlap=0)
    assert [(c.section, c.text) for c in chunks] == [
        (None, "Intro sentence one. Intro sentence two.\n"),
        ("First Heading", "First Heading\nBody of the first section. "),
        ("First Heading", "More body here.\n"),
        ("First Heading", "- a list item without a period\n"),
        ("First Heading", "What Happens Next?\nSecond Heading\n"),
        ("Second Heading", "Final body sentence."),
    ]
    assert chunks[2].embedding_text() == "First Heading\nMore body here.\n"
    assert chunks[1].embedding_text() == chunks[1].text  # its heading is already in it
    assert chunks[0].embedding_text() == chunks[0].text  # no heading above it


def test_chunk_ids_are_unique_and_change_with_source() -> None:
    for name, text in corpus():
        ids = [c.id for c in split_article(text, name, 200, 100)]
        other = [c.id for c in split_article(text, "renamed/" + name, 200, 100)]
        assert len(set(ids)) == len(ids)
        assert set(ids).isdisjoint(other)


def test_editing_one_sentence_changes_only_the_chunks_that_hold_it() -> None:
    before = split_article(TEN, "ten.txt", chunk_size=120, overlap=0)
    edited = TEN.replace("number 07 is about", "number 07 is now about")
    after = split_article(edited, "ten.txt", chunk_size=120, overlap=0)
    assert [c.id for c in after][:2] == [c.id for c in before][:2]
    assert after[2].id != before[2].id and "now about" in after[2].text
    assert after[3].id == before[3].id


@pytest.mark.parametrize(("size", "overlap"), [(0, 0), (-5, 0), (100, -1), (100, 100), (100, 150)])
def test_invalid_size_or_overlap_raises(size: int, overlap: int) -> None:
    with pytest.raises(ValueError, match="chunk_size > 0 and 0 <= overlap < chunk_size"):
        split_article(TEN, "ten.txt", size, overlap)


def test_join_chunks_keeps_offsets_across_a_gap_and_handles_nothing() -> None:
    assert join_chunks([(10, 15, "World"), (0, 5, "Hello")]) == "Hello     World"
    assert join_chunks([(0, 10, "Hello worl"), (6, 11, "world"), (2, 4, "ll")]) == "Hello world"
    assert join_chunks([]) == ""


def test_no_at_the_end_of_a_sentence_ends_it() -> None:
    text = "The vote was no. Then they left."
    assert [text[s.start : s.end] for s in split_sentences(text)] == [
        "The vote was no.",
        "Then they left.",
    ]


def test_a_question_mark_before_words_in_lower_case_ends_no_sentence() -> None:
    text = (
        '"At first I thought it was a prank: who steals a toilet?" wrote Cattelan in an e-mail. '
        "We were checking [?] the trains completely. Really? Yes. It runs on Vimeo. youtube-dl "
        "is free software."
    )
    assert [text[s.start : s.end] for s in split_sentences(text)] == [
        '"At first I thought it was a prank: who steals a toilet?" wrote Cattelan in an e-mail.',
        "We were checking [?] the trains completely.",
        "Really?",
        "Yes.",
        "It runs on Vimeo.",
        "youtube-dl is free software.",
    ]


def test_a_full_stop_before_a_bracket_ends_no_sentence_when_reading_on() -> None:
    text = (
        "On October 29, HDT Védelmi Ipari Kft. (HDT Limited) acquired Hirtenberger. "
        "The price was secret."
    )
    assert [text[s.start : s.end] for s in split_sentences(text)] == [
        "On October 29, HDT Védelmi Ipari Kft. (HDT Limited) acquired Hirtenberger.",
        "The price was secret.",
    ]
    # Chunking splits as it always did: the stored chunks stay as they were.
    assert len(split_sentences(text, read_on=False)) == 3


def test_a_quotation_ending_in_an_exclamation_keeps_its_speaker_when_reading_on() -> None:
    text = '"Let\'s discuss this emergency first!" Macron told the world. Merkel agreed.'
    assert [text[s.start : s.end] for s in split_sentences(text)] == [
        '"Let\'s discuss this emergency first!" Macron told the world.',
        "Merkel agreed.",
    ]
    assert len(split_sentences(text, read_on=False)) == 3


def test_a_quotation_closed_by_a_full_stop_keeps_a_speaker_tag_alone_when_reading_on() -> None:
    text = (
        '"The Constitution demands a trial." Pelosi said. "Done." said Mary Smith. '
        '"It is over." He said, "we lost." "Yes." Mary said nothing.'
    )
    assert [text[s.start : s.end] for s in split_sentences(text)] == [
        '"The Constitution demands a trial." Pelosi said.',
        '"Done." said Mary Smith.',
        '"It is over."',  # the tag goes on to a quotation of its own
        'He said, "we lost."',
        '"Yes."',  # "Mary said nothing" is a sentence, not a tag
        "Mary said nothing.",
    ]
    # Chunking splits as it always did (what was stored and embedded stays as it was).
    assert len(split_sentences(text, read_on=False)) == 8


def test_words_left_out_of_a_quotation_end_no_sentence_when_reading_on() -> None:
    text = (
        'Johnson said, "Corbyn wants to argue for years [...] I am committed to it." Then he left.'
    )
    spans = [text[s.start : s.end] for s in split_sentences(text)]
    assert spans == [
        'Johnson said, "Corbyn wants to argue for years [...] I am committed to it."',
        "Then he left.",
    ]
    # Chunking splits as it always did (what was stored and embedded stays as it was).
    assert len(split_sentences(text, read_on=False)) == 3
