"""What a question asks for, and what it is about."""

from __future__ import annotations

import pytest

from assistant.questions import analyse, parts


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Why did Israel avoid sanctioning Russia?", "reason"),
        ("What was the reason for the delay?", "reason"),
        ("When did Putin come to power?", "date"),
        ("In what year did Putin take power?", "date"),
        ("What is the deadline to register?", "date"),
        ("How many people died in the stampede?", "number"),
        ("What was the death toll?", "number"),
        ("What pre-tax profit did the airline report?", "number"),
        ("Where was the grain deal signed?", "place"),
        ("In which US state did she give the talk?", "place"),
        ("Which company built the crane?", "organisation"),
        ("Who leads the research station?", "person"),
        ("Who is the president of France?", "person"),
        ("Who is Zvi Magen?", "description"),
        ("who is zvi magen", "description"),
        ("Is Israel sanctioning Russia?", "yesno"),
        ("Did the court rule on the case?", "yesno"),
        ("What are the strategic benefits for Israel?", "list"),
        # The noun that says what is asked may follow several words, or "which of X's".
        ("Which New York Knicks player was injured?", "person"),
        ("Which of the senator's aides resigned?", "person"),
        ("Which police officer was shot in the custody centre?", "person"),
        ("Which Chinese astronaut flew the mission?", "person"),
        ("Which small opposition parties boycotted the vote?", "organisation"),
        ("What were the names of the victims?", "person"),
        ("On how many charges was the doctor convicted?", "number"),
        ("Which foreign policy issues did they disagree on?", "list"),
        ("Which Baltic states had joined first?", "place"),
        # ... but never after an auxiliary: "the court" is not what is asked for here.
        ("What did the court decide?", "description"),
        ("What illness did the singer have?", "description"),
        ("How did the Trump administration pressure Israel?", "description"),
        ("What are these articles about?", "overview"),
        ("Summarize the news", "overview"),
        ("What's new on Iran?", "overview"),
        ("What plane crashes are covered?", "overview"),
        # "covered" that says nothing of the library asks no overview.
        ("What share of his body was covered in burns after the fire?", "number"),
        ("hi", "smalltalk"),
        ("Thanks a lot!", "smalltalk"),
        ("what can you do?", "smalltalk"),
    ],
)
def test_what_the_question_asks_for(question: str, asks: str) -> None:
    assert analyse(question).asks == asks


def test_entities_and_overview_topics() -> None:
    assert [e.name for e in analyse("Why did Israel avoid sanctioning Russia?").entities] == [
        "Israel",
        "Russia",
    ]
    assert analyse("What's new on Iran?").topic == "Iran"
    assert analyse("What are these articles about?").topic is None
    assert analyse("Summarize the news").entities == ()  # the imperative is not a name
    assert analyse("Who is Zvi Magen?").subject == "Zvi Magen"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many died, and who was charged?", ["How many died?", "Who was charged?"]),
        # An irregular past is a verb too.
        (
            "How far did the crew drive the train, and how many women made up the crew?",
            ["How far did the crew drive the train?", "How many women made up the crew?"],
        ),
        # The second question may open with a preposition and ask with a modal verb.
        (
            "By how many votes did the House pass it, and on what day might the trial start?",
            ["By how many votes did the House pass it?", "On what day might the trial start?"],
        ),
        # "when it passed" is a clause of the first question, not a second question.
        (
            "How strong were the winds when it formed, and when it passed Bermuda?",
            ["How strong were the winds when it formed, and when it passed Bermuda?"],
        ),
        (
            "How many deaths were there when the world passed a million, and when the US did?",
            ["How many deaths were there when the world passed a million, and when the US did?"],
        ),
    ],
)
def test_a_question_asking_two_things_is_split_in_two(question: str, expected: list[str]) -> None:
    assert parts(question) == expected


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Give me a rundown of the stories on Hong Kong elections.", "Hong Kong elections"),
        (
            "Give me a rundown of what the library has on the measles outbreak in Samoa.",
            "the measles outbreak in Samoa",
        ),
        ("What are the stories about Samoa about?", "Samoa"),
        ("Give me a rundown of the articles involving Donald Trump", "Donald Trump"),
        ("What's the latest on Hurricane Humberto?", "Hurricane Humberto"),
        ("Summarize the articles about Alexei Navalny.", "Alexei Navalny"),
        ("What's been going on in Hong Kong lately?", "Hong Kong"),
        ("Give me an overview of the coronavirus stories you have.", "the coronavirus"),
        ("What plane crashes are covered in the news articles?", "plane crashes"),
        ("Summarize what's been going on with Brexit", "Brexit"),
    ],
)
def test_an_overview_topic_is_what_it_is_about_not_where_to_look(question: str, topic: str) -> None:
    intent = analyse(question)
    assert (intent.asks, intent.topic) == ("overview", topic)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What prison term did Kaczyński float for child abusers?", "description"),
        ("Which city did he visit?", "place"),
        ("Which hospital did Trump go to?", "place"),
    ],
)
def test_a_place_noun_followed_by_its_head_noun_asks_no_place(question: str, asks: str) -> None:
    assert analyse(question).asks == asks


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who were Gloria Vanderbilt's husbands?", "person"),
        ("Who is Biden's running mate?", "person"),
        ("Who is Zvi Magen?", "description"),
    ],
)
def test_who_is_someones_role_asks_a_name(question: str, asks: str) -> None:
    assert analyse(question).asks == asks


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        # a verb after "who was" asks who did it or had it done, not what someone is
        ("Who was arrested over the stabbings in Reading?", "person"),
        ("who is backing it?", "person"),
        ("Who was shot?", "person"),
        ("what are their names?", "person"),
        ("Who is his father?", "person"),
        ("Who is Zvi Magen?", "description"),
        ("What is its name?", "description"),
    ],
)
def test_who_was_done_to_and_their_names_ask_a_name(question: str, asks: str) -> None:
    assert analyse(question).asks == asks


@pytest.mark.parametrize(
    "question",
    [
        "Which university's scientists estimated the number of cases?",
        "Which college did he attend?",
        # bodies named by what they are
        "Which news outlet was handed the rain-soaked Environment Canada papers?",
        "Which Kurdish-led force said Trump's Syria pullout was a betrayal?",
        "Which foundation paid for the air ambulance?",
    ],
)
def test_a_university_is_asked_for_as_a_body(question: str) -> None:
    assert analyse(question).asks == "organisation"


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        # a place named by what it is
        ("Near which air base did the crash happen?", "place"),
        ("In which park was the baby playing?", "place"),
        # a preposition, a hedge or an opening phrase before the question proper
        ("On which council did she sit?", "organisation"),
        ("Roughly how many people died?", "number"),
        ("Under Johnson's plan, when would Parliament sit again?", "date"),
        ("Compared with 2016, did Sanders take a bigger share of the vote?", "yesno"),
        # (but "for what reason" is itself a rule's)
        ("For what reason did he quit?", "reason"),
        # a "which" put last
        ("Mir-Mohammadi, the official who died, sat on which council?", "organisation"),
        # ... not when a second question brings it ("and which hospital")
        ("What happened to the man, and which hospital was he taken to?", "description"),
        # people named by their family or faith
        ("Which of Gloria Vanderbilt's sons announced her death?", "person"),
        ("Which Muslim cleric was tried alongside him?", "person"),
        # a plural place noun asks for places, not the plural of a field's word
        ("Which islands did Hurricane Lorenzo hit?", "place"),
        ("What policy areas are the working groups meant to cover?", "list"),
        # a possessive before the noun asked for, not across the verb
        ("What was Hurricane Dorian's final death toll in the Bahamas?", "number"),
        ("What was Boeing's reason for the delay?", "reason"),
        ("What illness did Goa's former deputy chief minister have?", "description"),
    ],
)
def test_what_is_asked_past_the_words_around_it(question: str, asks: str) -> None:
    assert analyse(question).asks == asks


@pytest.mark.parametrize(
    "question",
    [
        "What did it cost to put on the event in Vienna?",
        "What did the ticket cost?",
        "What's the estimated cost of the damage from the car park fire?",
        "What's the minimum wind speed for Category 5?",
    ],
)
def test_what_did_it_cost_and_whats_the_cost_ask_for_a_number(question: str) -> None:
    assert analyse(question).asks == "number"
