"""Refusal on the real bundled corpus (held-out questions, not the gold set).

Questions about things the articles describe are answered. Questions the articles don't answer
are refused ("related" or "unrelated"), except those about a thing the articles name and a
property they never state ("What is the GDP of Russia?"): on the Wikinews dev split no signal
told those apart from answerable questions without refusing about four answerable questions
for each one caught (eval/wikinews/README.md, "Tuning"), so the answerer may give its closest
sentence for them. For those it must still never claim the missing fact: every sentence is
verified against its passage and none uses the asked-for word."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.config import load_settings
from tests.conftest import BUNDLED_ARTICLES

OFF_TOPIC = [
    "Who won the 2018 FIFA World Cup?",
    "What is the capital of Australia?",
    "What did Bennett say about electric cars?",
    "What is the population of Moscow?",
    "Who is the president of France?",
    "What did Putin say about the Olympics?",
    "What is the population of Russia?",
    "What is Israel's GDP?",
    "When was Vladimir Putin born?",
    "How tall is Naftali Bennett?",
]
# Named things the articles discuss, a property they never state: (question, the asked-for word).
SAME_SUBJECT = [
    ("What did Netanyahu say about China's economy?", "economy"),
    ("What is the GDP of Russia?", "GDP"),
    ("What is the capital of Iran?", "capital"),
    ("What is Hezbollah's annual budget?", "budget"),
]
ON_TOPIC = [
    "Who is Ebrahim Raisi?",
    "What is the INSS?",
    "Who is Benjamin Netanyahu?",
    "What are the Abraham Accords?",
    "Where did Putin travel on Tuesday?",
]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    root: Path = tmp_path_factory.mktemp("refusal")
    settings = load_settings(chroma_path=root / "chroma", articles_path=BUNDLED_ARTICLES)
    engine = Assistant.from_settings(settings)
    engine.ingest()
    yield engine


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_question_is_refused(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.refused is True and answer.outcome in ("related", "unrelated")
    assert answer.answer.startswith(("The articles don't say", "Nothing in the library"))


@pytest.mark.parametrize(("question", "word"), SAME_SUBJECT)
def test_an_unstated_property_is_refused_or_never_claimed(
    assistant: Assistant, question: str, word: str
) -> None:
    answer = assistant.ask(question)
    if answer.refused:
        assert answer.answer.startswith(("The articles don't say", "Nothing in the library"))
        return
    assert answer.verdicts and all(v.status == "verified" for v in answer.verdicts)
    assert not re.search(rf"\b{word}\b", answer.answer, re.IGNORECASE)


@pytest.mark.parametrize("question", ON_TOPIC)
def test_question_the_articles_answer_is_not_refused(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.refused is False
    assert answer.citations, answer.answer
