"""Reading a question as it was meant: capitals in sentence case, a misspelt word as the word one
edit away that the library or English has."""

from __future__ import annotations

from assistant.spelling import cased, read
from assistant.text import _stem

LIBRARY = {
    _stem(w)
    for w in ["passengers", "conception", "boat", "fire", "toilet", "gold", "stolen", "putin"]
}


def known(term: str) -> bool:
    return term in LIBRARY


def weight(_term: str) -> float:
    return 1.0


def test_misspelt_words_are_read_as_the_word_one_edit_away() -> None:
    reading = read("how many pasengers wer on the boat? wher did the fier start?", known, weight)
    assert reading.question == "how many passengers were on the boat? where did the fire start?"
    assert reading.changed == (
        ("pasengers", "passengers"),
        ("wer", "were"),
        ("wher", "where"),
        ("fier", "fire"),
    )
    assert reading.note == (
        "Read “pasengers” as “passengers”, “wer” as “were”, “wher” as “where”, “fier” as “fire”."
    )


def test_words_names_and_acronyms_are_left_as_they_are() -> None:
    for question in (
        "How do I bake sourdough bread?",  # "bake": "baked" is an English word
        "Who is Sanna Marin?",  # a name the library lacks is no misspelling of another word
        "What happened to the Conseption?",  # nor is a capitalised word
        "What did the backers of the poaching law say?",  # English words the library lacks
        "What did the IAEA say about Putin?",
        "What did Tedros's spokesman say?",
    ):
        reading = read(question, known, weight)
        assert (reading.question, reading.note) == (question, None)


def test_a_question_typed_in_capitals_is_read_in_sentence_case() -> None:
    reading = read("HOW MANY PASSENGERS WERE ON THE BOAT?", known, weight)
    assert reading.question == "How many passengers were on the boat?"
    assert reading.note is None


def test_a_long_question_of_unknown_words_is_read_quickly_and_only_in_part() -> None:
    question = " ".join(["xqzv"] * 300 + ["b" * 1500])
    reading = read(question, known, weight)
    assert reading.question == question  # nothing one edit away from these


def test_a_word_typed_without_its_apostrophe_and_chat_shorthand_are_read_written_out() -> None:
    reading = read("whats going on? is there enuf fire? why dont u say", known, weight)
    assert reading.question == "what's going on? is there enough fire? why don't you say"
    assert reading.note == (
        "Read “whats” as “what's”, “enuf” as “enough”, “dont” as “don't”, “u” as “you”."
    )
    assert read("Whats up?", known, weight).question == "What's up?"
    # A word or a name that is also shorthand is left as written.
    for question in ("What did R Kelly say?", "Is U2 touring?", "Where is Ur?", "R Kelly?"):
        assert read(question, known, weight).question == question


def test_a_question_word_with_d_is_read_with_did() -> None:
    reading = read("why'd the nba stop the season", known, weight)
    assert reading.question == "why did the nba stop the season"
    assert read("How’d it end?", known, weight).question == "How did it end?"


def test_a_dropped_g_and_slang_for_a_title_are_read_written_out() -> None:
    reading = read("hows portugal handlin it? whos the new guvnor? nothin else", known, weight)
    assert reading.question == "how's portugal handling it? who's the new governor? nothing else"
    # Not a word English uses more often as it is: "thin", "cabin", "begin".
    for question in ("is the ice thin?", "who was in the cabin?", "when does it begin?"):
        assert read(question, known, weight).question == question


PASSAGES = [
    (
        "On Thursday, Indonesian security minister Wiranto was stabbed in Pandeglang. Officials "
        "told us that the attacker had been arrested in New Hampshire. The White House said nothing."
    ),
    "Wiranto was taken to a hospital in Jakarta. A new law was passed; the state will appeal.",
]


def test_a_question_in_lower_case_gets_its_names_as_the_passages_write_them() -> None:
    assert cased("where was wiranto stabbed in jakarta?", PASSAGES) == (
        "where was Wiranto stabbed in Jakarta?"
    )
    # a pair written with capitals (a common word alone is no name); "us" is also written in
    # lower case, so it is not "US"
    assert cased("what did new hampshire and the white house tell us", PASSAGES) == (
        "what did New Hampshire and the White House tell us"
    )
    assert cased("is the new state law passed", PASSAGES) == "is the new state law passed"
    # a sentence's first word is capitalised whatever it is: "Officials" is no name
    assert cased("what did officials say", PASSAGES) == "what did officials say"
    # typed with capitals: taken as written
    assert cased("where was wiranto stabbed, Jakarta?", PASSAGES) == (
        "where was wiranto stabbed, Jakarta?"
    )


def test_more_chat_shorthand_is_read_written_out() -> None:
    reading = read("wen did the celebs show up this yr? any info?", known, weight)
    assert reading.question == "when did the celebrities show up this year? any information?"
