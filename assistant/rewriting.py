"""Follow-up detection and the offline rewrite of a follow-up into a standalone question."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.records import Message

_PERSON_PRONOUNS = r"he|she|him|his|her|hers|himself|herself"
_THING_PRONOUNS = r"it|its|itself|that|this|those|these|they|them|their|there"
_PRONOUN = re.compile(rf"\b({_PERSON_PRONOUNS}|{_THING_PRONOUNS})\b", re.IGNORECASE)
_FOLLOW_UP_START = re.compile(
    r"^\s*(and|but|so|also|what about|how about|why (?:is|was) that|why not|then|ok|okay)\b",
    re.IGNORECASE,
)
# Capitalised names (Naftali Bennett, Institute for National Security Studies), acronyms (INSS),
# and codes with digits (S-400).
_ENTITY = re.compile(
    r"\b(?:[A-Z][\w’'\-]*[A-Za-z0-9](?:\s+(?:of|for|the|and|de|al)\s+[A-Z][\w’'\-]*|\s+[A-Z][\w’'\-]*)*"
    r"|[A-Z]{2,}(?:-\d+)?|[A-Z]-\d+)\b"
)
_QUESTION_WORDS = frozenset(
    [
        "what",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "which",
        "is",
        "are",
        "was",
        "were",
        "do",
        "does",
        "did",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "the",
        "a",
        "an",
        "and",
        "but",
        "so",
        "also",
        "please",
        "tell",
        "explain",
        "describe",
    ]
)


def is_follow_up(question: str, history: Sequence[Message]) -> bool:
    """A question that leans on earlier turns: it has history and points back with a pronoun,
    opens with "and ..."/"what about ...", or is too short to stand alone."""
    if not history:
        return False
    if _PRONOUN.search(question) or _FOLLOW_UP_START.search(question):
        return True
    return len(re.findall(r"\w+", question)) <= 3


def entities(text: str) -> list[str]:
    """Named things in a text, in order of appearance, without question words."""
    found: list[str] = []
    for match in _ENTITY.finditer(text):
        words = match.group(0).replace("’s", "").replace("'s", "").split()
        while words and words[0].lower() in _QUESTION_WORDS:
            words = words[1:]
        name = " ".join(words)
        if name and name.lower() not in _QUESTION_WORDS and name not in found:
            found.append(name)
    return found


# Last words that make a capitalised name an organisation, place or document, not a person.
_NOT_PERSON_WORDS = frozenset(
    [
        "accord",
        "accords",
        "agreement",
        "agreements",
        "bank",
        "institute",
        "union",
        "states",
        "nations",
        "party",
        "council",
        "ministry",
        "forces",
        "army",
        "house",
        "office",
        "treaty",
        "studies",
        "court",
        "assembly",
        "committee",
        "agency",
        "administration",
        "government",
        "republic",
        "kingdom",
        "emirates",
        "sea",
        "river",
        "city",
        "university",
        "news",
        "times",
        "post",
        "journal",
        "group",
        "company",
        "corporation",
        "fund",
        "program",
        "programme",
        "plan",
        "deal",
        "summit",
        "war",
    ]
)


def _is_person(name: str) -> bool:
    words = name.split()
    return (
        2 <= len(words) <= 3
        and all(w[0].isupper() and w[1:].islower() for w in words if w)
        and words[-1].lower() not in _NOT_PERSON_WORDS
    )


def _topic(question: str) -> str:
    """What an earlier question was about: the question without its wh-word opening."""
    text = question.strip().rstrip("?.! ")
    text = re.sub(
        r"^(?:(?:what|who|whom|why|how|when|where|which)(?:\s+(?:is|are|was|were|did|does|do|"
        r"has|have|had|can|could|would|should|will|much|many))?\s+)",
        "",
        text,
        flags=re.IGNORECASE,
    )
    return text


def rewrite_offline(question: str, history: Sequence[Message]) -> str:
    """Deterministic rewrite: replace pronouns with the entities of earlier turns, or carry the
    earlier topic along when there is no clear entity. Returns the question unchanged when it
    already stands alone."""
    if not is_follow_up(question, history):
        return question
    users = [m.content for m in history if m.role == "user"]
    others = [m.content for m in history if m.role == "assistant"]
    # Most recent user turn first, then the answers, for entities that the user meant.
    recent = list(reversed(users)) + list(reversed(others))
    names = [e for text in recent for e in entities(text)]
    own = set(entities(question))
    names = [n for n in dict.fromkeys(names) if n not in own]
    people = [n for n in names if _is_person(n)]
    things = [n for n in names if not _is_person(n)]

    rewritten = question.strip()
    replaced = False
    if people:
        rewritten, count = re.subn(
            r"\b(his|her|hers)\b", f"{people[0]}’s", rewritten, count=1, flags=re.IGNORECASE
        )
        rewritten, more = re.subn(
            r"\b(he|she|him|himself|herself)\b", people[0], rewritten, count=1, flags=re.IGNORECASE
        )
        replaced = bool(count or more)
    thing_match = re.search(r"\b(it|its|this|that|these|those)\b", rewritten, re.IGNORECASE)
    last_user = users[-1] if users else ""
    # "it" names one thing only when the earlier question was about one thing ("What is the
    # S-400?"); after "Why did Israel avoid sanctioning Russia?" it means that whole topic.
    single_subject = len([e for e in entities(last_user) if not _is_person(e)]) <= 1 or bool(
        re.match(
            r"^\s*(what|who)\s+(is|are|was|were)\b|^\s*tell me about\b", last_user, re.IGNORECASE
        )
    )
    if things and thing_match and not replaced and single_subject:
        word = thing_match.group(1).lower()
        target = things[0]
        if any(ch.isdigit() for ch in target):
            target = f"the {target}"
        if word == "its":
            target = f"{target}’s"
        rewritten = rewritten[: thing_match.start()] + target + rewritten[thing_match.end() :]
        replaced = True
    elif thing_match and not replaced:
        topic = _topic(last_user)
        if topic and topic.lower() not in rewritten.lower():
            rewritten = f"{rewritten.rstrip('?. ')} (context: {topic})?"
            replaced = True
    rewritten = re.sub(r"^\s*(and|but|so|also)\s+", "", rewritten, flags=re.IGNORECASE)
    rewritten = rewritten[:1].upper() + rewritten[1:]
    if rewritten == question.strip():
        context = ", ".join(names[:3])
        if context:
            rewritten = f"{rewritten.rstrip('?. ')} (context: {context})?"
    return rewritten
