"""Rephrasing a question as an indirect question, and as what "it" points back to."""

from __future__ import annotations

import pytest

from assistant.phrasing import gerund, indirect, past, third_person, topic


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "What pre-tax profit did AstraZeneca report for 2004?",
            "what pre-tax profit AstraZeneca reported for 2004",
        ),
        ("Why did Israel avoid sanctioning Russia?", "why Israel avoided sanctioning Russia"),
        ("What is the population of Tel Aviv?", "what the population of Tel Aviv is"),
        ("Where was the grain deal signed?", "where the grain deal was signed"),
        ("In what year did Putin take power?", "in what year Putin took power"),
        ("Is Israel sanctioning Russia?", "whether Israel is sanctioning Russia"),
        ("Did Putin visit Iran?", "whether Putin visited Iran"),
        # a verb ending the question after a name ("have" is no auxiliary here)
        ("What illness did John Luk Jok have?", "what illness John Luk Jok had"),
        ("What did the boy eat?", "what the boy ate"),
        ("Has China joined the bloc?", "whether China has joined the bloc"),
        ("How many people died in the stampede?", "how many people died in the stampede"),
        (
            "How tall was the crane that collapsed in Mecca?",
            "how tall the crane that collapsed in Mecca was",
        ),
        (
            "What is the deconfliction mechanism between Israel and Russia for?",
            "what the deconfliction mechanism between Israel and Russia is for",
        ),
        ("Does Israel support Ukraine?", "whether Israel supports Ukraine"),
        # The wh-word is the subject: the order stays.
        (
            "Who were named as the House impeachment managers?",
            "who were named as the House impeachment managers",
        ),
        ("Which players weren't picked?", "which players were not picked"),
        # "n't" goes back in after the subject.
        (
            "Why wasn't the NTSB investigating the Florida crash?",
            "why the NTSB was not investigating the Florida crash",
        ),
        ("Why didn't Israel sanction Russia?", "why Israel did not sanction Russia"),
        ("Why can't the team play?", "why the team cannot play"),
        ("Why isn't Israel a member of NATO?", "why Israel is not a member of NATO"),
        ("Who didn't attend the summit?", "who did not attend the summit"),
        ("How old was Gerald Ford when he died?", "how old Gerald Ford was when he died"),
        # A participle the verb list lacks ("stab") is still one.
        ("When was the mayor stabbed?", "when the mayor was stabbed"),
        # "the name of ...": all after "was" is what is asked about, not a passive.
        (
            "What was the flight number of the Ukrainian plane Iran shot down?",
            "what the flight number of the Ukrainian plane Iran shot down was",
        ),
        (
            "What is the name of the schoolboy shot by police in Tsuen Wan?",
            "what the name of the schoolboy shot by police in Tsuen Wan is",
        ),
        ("What was Maria charged with?", "what Maria was charged with"),
        ("When was the company set up?", "when the company was set up"),
        # "how many" alone is the subject: the order stays.
        ("How many were on the plane?", "how many were on the plane"),
        ("How many were killed in the attack?", "how many were killed in the attack"),
        (
            "Which universities were behind the research?",
            "which universities were behind the research",
        ),
        ("Where was he in 2019?", "where he was in 2019"),
        ("How much does he have to pay back?", "how much he has to pay back"),
        ("Why did the officer open fire?", "why the officer opened fire"),
        # a noun that is also a verb, inside the subject: the verb is the one after it
        (
            "What time of day did the Magnitogorsk apartment block come down?",
            "what time of day the Magnitogorsk apartment block came down",
        ),
        ("What R0 did the Zhuhai study find?", "what R0 the Zhuhai study found"),
        ("When did the census last ask about it?", "when the census last asked about it"),
        (
            "Where did the Texas Haunters Convention take place?",
            "where the Texas Haunters Convention took place",
        ),
        ("Why did the team help build the school?", "why the team helped build the school"),
    ],
)
def test_indirect(question: str, expected: str) -> None:
    assert indirect(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Why did Israel avoid sanctioning Russia?", "Israel avoiding sanctioning Russia"),
        ("What is the S-400?", "the S-400"),
        (
            "When did Russia's military intervention in Syria begin?",
            "Russia's military intervention in Syria",
        ),
        ("Where was the grain deal signed?", "the grain deal"),
        ("What did Bennett say about sanctions?", None),
    ],
)
def test_topic(question: str, expected: str | None) -> None:
    assert topic(question) == expected


@pytest.mark.parametrize(
    ("verb", "forms"),
    [
        ("report", ("reported", "reporting", "reports")),
        ("take", ("took", "taking", "takes")),
        ("stop", ("stopped", "stopping", "stops")),
        ("try", ("tried", "trying", "tries")),
        ("visit", ("visited", "visiting", "visits")),
        ("die", ("died", "dying", "dies")),
        # One syllable doubles its last letter; "open" has two, "omit" stresses the last.
        ("open", ("opened", "opening", "opens")),
        ("omit", ("omitted", "omitting", "omits")),
        ("plan", ("planned", "planning", "plans")),
    ],
)
def test_verb_forms(verb: str, forms: tuple[str, str, str]) -> None:
    assert (past(verb), gerund(verb), third_person(verb)) == forms
