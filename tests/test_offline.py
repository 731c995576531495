"""The offline answer: which sentence leads, how sentences read, overviews, refusals, greetings."""

from __future__ import annotations

import pytest

from assistant.answerability import (
    FEATURES,
    Candidate,
    concepts,
    counted_unit,
    counts_unit,
    has_answer_kind,
    judge,
    lead_candidate,
    needs_context,
    on_topic,
    role_asked,
    units,
    withheld,
)
from assistant.citations import Passage
from assistant.offline import (
    GREETING,
    THANKS,
    ArticleLead,
    Chosen,
    answer,
    choose,
    closest,
    compose,
    display,
    nothing,
    overview,
    shown_sentences,
    smalltalk,
)
from assistant.questions import analyse
from assistant.records import Message, Source
from assistant.text import normalise

STATION = (
    "Scientists opened a new research station in Antarctica on Monday. "
    "The station cost 40 million dollars to build. "
    "It is led by the glaciologist Maria Lopez, who has worked in the region for 20 years. "
    "She said the team would study the ice sheet."
)
BULLETS = (
    "Israel has avoided alienating Moscow through several moves:\n"
    "➡️ Avoiding Provoking Russia: Israeli officials were wary of provoking Russia.\n"
    "- Military Coordination – Israel conducts airstrikes in Syria with tacit Russian approval."
)
QUOTE = (
    "Magen spoke to reporters on Tuesday. "
    "“We really don’t know what the results were. They signed nothing,” he said. "
    "Registration closes on 30 June 2024 at noon."
)


def source(n: int, text: str, name: str, title: str | None = None) -> Source:
    return Source(n, f"c{n}", name, text, 0, len(text), 1.0, title=title, date="2024-05-01")


def passage_of(src: Source, starts: str) -> Passage:
    return next(p for p in units(src) if p.text.startswith(starts))


def everything(_term: str) -> bool:
    return True


def judged(question: str, *sources: Source):  # type: ignore[no-untyped-def]
    return judge(analyse(question), sources, lambda _t: 1.0, everything, {})


def test_the_sentence_holding_the_asked_for_kind_of_fact_leads() -> None:
    src = source(1, STATION, "station.txt")
    question = "Who leads the research station?"
    text = answer(analyse(question), judged(question, src))
    # "It is led by ..." needs the sentence before it, so the two read as one sentence.
    assert text.startswith(
        "The station cost 40 million dollars to build; it is led by the glaciologist Maria Lopez"
    )


def test_a_when_question_is_answered_with_a_date_in_one_or_two_sentences() -> None:
    src = source(1, QUOTE, "quote.txt")
    question = "What is the deadline to register?"
    text = answer(analyse(question), judged(question, src))
    assert text.startswith("Registration closes on 30 June 2024 at noon [1].")
    assert text.count("[1]") <= 2


def test_display_drops_bullets_labels_and_names_the_speaker() -> None:
    src = source(1, BULLETS, "bullets.txt")
    assert display(passage_of(src, "➡️")) == "Israeli officials were wary of provoking Russia."
    assert display(passage_of(src, "- Military")) == (
        "Israel conducts airstrikes in Syria with tacit Russian approval."
    )
    station = source(2, STATION, "station.txt")
    assert display(passage_of(station, "She said")) == (
        "Maria Lopez said the team would study the ice sheet."
    )


def test_a_quotation_over_two_sentences_is_one_unit_with_both_quote_marks() -> None:
    src = source(1, QUOTE, "quote.txt")
    quoted = [u.text for u in units(src) if "“" in u.text]
    assert quoted == ["“We really don’t know what the results were. They signed nothing,” he said."]


def test_a_sentence_starting_inside_a_quotation_opened_before_the_chunk_is_not_a_unit() -> None:
    src = source(1, "nothing at all,” he said. The talks ended on Friday.", "tail.txt")
    assert [u.text for u in units(src)] == ["The talks ended on Friday."]
    # ... nor is a whole sentence before the one that closes it: Mary Quant's words, not the
    # article's.
    quote = source(
        2,
        'She was all woman, as well as being the girl next door. She had it all." '
        "Day was born in 1922.",
        "day.txt",
    )
    assert [u.text for u in units(quote)] == ["Day was born in 1922."]
    # A mark that opens a quotation does not close one too ('did "...not recognize').
    memo = source(3, 'The Senate cancelled because he did "...not recognize the [matter]."', "m")
    assert [u.text for u in units(memo)] == [memo.text]


MENDEZ = (
    "Former CIA agent Tony Mendez died on Saturday, aged 78, in Frederick, Maryland. "
    "According to his publicist, Mendez died of Parkinson's disease. "
    "Former CIA deputy director Michael Morell praised Mendez, saying his work helped to "
    "protect the nation."
)


def test_a_follow_up_asking_for_one_fact_may_be_answered_by_a_sentence_shown_before() -> None:
    src = source(1, MENDEZ, "mendez.txt")
    first = answer(analyse("Who was Tony Mendez?"), judged("Who was Tony Mendez?", src))
    assert "Parkinson" in first
    shown = shown_sentences([Message("user", "Who was Tony Mendez?"), Message("assistant", first)])
    question = "What did Tony Mendez die of?"
    assert analyse(question).asks == "reason"
    again = answer(analyse(question), judged(question, src), shown)
    # "died of" gives a cause, and the sentence giving it leads though it was shown before.
    assert again.startswith("According to his publicist, Mendez died of Parkinson's disease")
    # ... but "what else" wants something the conversation has not shown.
    said = "According to his publicist, Mendez died of Parkinson's disease [1]."
    more = "What else did Tony Mendez die of?"
    reply = answer(analyse(more), judged(more, src), shown_sentences([Message("assistant", said)]))
    assert "Parkinson" not in reply


def test_sentences_the_conversation_showed_are_not_repeated() -> None:
    src = source(1, STATION, "station.txt")
    question = "What do we know about the new research station?"
    first = answer(analyse(question), judged(question, src))
    shown = shown_sentences([Message("user", question), Message("assistant", first)])
    again = answer(analyse(question), judged(question, src), shown)
    first_sentences = {s.strip() for s in first.split("[1]")}
    assert not {s.strip() for s in again.split("[1]")} & first_sentences - {"", "."}


def test_related_names_what_the_articles_do_not_say_and_cites_the_closest() -> None:
    src = source(1, STATION, "station.txt")
    question = "What is the population of Antarctica?"
    text = closest(analyse(question), judged(question, src))
    assert text.startswith(
        "The articles don't say what the population of Antarctica is; the closest they come is:"
    )
    assert text.endswith("[1].")


def test_unrelated_names_what_the_library_lacks() -> None:
    judgement = judge(
        analyse("What did AstraZeneca report?"),
        [source(1, STATION, "station.txt")],
        lambda _t: 1.0,
        lambda term: term != "astrazeneca",
        {},
    )
    assert judgement.outcome == "unrelated"
    assert nothing(judgement) == "Nothing in the library is about AstraZeneca."


@pytest.mark.parametrize(
    ("said", "reply"), [("hi", GREETING), ("Hello there!", GREETING), ("thanks!", THANKS)]
)
def test_smalltalk(said: str, reply: str) -> None:
    assert smalltalk(said) == reply


def test_overview_gives_one_cited_line_per_article_in_date_order() -> None:
    newer = Source(1, "a", "new.txt", STATION, 0, len(STATION), 0.0, "New station", "2024-05-02")
    older = Source(2, "b", "old.txt", QUOTE, 0, len(QUOTE), 0.0, "Magen talks", "2023-01-09")
    text = overview(
        analyse("What are these articles about?"),
        [ArticleLead(newer, None), ArticleLead(older, None)],
        total=2,
    )
    assert text.splitlines() == [
        "Here is what the articles cover, by date:",
        "Magen talks (2023-01-09): Magen spoke to reporters on Tuesday [2].",
        "New station (2024-05-02): Scientists opened a new research station in Antarctica on "
        "Monday [1].",
    ]


FLIGHT = (
    "Zapata took off from Sangatte on Sunday morning. "
    "About 15,000 people watched Zapata's flight across the Channel from the beach. "
    "The crossing lasted 22 minutes with one refuelling stop halfway to Dover."
)


def test_how_many_minutes_leads_with_the_number_of_minutes() -> None:
    src = source(1, FLIGHT, "flight.txt")
    question = "How many minutes did Zapata's flight across the Channel take?"
    text = answer(analyse(question), judged(question, src))
    # The sentence that shares the question's words counts people, not minutes.
    assert text.startswith("The crossing lasted 22 minutes")


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("How many minutes did the flight last?", "minut"),
        ("How many people in Greece still follow it?", "peopl"),
        ("How much money did they raise?", "money"),
        ("How far from Earth is K2-18b?", "light"),
        # No verb or preposition the pattern stops at: the word after "how many".
        ("How many states later sued over Trump's emergency?", "state"),
        ("When did it happen?", None),
    ],
)
def test_what_a_how_many_question_counts(question: str, unit: str | None) -> None:
    counted = counted_unit(question)
    assert (unit in counted) if unit else counted == ()


def test_a_number_counts_the_words_after_it() -> None:
    assert counts_unit("The 22-mile crossing took 22 minutes.", ("minut",))
    assert counts_unit("It is about 110 light-years from Earth.", counted_unit("How far is it?"))
    assert counts_unit("They released ten buffalo on Wednesday.", ("buffalo",))
    assert not counts_unit("Nine men were jailed in 2019.", ("minut",))
    # A unit written against its number is still the unit counted.
    assert counts_unit("The train covered a distance of 139km.", counted_unit("How far did it go?"))


def test_a_time_of_day_question_is_answered_by_a_clock_time_not_a_day() -> None:
    question = "At what time of day did the building collapse?"
    assert has_answer_kind("The collapse occurred at 6am as occupants slept.", "date", question)
    assert has_answer_kind("It fell early in the morning.", "date", question)
    assert not has_answer_kind("The building collapsed on Monday, 31 December.", "date", question)
    # ... while "when" is answered by either.
    assert has_answer_kind("The building collapsed on Monday, 31 December.", "date", "When?")


RACE = (
    "Eliud Kipchoge won the men's race in 2:05:45. "
    "He was followed by Dejene Debela and Asefa Mengstu. "
    "He said it was hard. "
    "Brigid Kosgei won the women's race. "
    "She broke the record by 81 seconds."
)


def test_he_is_named_only_when_the_sentence_before_names_one_person() -> None:
    src = source(1, RACE, "race.txt")
    assert display(passage_of(src, "He was followed")).startswith("Eliud Kipchoge was followed")
    assert display(passage_of(src, "She broke")).startswith("Brigid Kosgei broke")
    # The sentence before names two runners besides "he": the pronoun stays (an answer brings
    # that sentence along) rather than guessing which of them spoke.
    assert display(passage_of(src, "He said")) == "He said it was hard."


DEATH = (
    "On Monday, Pranab Mukherjee, a career politician, died. "
    "Mukherjee was elected to the Rajya Sabha, the upper legislature, in 1969. "
    "He became finance minister in 1982. "
    "His death was announced by his son Abhijit Mukherjee via Twitter. "
    "He died at the Army's Research and Referral Hospital."
)


def test_he_stays_when_the_sentence_before_may_name_someone_else_or_has_a_he_of_its_own() -> None:
    src = source(1, DEATH, "death.txt")
    # "Rajya Sabha" reads as a person's name but is a house of parliament, and "Mukherjee"
    # beside it may be the one meant: no guess ("Rajya Sabha became finance minister").
    assert display(passage_of(src, "He became")) == "He became finance minister in 1982."
    # The son is the one person named, but "his death" before is the father's.
    assert display(passage_of(src, "He died")).startswith("He died at")


TRIP = (
    "The children from Smolensk were travelling to Kaluga by bus on Sunday. "
    "The occupants were going to a dance competition in the city. "
    "The bus rolled over on the motorway."
)


def test_a_why_question_is_answered_without_a_because() -> None:
    src = source(1, TRIP, "trip.txt")
    question = "Why were the children from Smolensk travelling to Kaluga?"
    judgement = judged(question, src)
    assert judgement.outcome == "answered"
    assert "dance competition" in answer(analyse(question), judgement)


def test_a_question_about_two_people_answers_about_both() -> None:
    guy = source(
        1,
        "Richard Guy, a British mathematician, died on Monday at 103 years of age. "
        "Guy was a mathematics professor at the University of Calgary for decades.",
        "guy.txt",
    )
    conway = source(
        2,
        "John Conway, inventor of the Game of Life, died of COVID-19 in New Jersey. "
        "Conway was 82 years old when he died last weekend.",
        "conway.txt",
    )
    question = "How old were Richard Guy and John Conway when they died?"
    text = answer(analyse(question), judged(question, guy, conway))
    assert "103 years" in text and "82 years" in text


def test_a_name_that_only_describes_what_is_asked_is_not_required() -> None:
    src = source(
        1,
        "A video of the actor Tom Cruise sparked the attack on the Scientology website. "
        "The actor Jason Beghe helped the young Scientology defector leave the organisation.",
        "actors.txt",
    )
    # "Hollywood" describes the actors asked about; the articles name them without it.
    question = "Which Hollywood actors come up in the Scientology stories?"
    assert judged(question, src).outcome == "answered"
    # A name the question is about, that nothing retrieved mentions, is still not answered.
    assert judged("What profit did AstraZeneca report for 2004?", src).outcome == "unrelated"


def test_the_lead_comes_from_the_article_that_names_what_is_asked_about() -> None:
    party = source(
        1,
        "Shots were fired at a graduation party in Clairton on Saturday night. "
        "Police said the shooter has not been identified and the party was crowded.",
        "clairton.txt",
    )
    boat = source(
        2,
        "Captain Jerry Boylan fired the crew's alarm after the boat caught fire at the party pier.",
        "boat.txt",
    )
    question = "Who opened fire at the graduation party in Clairton?"
    judgement = judged(question, party, boat)
    # The boat story names a person, but it is not about Clairton: no answer leads with it.
    assert judgement.outcome != "answered" or "Boylan" not in answer(analyse(question), judgement)
    assert lead_candidate(judgement.candidates).passage.source.source == "clairton.txt"


def test_a_name_that_describes_still_keeps_the_answer_to_the_article_that_has_it() -> None:
    lion = source(
        1,
        "Lion Air flight 610 went down in the Java Sea. The jet disintegrated upon impact.",
        "lion.txt",
    )
    bomber = source(
        2,
        "Thirteen people were on board when the bomber crashed at Bradley airport, officials said.",
        "bomber.txt",
    )
    # "the Lion Air plane": a name describing the plane asked about. It need not be found, but
    # when an article has it, another airline's crash is no answer.
    question = "How many people were on the Lion Air plane that crashed?"
    judgement = judged(question, lion, bomber)
    assert judgement.outcome != "answered" or "bomber" not in answer(analyse(question), judgement)
    assert lead_candidate(judgement.candidates).passage.source.source == "lion.txt"


def test_a_follow_up_naming_nothing_is_answered_from_the_article_of_the_conversation() -> None:
    el_paso = source(
        1,
        "A gunman shot shoppers at a Walmart in El Paso on Saturday. Police said the suspect "
        "surrendered to officers after the attack.",
        "el_paso.txt",
    )
    kenosha = source(
        2, "Kyle Rittenhouse, the suspect in a Kenosha shooting, was released on bail.", "k.txt"
    )
    question = "Who is the suspect?"
    alone = judged(question, el_paso, kenosha)
    assert lead_candidate(alone.candidates).passage.source.source == "k.txt"
    # Searched with "How many died in the El Paso Walmart shooting?" before it: about El Paso.
    topic = analyse("How many people died in the El Paso Walmart shooting?").entities
    following = judge(analyse(question), (el_paso, kenosha), lambda _t: 1.0, everything, {},
                      topic=topic)  # fmt: skip
    assert "Rittenhouse" not in " ".join(
        c.passage.text for c in following.candidates if c.on_subject
    )


def test_support_comes_from_the_leads_article_unless_another_is_as_much_on_subject() -> None:
    crash = source(
        1,
        "A helicopter carrying Kobe Bryant crashed in Calabasas on Sunday. Investigations into "
        "the crash were opened by the Federal Aviation Administration and the National "
        "Transportation Safety Board.",
        "crash.txt",
    )
    ford = source(
        2,
        "Investigations were opened by the Department of Justice after Ford disclosed an "
        "emissions problem. The agencies investigating Ford include the Environmental "
        "Protection Agency.",
        "ford.txt",
    )
    question = "Which agencies opened investigations into the Calabasas crash?"
    text = answer(analyse(question), judged(question, crash, ford))
    assert "National Transportation Safety Board" in text
    assert "Ford" not in text  # a sentence about another story is no support


def test_support_never_comes_from_an_article_that_lacks_the_names_asked_about() -> None:
    mayor = source(
        1,
        "Mayor Tomas Velgren of Arnholt was taken ill after a council meeting on Friday. "
        "Tomas Velgren died in the Arnholt county hospital on Sunday, his office said.",
        "velgren.txt",
    )
    singer = source(
        2,
        "The Baltic Courier reported Mirela Osk, who died in Riga, will be buried at the "
        "Forest Cemetery on Tuesday.",
        "osk.txt",
    )
    question = "Where is Tomas Velgren going to be buried?"
    judgement = judged(question, mayor, singer)
    text = answer(analyse(question), judgement) if judgement.outcome == "answered" else ""
    # Another person's burial is no support for an answer about Velgren.
    assert "Osk" not in text


def test_a_which_ones_question_leads_with_the_sentence_that_lists_them() -> None:
    text = (
        "The two ministers were said to have clashed over foreign policy for months. "
        "Officials said they disagreed on trade, on the budget and on relations with Canada. "
        "The minister left office on Friday after a long career in foreign policy."
    )
    src = source(1, text, "ministers.txt")
    question = "Which foreign policy issues did the ministers clash over?"
    assert analyse(question).asks == "list"
    reply = answer(analyse(question), judged(question, src))
    assert reply.startswith("Officials said they disagreed on trade, on the budget and on")


def test_a_sentence_sharing_the_leads_words_but_adding_the_answer_is_no_repeat() -> None:
    text = (
        "With Sunday's signings, all but one of the member states of the 55-member AU have "
        "signed on to the agreement, with Eritrea the only state unsigned. Leaders of African "
        "Union (AU) member states met in Niamey, Niger's capital, for an AU summit where on "
        "Sunday the presidents of Nigeria and Benin signed the African Continental Free Trade "
        "Area agreement."
    )
    question = "Which African Union member has still not signed the free trade deal?"
    shown = answer(analyse(question), judged(question, source(1, text, "au.txt")))
    assert "Eritrea" in shown


def _candidate(passage: Passage, score: float, coverage: float) -> Candidate:
    values = {"coverage": coverage, "typed": 1.0, "article": 1.0}
    return Candidate(passage, tuple(values.get(f, 0.0) for f in FEATURES), 0.0, score)


def test_a_runner_up_close_to_the_lead_supports_it_whatever_its_share_of_the_question() -> None:
    src = source(
        1,
        "On Wednesday, nine men were jailed for abuse at a children's home in Bradford, England. "
        "The nine men were prosecuted for 22 different crimes. "
        "A tenth defendant was found not guilty in 2019.",
        "bradford.txt",
    )
    lead = _candidate(passage_of(src, "On Wednesday"), 10.0, coverage=0.75)
    close = _candidate(passage_of(src, "The nine men"), 9.5, coverage=0.25)
    far = _candidate(passage_of(src, "A tenth"), 8.0, coverage=0.25)
    intent = analyse("How many offences were the men in the Bradford case tried for?")
    chosen = " ".join(c.text for c in choose(intent, [lead, close, far]))
    assert "22 different crimes" in chosen  # within 0.9 of the lead's score
    assert "tenth" not in chosen  # a weaker one about something else stays out


def test_an_ordinal_answers_how_many_times_but_counts_nothing_else() -> None:
    offences = "How many offences were the men tried for?"
    assert not has_answer_kind("A tenth defendant was found not guilty.", "number", offences)
    assert has_answer_kind("The nine men were prosecuted for 22 crimes.", "number", offences)
    times = "How many times had Putin met Raisi that year?"
    assert has_answer_kind("This was the third time he met Raisi.", "number", times)


def test_a_person_named_in_full_is_found_by_the_surname_alone() -> None:
    full = source(1, "Elijah Cummings died in a hospice in Baltimore, his office said.", "a.txt")
    surname = source(2, "Cummings died in a hospice in Baltimore, his office said.", "b.txt")
    judgement = judged("Where did Elijah Cummings die?", full, surname)
    coverage = {c.passage.source.source: c.coverage for c in judgement.candidates}
    assert coverage["b.txt"] == pytest.approx(coverage["a.txt"])


def test_a_lead_saying_the_answer_was_not_given_makes_the_question_unanswered() -> None:
    src = source(
        1,
        "The league suspended its season on Wednesday after a Utah Jazz player tested positive. "
        "The league did not release the identity of the player in its announcement. "
        "They did say he was not at the arena when coach Quin Snyder spoke to reporters.",
        "league.txt",
    )
    question = "Which Utah Jazz player tested positive?"
    judgement = judged(question, src)
    assert judgement.outcome == "related"
    assert closest(analyse(question), judgement).startswith("The articles don't say which")
    # A lead that leans on such a sentence ("They did say ...") is read with it.
    leaning = source(
        2,
        "The police did not release the name of the driver. "
        "They did say Sergeant John Miles arrested the driver at the scene.",
        "crash.txt",
    )
    assert judged("Who was the driver that was arrested?", leaning).outcome == "related"


def test_a_number_beside_a_withheld_name_still_answers_how_many() -> None:
    src = source(
        1,
        "Police have not released the names of the victims, but said 12 people died in the fire.",
        "fire.txt",
    )
    question = "How many people died in the fire?"
    judgement = judged(question, src)
    assert judgement.outcome == "answered"
    assert answer(analyse(question), judgement).startswith("Police have not released")


def test_a_sentence_read_out_with_the_lead_is_not_repeated_after_it() -> None:
    # Two overlapping chunks of one article: the lead leans on the sentence before it, which
    # the other chunk also offers as support.
    first = "We are trying to get more volunteers for Faithless Hijabi to come in. "
    lead = "But Kay also has two other jobs, as a programmatic analyst and a bartender."
    whole = Source(1, "c1", "kay.txt", first + lead, 0, len(first + lead), 1.0, title="Kay")
    again = Source(2, "c2", "kay.txt", first.strip(), 0, len(first.strip()), 1.0, title="Kay")
    question = "What other jobs does Kay have as an analyst and a bartender?"
    text = answer(analyse(question), judged(question, whole, again))
    assert text.count("get more volunteers") == 1, text


def test_a_purpose_answers_why() -> None:
    src = source(
        1,
        "Authorities on Monday arrested twelve people in Tamil Nadu after a jackal died. "
        "Authorities said the killing occurred in the forest in a bid to gain jackal meat.",
        "jackal.txt",
    )
    question = "Why did the men kill the jackal?"
    assert has_answer_kind("They did it in a bid to gain its meat.", "reason", question)
    assert answer(analyse(question), judged(question, src)).startswith(
        "Authorities said the killing"
    )


def test_no_reason_given_leaves_why_unanswered_but_not_who() -> None:
    src = source(
        1,
        "On the same day, Kurt Volker, the special envoy for Ukraine, resigned without public "
        "explanation.",
        "volker.txt",
    )
    assert judged("Why did Kurt Volker resign as envoy?", src).outcome == "related"
    assert judged("Which special envoy for Ukraine resigned?", src).outcome == "answered"
    pending = source(2, "Its R0 number has yet to be calculated, the researchers said.", "r0.txt")
    assert judged("What is the disease's R0 number?", pending).outcome == "related"


INTERVIEW = (
    "Zara Kay runs the non-profit Faithless Hijabi.\n\n"
    "((WN))  What else do you do?\n\n"
    "((Zara Kay))  I have two other jobs. On weekdays I am a programmatic analyst in a media "
    "agency. And on weekends, I work as a bartender.\n\n"
    "((WN))  How many people run Faithless Hijabi?\n\n"
    "((Zara Kay))  We are about four people now."
)


def test_an_interviewees_first_person_words_are_given_to_them_and_their_label_dropped() -> None:
    whole = source(1, INTERVIEW, "kay.txt")
    # A chunk that starts inside her turn: who speaks is read from the whole article.
    at = INTERVIEW.index("On weekdays")
    chunk = Source(1, "c1", "kay.txt", INTERVIEW[at:], at, len(INTERVIEW), 1.0, title="Kay")
    question = "What jobs does Zara Kay have besides her non-profit?"
    judgement = judged(question, chunk)
    text = answer(analyse(question), judgement, article=lambda _name: whole.text)
    assert "((" not in text
    # Named once; her next sentences go on in quotation marks.
    assert text.startswith("Zara Kay said, “") and text.count("Zara Kay said") == 1
    assert "“On weekdays I am a programmatic analyst in a media agency.” [1]" in text
    assert "“And on weekends, I work as a bartender.” [1]" in text
    # Without the whole article the chunk cannot tell who "I" is: her words stay as they are.
    alone = answer(analyse(question), judgement)
    assert "[1] On weekdays I am a programmatic analyst in a media agency [1]." in alone
    # A sentence opening her turn is read without its label; the interviewer is never named.
    assert display(passage_of(whole, "((Zara Kay))  I have")) == "I have two other jobs."
    assert display(passage_of(whole, "((WN))")) == "What else do you do?"
    # What an earlier answer showed in her name is not repeated.
    shown = shown_sentences([Message("assistant", text)])
    assert "on weekdays i am a programmatic analyst in a media agency" in shown


def test_an_interviewee_quoted_again_after_another_sentence_is_named_by_surname() -> None:
    src = source(1, INTERVIEW, "kay.txt")
    jobs = passage_of(src, "((Zara Kay))  I have")
    runs = passage_of(src, "Zara Kay runs")
    count = passage_of(src, "((Zara Kay))  We are")
    text = compose(
        [
            Chosen("I have two other jobs.", (jobs,), "Zara Kay"),
            Chosen(display(runs), (runs,)),
            Chosen("We are about four people now.", (count,), "Zara Kay"),
        ]
    )
    assert text == (
        "Zara Kay said, “I have two other jobs.” [1] Zara Kay runs the non-profit Faithless "
        "Hijabi [1]. Kay said, “We are about four people now.” [1]"
    )


def test_an_interviewers_question_is_never_read_out_as_the_context_of_an_answer() -> None:
    text = (
        "Thank you for this interview. How many people were there in the all-women crew?\n\n"
        "((Aparna Garg))  There were fifteen of them. The crew ran the train to Bangalore."
    )
    src = source(1, text, "crew.txt")
    question = "How many people were in the all-women crew of the train?"
    said = answer(analyse(question), judged(question, src))
    assert said == "There were fifteen of them [1]."


def test_a_translations_language_mark_and_original_words_are_not_read_out() -> None:
    text = (
        'The bishops called the ruling "dangerous" ((it)) and "ideological" ((it)).\n\n'
        'The mayor tweeted: "Paris mourns its own this afternoon." ((fr))French language: '
        "Paris pleure les siens cet après-midi.\n\n"
        "((fr))French language: Le bilan est lourd, plusieurs policiers ont perdu la vie.\n\n"
        "((ko))Korean language: 전화기가 꺼져 있다  His phone was last active in Seongbuk-gu."
    )
    src = source(1, text, "paris.txt")
    assert display(passage_of(src, "The bishops")) == (
        'The bishops called the ruling "dangerous" and "ideological".'
    )
    assert display(passage_of(src, "The mayor")) == (
        'The mayor tweeted: "Paris mourns its own this afternoon."'
    )
    # (A paragraph opening with the mark is no interview's turn.)
    assert display(passage_of(src, "((ko))")) == "His phone was last active in Seongbuk-gu."
    # The original words alone are no sentence of an answer.
    assert not any(u.text.startswith("((fr))") for u in units(src))


def test_a_single_letter_is_never_a_word_the_question_hinges_on() -> None:
    # "Q&A" gives the term "q": unknown to the library, it made the answer "Nothing in the
    # library is about q."
    groups, essential = concepts(analyse("Who hosted the Q&A at the eisteddfod?"), lambda _: False)
    assert {"q"} in groups
    assert essential[groups.index({"q"})] is False
    assert essential[groups.index({"eisteddfod"})] is True  # an unknown longer word is


@pytest.mark.parametrize(
    ("sentence", "leans"),
    [
        ("He said it was hard.", True),
        ("This is why Israel stayed out.", True),
        ("These operations continued.", True),
        ("There, he said, the deal was signed.", True),
        # A time or an existential "there" points back at nothing: "This morning Jacques Chirac
        # died" led no answer, for want of a sentence before the article's first.
        ("This morning Jacques Chirac died at home.", False),
        ("That year he won the race.", False),
        ("There were fifteen people on board.", False),
        ("For this reason, he was not granted bail.", True),
        ("In that role, she led the inquiry.", True),
        ("Additionally, the company paid a fine.", True),
        ("In 2019 the company paid a fine.", False),
    ],
)
def test_a_sentence_leans_on_the_one_before_only_when_it_points_back(
    sentence: str, leans: bool
) -> None:
    assert needs_context(sentence) is leans


def test_an_overview_on_a_topic_keeps_only_the_articles_about_it() -> None:
    faire = source(
        1, "Wikinews attended the sixth annual Mini Maker Faire in Tyler, Texas.", "faire.txt"
    )
    clock = source(2, "A Texas student built a clock and brought it to school.", "clock.txt")
    tyler = source(3, "Tyler Perry opened a studio in Atlanta on Saturday.", "perry.txt")
    kept = on_topic("the maker faire in Tyler", [faire, clock, tyler], lambda _t: 1.0)
    # Every name of the topic and its other words: a search returns the clock and Perry too.
    assert [s.source for s in kept] == ["faire.txt"]
    assert on_topic("unicorns", [faire, clock, tyler], lambda _t: 1.0) == []
    intent = analyse("What's new on unicorns?")
    assert overview(intent, [], 0) == "Nothing in the library is about unicorns."


@pytest.mark.parametrize(
    "sentence",
    [
        "She has said she will endorse a rival, but had not yet publicly decided on a candidate.",
        "No cause of death was announced.",
        "The agency did not mention if there were casualties.",
        "No details were given by the police.",
        "No cause was immediately known, but a fire officer said wooden panels blocked exits.",
    ],
)
def test_what_news_says_was_not_made_known_is_read_as_withheld(sentence: str) -> None:
    assert withheld(sentence)


def test_no_statement_on_a_motive_withholds_only_a_reason() -> None:
    sentence = "As of Thursday, no official statement had been made on the man's motivation."
    assert withheld(sentence, "reason")
    assert not withheld(sentence, "person")  # who he was is not what it keeps back


def test_an_overview_topic_needs_all_its_words_when_some_article_has_them() -> None:
    ebola = source(1, "The Ebola outbreak in Congo killed 2,000 people.", "ebola.txt")
    wuhan = source(2, "The coronavirus outbreak began in Wuhan in December.", "wuhan.txt")
    kept = on_topic(
        "the coronavirus outbreak", [ebola, wuhan], lambda t: 2.0 if "outbreak" in t else 1.0
    )
    assert [s.source for s in kept] == ["wuhan.txt"]


def test_a_follow_up_naming_nothing_is_about_the_article_the_last_answer_quoted() -> None:
    party = source(
        1,
        "The cow urine party was organised by Swami Chakrapani in Delhi. Reuters estimated "
        "around 200 people attended the event.",
        "party.txt",
        title="200 in New Delhi drink cow urine to fight off COVID-19",
    )
    fire = source(
        2,
        "Seventeen people died in a hotel fire in Delhi. Forty people were taken to hospital "
        "after the fire showed up on Tuesday.",
        "fire.txt",
        title="Hotel fire kills at least seventeen in Karol Bagh, New Delhi",
    )
    question = "How many showed up?"
    topic = analyse("Who was behind the cow urine party in Delhi?").entities
    shown = frozenset(
        {normalise("The cow urine party was organised by Swami Chakrapani in Delhi.")}
    )
    following = judge(analyse(question), (fire, party), lambda _t: 1.0, everything, {},
                      topic=topic, conversation=shown)  # fmt: skip
    assert lead_candidate(following.candidates).passage.source.source == "party.txt"
    # ... and another article on that story, whose title shares a word besides the names.
    ended = source(
        3,
        "The cabinet voted to lift the measles emergency in Samoa on Saturday.",
        "ended.txt",
        title="Samoan government ends state of emergency over measles outbreak",
    )
    began = source(
        4,
        "Samoa began a two-day shutdown for a measles vaccination drive.",
        "began.txt",
        title="Samoan government shuts down for measles vaccination drive",
    )
    topic = analyse("How many people did measles kill in Samoa?").entities
    shown = frozenset(
        {normalise("Samoa began a two-day shutdown for a measles vaccination drive.")}
    )
    lifted = judge(analyse("When was the emergency lifted?"), (began, ended), lambda _t: 1.0,
                   everything, {}, topic=topic, conversation=shown)  # fmt: skip
    assert lead_candidate(lifted.candidates).passage.source.source == "ended.txt"


@pytest.mark.parametrize(
    "sentence",
    [
        "Governor Mike DeWine postponed it, citing the health crisis.",
        "Pompeo cited the government's repression as his motivation.",
        "Ohio delayed its voting in the face of the national emergency.",
        "The vote was postponed amid the pandemic.",
        "The government announced the cause of death as a cardiac arrest.",
        "The delay was due to the weather.",
    ],
)
def test_a_stated_ground_or_circumstance_answers_why(sentence: str) -> None:
    assert has_answer_kind(sentence, "reason")


def test_a_dateline_run_into_the_first_sentence_is_left_out_of_it() -> None:
    text = "Monday, August 3, 2020  On Thursday, Sviatlana Tsikhanouskaya held a rally in Minsk."
    src = source(1, text, "minsk.txt")
    first = units(src)[0]
    assert first.text == "On Thursday, Sviatlana Tsikhanouskaya held a rally in Minsk."
    assert text[first.start : first.end] == first.text  # offsets still point at the words


def test_a_number_counts_the_unit_the_word_before_it_names() -> None:
    old = counted_unit("How old was Ginger Baker when he died?")
    assert counts_unit("Ginger Baker died in a hospital at the age of 80.", old)
    assert counts_unit("The drummer, aged 80, died on Sunday.", old)
    assert counts_unit(
        "The bill passed by votes of 230-to-197.", counted_unit("By how many votes?")
    )
    assert not counts_unit("Baker was born in 1939 in London.", old)


def test_passed_away_is_read_as_died() -> None:
    groups, _ = concepts(analyse("How old was Ginger Baker when he passed away?"), everything)
    assert groups == [{"ginger", "baker"}, {"old"}, {"die"}]


def test_an_adverb_that_only_stresses_the_question_is_no_concept() -> None:
    groups, _ = concepts(analyse("When did they actually make the observations?"), everything)
    assert groups == [{"make"}, {"observ"}]


def test_a_name_read_across_a_possessive_is_still_found_as_an_answer() -> None:
    text = "Demosisto's Nathan Law becomes the youngest Legislative Council member."
    question = "Who is the youngest person ever elected to the Legislative Council?"
    assert has_answer_kind(text, "person", question)


def test_a_place_answer_names_the_place_not_only_the_kind_asked_for() -> None:
    question = "Which hospital did Trump go to after catching covid?"
    assert has_answer_kind(
        "He was admitted to Walter Reed Hospital as a precaution.", "place", question
    )
    assert not has_answer_kind("Trump was released from the hospital on Monday.", "place", question)
    epicenter = (
        "The USGS placed the epicenter about eight kilometers southwest of the town of Guenica."
    )
    assert has_answer_kind(epicenter, "place", "Where was the center of the quake?")


def test_a_span_of_time_from_now_answers_when() -> None:
    assert has_answer_kind("The Turpins will be eligible for parole in 25 years.", "date")
    assert has_answer_kind("The bridge will reopen within two weeks.", "date")


def test_a_phrasal_verb_is_read_in_the_word_articles_use() -> None:
    groups, _ = concepts(analyse("When was the company set up?"), everything)
    assert {"found"} in groups and {"set"} not in groups
    groups, _ = concepts(analyse("Why was the match called off?"), everything)
    assert {"cancel"} in groups


def test_a_follow_up_whose_article_was_retrieved_is_never_about_nothing() -> None:
    airline = source(
        1,
        "Germany banned the Iranian airline Mahan Air on Monday. It was founded in 1992.",
        "mahan.txt",
    )
    topic = analyse("Why did Germany ban the airline Mahan Air?").entities
    judgement = judge(analyse("what colour are the seats?"), (airline,), lambda _t: 1.0,
                      everything, {}, topic=topic)  # fmt: skip
    assert judgement.outcome != "unrelated"


def test_who_is_the_role_of_x_is_answered_only_by_a_sentence_naming_the_role() -> None:
    assert role_asked("What was the name of the Conception's captain?") == "captain"
    assert role_asked("Who is the owner of the Hotel Arpit Palace?") == "owner"
    assert role_asked("What were the names of the three people killed?") is None
    boat = source(
        1,
        "The boat sank on Monday. "
        "The Conception was owned by Glen Fritzler, who spoke to reporters on Monday.",
        "boat.txt",
    )
    assert judged("Who was the owner of the Conception?", boat).outcome == "answered"
    assert judged("Who was the captain of the Conception?", boat).outcome == "related"


def test_a_sentence_saying_something_was_not_done_answers_a_yes_no_question() -> None:
    senate = source(
        1,
        "Pedro Pierluisi was sworn in as governor on Friday. The House of Representatives "
        "confirmed Pierluisi, but the Senate had not confirmed Pierluisi.",
        "pr.txt",
    )
    assert judged("Did the Senate confirm Pierluisi?", senate).outcome == "answered"


def test_words_inside_a_quotation_say_nothing_was_withheld() -> None:
    assert withheld("Police did not release the name of the driver.")
    assert not withheld(
        '"Chahed signed a decree that bars any person with an undisclosed face from offices," '
        "an official said."
    )


def test_the_closest_passages_come_from_the_article_about_what_was_asked() -> None:
    tusk = source(
        1,
        "A Polish chef fought the attacker with a narwhal tusk on London Bridge. The chef was "
        "not named.",
        "bridge.txt",
    )
    eczema = source(
        2,
        "The name of the father, a chef from Sydney, was given in the eczema case on Monday.",
        "eczema.txt",
    )
    question = "What was the name of the London Bridge chef's father?"
    judgement = judged(question, tusk, eczema)
    text = closest(analyse(question), judgement)
    assert "eczema" not in text and "tusk" in text


def test_a_year_or_a_number_in_a_name_counts_nothing() -> None:
    assert not has_answer_kind(
        "He moved to California in 1939.", "number", "How many children did Munk have?"
    )
    assert has_answer_kind("He has led the city since 1998.", "number", "How long has he led it?")
    assert not has_answer_kind("A truck crashed on Route 2 in Randolph.", "number", "How fast?")
    assert has_answer_kind("The 176 people on board were all killed.", "number", "How many?")


@pytest.mark.parametrize(
    ("sentence", "is_age"),
    [
        ("The attacker, identified as Sudesh Amman, 20, was placed under surveillance.", True),
        ("He was 101 and died of pneumonia in La Jolla.", True),
        ("The suspects range in age from 21 to 78.", True),
        ("Guy died on Monday at 103 years of age.", True),
        ("The victim, eighteen-years-old, was taken to hospital.", True),
        ("This past Friday, the princess, 67, announced her candidacy.", True),
        ("The punishment is a maximum of three years in prison.", False),
        ("The Congress has the greatest number of women, 102, in its history.", False),
        ("He moved to California in 1939.", False),
    ],
)
def test_how_old_is_answered_only_by_an_age(sentence: str, is_age: bool) -> None:
    assert has_answer_kind(sentence, "number", "How old was he?") is is_age
    assert counts_unit(sentence, counted_unit("How old was he?")) is is_age


def test_the_due_to_of_a_plan_gives_no_reason() -> None:
    assert not has_answer_kind(
        "Nkurunziza became president in 2005 and was due to stand down in August.", "reason"
    )


def test_a_place_the_article_names_only_by_its_people_is_not_missing() -> None:
    # The retrieved chunk says "BADA"; the article spells it out as "British American Drama
    # Academy": the question's "Britain" is named there, by its demonym.
    chunk = "Actor Denzel Washington, who paid for Boseman to attend BADA, paid tribute to him."
    whole = f"Boseman studied at the British American Drama Academy (BADA) at Oxford. {chunk}"
    question = "Who paid for Chadwick Boseman to attend drama school in Britain?"
    src = source(1, chunk, "boseman.txt")
    judgement = judge(
        analyse(question), [src], lambda _t: 1.0, everything, {}, article=lambda _name: whole
    )
    assert "Britain" not in judgement.missing
    assert judgement.outcome != "unrelated"


def test_a_which_noun_question_leads_with_the_name_given_as_one() -> None:
    # "What militant network ...?": of the best sentences holding a name, the one naming "the
    # Jamaah Ansharut Daulah network" leads, not the better-scored one naming the police.
    src = source(
        1,
        "Dedi Prasetyo, a spokesperson for the Indonesian National Police, confirmed that two "
        "men were arrested over the attack on Wiranto. The BBC also cited Budi Gunawan, chief "
        "of the Indonesian State Intelligence Agency, as saying the suspects were linked to the "
        "Jamaah Ansharut Daulah network, which itself was related to the Islamic State.",
        "wiranto.txt",
    )
    police = _candidate(passage_of(src, "Dedi Prasetyo"), 10.0, coverage=0.6)
    network = _candidate(passage_of(src, "The BBC"), 9.0, coverage=0.5)
    question = "What militant network were the men arrested over the Wiranto attack tied to?"
    assert lead_candidate([police, network], "organisation") is police
    assert lead_candidate([police, network], "organisation", question) is network
    chosen = choose(analyse(question), [police, network])
    assert chosen[0].text.startswith("The BBC also cited Budi Gunawan")


def test_a_why_question_leads_with_the_best_sentence_that_shares_enough_of_it() -> None:
    # "Why did the city's home minister say officials were to blame?": the best-scored sentence
    # shares little of it (a fire officer on the cause); the minister's words, a little lower,
    # answer it. (Seventh set's dev z085, refused before.)
    src = source(
        1,
        "No cause was immediately known, but a fire officer said wooden panels led to corridors "
        "becoming unusable for escape. Satyendra Jain, the city's home minister, said the hotel "
        "had been built up to six floors where four are allowed.",
        "hotel.txt",
    )
    officer = _candidate(passage_of(src, "No cause"), 10.0, coverage=0.16)
    minister = _candidate(passage_of(src, "Satyendra Jain"), 9.0, coverage=0.71)
    assert lead_candidate([officer, minister], "reason") is minister
    # ... the best still leads when it shares enough, and for a "when" question, as before
    enough = _candidate(passage_of(src, "No cause"), 10.0, coverage=0.4)
    assert lead_candidate([enough, minister], "reason") is enough
    assert lead_candidate([officer, minister], "date") is officer


def test_a_death_toll_counts_the_dead() -> None:
    # "What was the death toll from the hotel blaze?": the sentence counting the dead, not the
    # one counting fire engines (seventh set's dev z069).
    unit = counted_unit("What was the death toll from the hotel blaze in Karol Bagh?")
    assert counts_unit("At least seventeen people died and 35 were rescued.", unit)
    assert counts_unit("The blaze killed three, including a 92-year-old woman.", unit)
    assert not counts_unit("Firefighters dispatched around 30 vehicles.", unit)
    assert counted_unit("What was the toll road's price?") == ()


def test_a_surname_alone_beside_a_namesake_in_full_leaves_her_unnamed() -> None:
    # "Vanderbilt ... Cornelius Vanderbilt. Her father ...": "her" is not Cornelius.
    src = source(
        1,
        "Vanderbilt was born in 1924 into the wealthy Vanderbilt family, great-great "
        "granddaughter of the tycoon Cornelius Vanderbilt. Her father, Reginald Vanderbilt, "
        "died when she was one.",
        "vanderbilt.txt",
    )
    assert display(passage_of(src, "Her father")).startswith("Her father")


def test_a_where_from_question_leads_with_where_they_are_from() -> None:
    src = source(
        1,
        "A road accident followed by a fire on a Florida highway near Gainesville on Thursday "
        "killed five children in a church bus. The children were all from Marksville, "
        "Louisiana.",
        "bus.txt",
    )
    crash = _candidate(passage_of(src, "A road accident"), 10.0, coverage=0.6)
    home = _candidate(passage_of(src, "The children"), 9.0, coverage=0.5)
    question = "Which Louisiana town were the children killed in the fire from?"
    assert lead_candidate([crash, home], "place", question) is home
    assert lead_candidate([crash, home], "place", "Where did the fire happen?") is crash
