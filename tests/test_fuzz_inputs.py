"""Property-based fuzzing (hypothesis) of what users control: cleaning an article, normalising a question
and its history, and the offline rewriter. Only domain errors, and output bounded by the input."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import QuestionError
from assistant.inputs import Limits, bound_history, bound_rewrite, normalize_history
from assistant.inputs import normalize_question as normalize
from assistant.records import Message
from assistant.rewriting import rewrite_offline
from ingest.cleaning import CleanArticle, clean_article

# Derandomized: CI runs the same examples every time; database=None writes nothing to the repo.
FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Pieces that matter to our patterns: escape openers and terminators, whitespace, metadata
# words, dates, markers, names, quotes, bidi controls, URLs.
PIECES = [
    "\x1b]", "\x1b[", "\x1bP", "\x07", "\x1b\\", "1;", "31m", " ", "  ", "\n", "\t", "\r\n",
    "\x00", "\u202e", "\u200b", "\xa0", "Published", "posted on", "date", ":", "Mar 3, 2024",
    "2024-01-01", "Source:", "by", "|", "comments", "Loading", "...", "[1", "]", "[1, 2]", "(",
    '"', "'", "’s", "-", ".", "?", "!", "Aa", "Naftali Bennett", "of", "the", "INSS", "S-400",
    "he", "it", "his", "And", "what about", "http://x.example", "@", "lorem ipsum dolor",
    "e\u0301", "\u0958", "ﬁ",
]  # fmt: skip
ADVERSARIAL = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)
TEXT = st.one_of(st.text(max_size=400), ADVERSARIAL)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@FUZZ
@given(TEXT, st.integers(min_value=10, max_value=300))
def test_normalize_question_returns_clean_bounded_text_or_a_question_error(
    text: str, limit: int
) -> None:
    try:
        question = normalize(text, limit)
    except QuestionError as exc:
        assert str(exc).startswith(("The question is empty", "The question is "))
        return
    assert 0 < len(question) <= limit
    assert CONTROL.search(question) is None
    assert question == question.strip() and "  " not in question
    assert normalize(question, limit) == question  # idempotent


@FUZZ
@given(st.one_of(st.none(), st.integers(), st.floats(), st.binary(), st.lists(st.integers())))
def test_a_question_that_is_not_text_is_a_question_error(value: object) -> None:
    try:
        normalize(value, 100)
    except QuestionError as exc:
        assert str(exc) == "The question must be text."
    else:
        raise AssertionError(f"accepted {value!r}")


HISTORY_ITEM = st.one_of(
    st.fixed_dictionaries(
        {"role": st.sampled_from(["user", "assistant", "system", None]), "content": TEXT}
    ),
    st.builds(Message, st.sampled_from(["user", "assistant"]), TEXT),
    st.integers(),
    st.text(max_size=5),
)


@FUZZ
@given(
    st.one_of(st.lists(HISTORY_ITEM, max_size=40), st.integers(), st.text(max_size=5)),
    st.integers(min_value=0, max_value=25),
    st.integers(min_value=0, max_value=3000),
)
def test_history_is_a_question_error_or_within_both_limits(
    history: object, max_messages: int, max_chars: int
) -> None:
    limits = Limits(max_history_messages=max_messages, max_history_chars=max_chars)
    try:
        messages = normalize_history(history)
    except QuestionError as exc:
        assert str(exc).startswith(("History must be", "History item"))
        return
    bounded = bound_history(messages, limits)
    assert len(bounded.messages) <= max_messages
    assert sum(len(m.content) for m in bounded.messages) <= max_chars
    assert bounded.dropped == len(messages) - len(bounded.messages)
    assert (bounded.note is None) == (bounded.dropped == 0)
    assert all(CONTROL.search(m.content) is None for m in bounded.messages)


@FUZZ
@given(TEXT)
def test_cleaning_never_raises_and_never_grows_the_text(raw: str) -> None:
    article = clean_article(raw)
    assert isinstance(article, CleanArticle)
    # NFC can turn one character into at most three; cleaning itself only removes.
    assert len(article.text) <= 3 * len(raw)
    for value in (article.title, article.date, article.original_source):
        assert value is None or len(value) <= 3 * len(raw)


@FUZZ
@given(
    TEXT,
    st.lists(st.builds(Message, st.sampled_from(["user", "assistant"]), TEXT), max_size=6),
)
def test_the_rewriter_never_raises_and_its_output_is_bounded(
    raw: str, history: list[Message]
) -> None:
    try:
        question = normalize(raw, 2000)
    except QuestionError:
        return
    kept = bound_history(history, Limits()).messages
    rewritten = rewrite_offline(question, kept)
    assert isinstance(rewritten, str)
    # Names and the earlier topic come from the history; nothing else is added.
    budget = len(question) + 3 * sum(len(m.content) for m in kept) + 40
    assert len(rewritten) <= budget
    final, note = bound_rewrite(rewritten, question, Limits())
    assert len(final) <= Limits().max_rewrite_chars
    assert (note is None) == (final == rewritten)
