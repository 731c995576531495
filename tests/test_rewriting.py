"""Follow-up detection and the offline rewrite of follow-ups into standalone questions."""

from __future__ import annotations

import pytest

from assistant.records import Message
from assistant.rewriting import entities, is_follow_up, rewrite_offline


def history(*turns: str) -> list[Message]:
    """Alternating user/assistant messages, starting with the user."""
    return [Message("user" if i % 2 == 0 else "assistant", text) for i, text in enumerate(turns)]


BENNETT = history(
    "Who is Naftali Bennett?",
    "Naftali Bennett is a former Israeli Prime Minister quoted in the articles on Israel's "
    "relations with Russia.",
)
S400 = history(
    "What is the S-400 mentioned in the articles?",
    "The S-400 is an advanced Russian air defense missile system deployed in Syria.",
)
SANCTIONS = history("why did Israel avoid sanctioning Russia")


@pytest.mark.parametrize(
    "question",
    [
        "What did he warn about at the Cabinet meeting?",
        "and what did Bennett say about it?",
        "Why?",
        "Tell me more",
    ],
)
def test_without_history_nothing_is_a_follow_up(question: str) -> None:
    assert is_follow_up(question, []) is False


@pytest.mark.parametrize(
    "question",
    [
        "What did he warn about at the Cabinet meeting?",  # person pronoun
        "Who has effective control of it in Syria?",  # thing pronoun
        "What did they sign?",
        "And Iran?",  # opens with "and"
        "and what did Bennett say about the Cabinet meeting",
        "What about Iran",
        "But why not Ukraine",
        "Why?",  # too short to stand alone
        "Tell me more",
    ],
)
def test_pronouns_openers_and_short_questions_with_history_are_follow_ups(question: str) -> None:
    assert is_follow_up(question, SANCTIONS) is True


@pytest.mark.parametrize(
    "question",
    [
        "When did Russia's military intervention in Syria begin?",
        "Which Russian air defense system gives Moscow control over Syrian airspace?",
        "How did Israel respond to Russia's invasion of Ukraine?",
        "Who was the first Kremlin leader to visit Israel?",
    ],
)
def test_standalone_questions_with_history_are_not_follow_ups(question: str) -> None:
    assert is_follow_up(question, BENNETT) is False


@pytest.mark.parametrize(
    ("question", "turns", "expected"),
    [
        (
            "What did he warn about at the Cabinet meeting?",
            BENNETT,
            "What did Naftali Bennett warn about at the Cabinet meeting?",
        ),
        (
            "What did he warn about at the Cabinet meeting?",
            BENNETT[:1],
            "What did Naftali Bennett warn about at the Cabinet meeting?",
        ),
        (
            "Who has effective control of it in Syria?",
            S400,
            "Who has effective control of the S-400 in Syria?",
        ),
        ("What was his role?", history("Who is Zvi Magen?"), "What was Zvi Magen’s role?"),
    ],
)
def test_rewrite_puts_the_entity_in_place_of_the_pronoun(
    question: str, turns: list[Message], expected: str
) -> None:
    assert rewrite_offline(question, turns) == expected


def test_rewrite_carries_a_topic_when_it_means_the_whole_earlier_question() -> None:
    rewritten = rewrite_offline("and what did Bennett say about it?", SANCTIONS)
    assert "sanctioning Russia" in rewritten
    assert "Bennett" in rewritten
    assert not rewritten.lower().startswith("and ")  # the connective goes, the question stays
    assert rewritten == "What did Bennett say about it (context: Israel avoid sanctioning Russia)?"


def test_rewrite_of_a_bare_follow_up_names_the_earlier_entities() -> None:
    assert (
        rewrite_offline("What about Iran?", SANCTIONS)
        == "What about Iran (context: Israel, Russia)?"
    )


@pytest.mark.parametrize(
    "question",
    [
        "When did Russia's military intervention in Syria begin?",
        "Which Russian air defense system gives Moscow control over Syrian airspace?",
        "Who is Zvi Magen?",
    ],
)
@pytest.mark.parametrize("turns", [[], BENNETT, S400])
def test_standalone_questions_are_returned_unchanged(question: str, turns: list[Message]) -> None:
    assert rewrite_offline(question, turns) == question


def test_the_most_recent_user_turn_wins() -> None:
    turns = BENNETT + history("Who is Zvi Magen?")
    assert rewrite_offline("What did he say?", turns) == "What did Zvi Magen say?"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Who is Naftali Bennett?", ["Naftali Bennett"]),
        ("What is the S-400 mentioned in the articles?", ["S-400"]),
        ("Why did Israel avoid sanctioning Russia?", ["Israel", "Russia"]),
        (
            "How did the Trump administration pressure Israel at the United Nations?",
            ["Trump", "Israel", "United Nations"],
        ),
        (
            "Zvi Magen of the Institute for National Security Studies (INSS) said so.",
            ["Zvi Magen", "Institute for National Security Studies", "INSS"],
        ),
        (  # possessives dropped, no repeats
            "Putin’s trip to Iran came after Putin's visit to Tehran.",
            ["Putin", "Iran", "Tehran"],
        ),
        ("What did NATO and the EU say?", ["NATO", "EU"]),
        ("what is going on here?", []),
        ("", []),
    ],
)
def test_entities(text: str, expected: list[str]) -> None:
    assert entities(text) == expected
