"""Refusal on the real bundled corpus: questions the articles touch but do not answer are refused
(as "related" or "unrelated"), questions about things the articles do describe are answered
(held-out, not the gold set)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.config import load_settings
from tests.conftest import BUNDLED_ARTICLES

OFF_TOPIC = [
    "Who won the 2018 FIFA World Cup?",
    "What is the capital of Australia?",
    "What did Netanyahu say about China's economy?",
    "What is the GDP of Russia?",
    "What did Bennett say about electric cars?",
    "What is the population of Moscow?",
    "Who is the president of France?",
    "What did Putin say about the Olympics?",
    "What is the population of Russia?",
    "What is Israel's GDP?",
    "When was Vladimir Putin born?",
    "What is the capital of Iran?",
    "How tall is Naftali Bennett?",
    "What is Hezbollah's annual budget?",
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


@pytest.mark.parametrize("question", ON_TOPIC)
def test_question_the_articles_answer_is_not_refused(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.refused is False
    assert answer.citations, answer.answer
