"""Checkable facts of a sentence: quantities and dates, names, who is quoted, negation and hedging."""

from __future__ import annotations

import pytest

from assistant.facts import (
    Entity,
    date_found,
    entities,
    entity_found,
    facts,
    known_names,
    last_person,
    quantity_found,
    same_person,
    speaker,
    stance,
)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("The ceremony drew 2,000 people.", [2000.0]),
        ("The ceremony drew 2000 people.", [2000.0]),
        ("It was the third time this year.", [3.0]),
        ("It was his 3rd visit.", [3.0]),
        ("The deal is worth $280bn.", [280e9]),
        ("The deal is worth 280 billion dollars.", [280e9]),
        ("Prices rose 15 percent.", [15.0]),
        ("Two hundred and fifty people died.", [250.0]),
        ("A dozen were hurt.", [12.0]),
        ("She met him twice.", [2.0]),
        ("He bought 1.5 million shares.", [1.5e6]),
        ("One of them left.", []),  # "one" is rarely a count
        ("The S-400 and the F-35 are weapons.", []),  # codes, not numbers
        ("They share SEK9 million, or USD910 thousand.", [9e6, 910e3]),
        ("The winners share SEK 9m.", [9e6]),
        ("MH17 and COVID19 were in the news.", []),  # not currency codes
        ("Five fifteen-year-old girls died.", [5.0, 15.0]),  # two numbers, not twenty
        ("He ran 2:01:39 in Berlin.", [7299.0]),  # a race time, in seconds
        ("He ran 2 hours 1 minute 39 seconds in Berlin.", [7299.0]),
    ],
)
def test_quantities_are_normalised(text: str, values: list[float]) -> None:
    assert [q.value for q in facts(text).quantities] == values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on March 5, 2022", (2022, 3, 5, None)),
        ("on 5 March 2022", (2022, 3, 5, None)),
        ("on March 5", (None, 3, 5, None)),
        ("in September 2015", (2015, 9, None, None)),
        ("in 2015", (2015, None, None, None)),
        ("on 2022-07-19", (2022, 7, 19, None)),
        ("on Tuesday", (None, None, None, 2)),
    ],
)
def test_dates_are_read_in_any_order(text: str, expected: tuple[object, ...]) -> None:
    (date,) = facts(text).dates
    assert (date.year, date.month, date.day, date.weekday) == expected


@pytest.mark.parametrize("text", ["You may go.", "They march on.", "He will march."])
def test_may_and_march_as_words_are_not_dates(text: str) -> None:
    assert facts(text).dates == ()


@pytest.mark.parametrize(
    ("claim", "context", "found"),
    [
        ("2,000 people came", "about 2000 people came", True),
        ("the third time", "for the 3rd time", True),
        ("three times", "the third time", True),
        ("four times", "the third time", False),
        ("$280bn", "280 billion dollars", True),
        ("in 2015", "since September 2015", True),
        ("5 March", "on March 5, 2022", True),
        ("March 2022", "on 5 March 2022", True),
        ("in 2017", "in 2015", False),
        ("on March 6", "on March 5", False),
        ("almost 50% of children", "almost half of all children", True),
        ("33% of voters", "one third of voters", True),
        ("25% of voters", "one third of voters", False),
        ("for at least 40 years", "for at least four decades", True),
        ("for four decades", "for 40 years", True),
        ("for 30 years", "for four decades", False),
        ("when it made its first landfall", "made its initial landfall", True),
        ("in the 21st century", "of the twenty-first century", True),
        # "the two" names a pair already counted; it still backs a claim that counts them.
        ("over two conservative bills", "over the two posed by conservatives", True),
        ("over three conservative bills", "over the two posed by conservatives", False),
        ("about 90 minutes after the ruling", "about an hour and a half after the ruling", True),
        ("2.5 hours later", "two and a half hours later", True),
        ("30 minutes later", "half an hour later", True),
        ("about 80 minutes after", "about an hour and a half after", False),
        ("100 to 200 people came", "an estimated one-to-two hundred people came", True),
        ("a man in his 40s", "a man in his forties", True),
        ("a man in his 40s", "a man in his fifties", False),
    ],
)
def test_a_claimed_number_or_date_is_found_only_when_the_context_states_it(
    claim: str, context: str, found: bool
) -> None:
    mine, theirs = facts(claim), facts(context)
    results = [quantity_found(q, theirs) for q in mine.quantities] + [
        date_found(d, theirs) for d in mine.dates
    ]
    assert results and all(results) is found


def test_entities_and_their_kinds() -> None:
    text = (
        "Zvi Magen, a senior fellow at the Institute for National Security Studies (INSS), "
        "said U.S. President Joe Biden met Russia's envoy in Tel Aviv."
    )
    assert [(e.name, e.kind) for e in entities(text)] == [
        ("Zvi Magen", "person"),
        ("Institute for National Security Studies", "organisation"),
        ("INSS", "organisation"),
        ("U.S.", "place"),
        ("Joe Biden", "person"),
        ("Russia", "place"),
        ("Tel Aviv", "place"),
    ]
    assert [(e.name, e.kind) for e in entities("The body was found on Mount Bukak.")] == [
        ("Mount Bukak", "place")
    ]
    # A named storm is no one: "Tropical Storm Barry", "Hurricane Dorian".
    storms = entities("Tropical Storm Barry neared as Hurricane Dorian left.")
    assert [(e.name, e.kind) for e in storms] == [
        ("Tropical Storm Barry", "other"),
        ("Hurricane Dorian", "other"),
    ]
    # A particle left off a name makes it no person, as a title does ("Prime Minister X").
    reported = entities("Reports from Al Jazeera said Prime Minister Wiranto was stable.")
    assert [(e.name, e.kind) for e in reported] == [("Jazeera", "other"), ("Wiranto", "person")]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Analysts say the talks failed.", []),  # a common word opening the sentence
        ("Netanyahu said the talks failed.", ["Netanyahu"]),  # not an English word
        ("Jack Nicholson played the Joker.", ["Jack Nicholson", "Joker"]),
        ("Despite Russia's presence, Israel acted.", ["Russia", "Israel"]),
        ("On Tuesday, Putin flew to Tehran.", ["Putin", "Tehran"]),
        ("Early Saturday, police in Clairton responded.", ["Clairton"]),  # not a first name
        ("Bashar al-Assad met Putin.", ["Bashar al-Assad", "Putin"]),
        ("Then al-Muhandis was killed.", ["al-Muhandis"]),
    ],
)
def test_a_capitalised_first_word_is_a_name_only_when_it_is_not_a_common_word(
    text: str, names: list[str]
) -> None:
    known = known_names("Vladimir Putin arrived.")
    assert [e.name for e in entities(text, known)] == names


@pytest.mark.parametrize(
    ("name", "context", "found"),
    [
        ("Bennett", "former Prime Minister Naftali Bennett said", True),
        ("Naftali Bennett", "Bennett said", True),
        ("INSS", "the Institute for National Security Studies said", True),
        ("Israeli", "Israel said", True),
        ("Netanyahu", "Bennett said", False),
        ("Sochi", "a deal signed in the Black Sea resort of Sochi", True),
        ("Moscow", "a deal signed in the Black Sea resort of Sochi", False),
        # A body's words stand together: not gathered from around the passage.
        ("Federal Foreign Office", "the Federal Aviation Office; foreign airlines", False),
        ("Federal Aviation Office", "Germany's Federal Aviation Office said", True),
        ("Tsinghua University", "scientists from China's Tsinghua University", True),
        ("Gen. Santos Doctors' Hospital", "at the Gen. Santos Doctors' Hospital.", True),
        # A compound of names is found where each of them is.
        ("Putin-Raisi", "Putin met Raisi in Tehran", True),
        ("Putin-Raisi", "Putin met Erdogan in Tehran", False),
        # An Arabic name's lower-case particle is part of the name.
        ("Abu Mahdi al-Muhandis", "al-Muhandis was the deputy commander", True),
        ("US Environmental Protection Agency", "the U.S. Environmental Protection Agency", True),
        ("Taiwan Constitutional Court", "the country's Constitutional Court ruled", True),
        ("Taiwan Supreme Court", "the country's Constitutional Court ruled", False),
        ("Asian", "the first country in Asia", True),
        # A demonym the table lacks, made from the place's name.
        ("Burundian", "the government of Burundi announced", True),
        ("Burundian", "the government of Rwanda announced", False),
        # A body named after a short form of its country's name.
        ("US Senate", "he may run for the United States Senate", True),
        ("US Senate", "he may run for the French Senate", False),
    ],
)
def test_entity_found(name: str, context: str, found: bool) -> None:
    (entity,) = entities(f"We met {name} there.")
    assert entity_found(entity, context, entities(context)) is found


@pytest.mark.parametrize(
    ("sentence", "before", "who"),
    [
        (
            '"Israel needs freedom of action," said Prime Minister Naftali Bennett.',
            "",
            "Naftali Bennett",
        ),
        ("Zvi Magen, a fellow at the INSS, said that Russia could act.", "", "Zvi Magen"),
        ("According to the Kremlin, Putin will travel.", "", "Kremlin"),
        ("He told JNS that they were allies.", "Zvi Magen spoke first.", "Zvi Magen"),
        ("Israel and Russia share a long history.", "", None),
        ("According to him, the attack used drones.", "Yahya Sarea spoke on TV.", "Yahya Sarea"),
        ("According to her lawyer, she left early.", "Yahya Sarea spoke on TV.", None),
        (
            "Eighteen, according to Civil Aviation Minister Hardeep Singh Puri.",
            "",
            "Hardeep Singh Puri",
        ),
        (
            "According to Windsor Locks' first selectman, Chris Kervick, ten were aboard.",
            "",
            "Chris Kervick",
        ),
        (
            "The death of Walter Munk was announced on Friday by the University of California.",
            "",
            "University of California",
        ),
        # Who a relative clause names did not speak.
        (
            "The Islamic State of Iraq, which is linked to Abu Sayyaf, later claimed it.",
            "",
            "Islamic State of Iraq",
        ),
        # A name that only describes an unnamed speaker is not the speaker.
        ("Neighbours tried to save him, a Cullinan police spokeswoman told CNN.", "", None),
        ("The Burundian government also declared a week of mourning.", "", None),
        # The name after the words saying what the source is.
        (
            "According to ecologist Chip Taylor of the University of Kansas, it was cool.",
            "",
            "Chip Taylor of the University of Kansas",
        ),
        ("He also warned that it would get worse.", "Anthony Fauci spoke first.", "Anthony Fauci"),
        # Who an appositive names did not speak; the name right before the verb did.
        (
            "Fernando Dallorso, the general manager of Cipriani Dolci, said they saw him.",
            "",
            "Fernando Dallorso",
        ),
        (
            "A protest took place in Forbury Gardens, but Basu also stated it was unrelated.",
            "",
            "Basu",
        ),
        # "he" is the subject of the sentence before, not the last person it names.
        (
            "He said they had accepted responsibility early.",
            "Judge Bernard Schwartz sentenced David and Louise Turpin to life in prison.",
            "Bernard Schwartz",
        ),
        # A relative described by a name is not that name; an appositive before it names them.
        ("Heather Heyer's mother told reporters she found the deal acceptable.", "", None),
        (
            "Susan Bro, Heather Heyer's mother, told reporters she found the deal acceptable.",
            "",
            "Susan Bro",
        ),
        # Two verbs of one subject: the one who called the deal "lousy" said the rest.
        (
            'Tom Watson called Prime Minister Theresa May\'s deal "lousy" and said he would '
            "vote for it.",
            "",
            "Tom Watson",
        ),
        # The body "according to" names, when it names no person; a person when it does.
        (
            "According to the Saudi Interior Ministry over 345 Muslim pilgrims have been killed.",
            "",
            "Saudi Interior Ministry",
        ),
        (
            "According to Rutgers University political scholar Kelly Dittmar, women hold fewer.",
            "",
            "Kelly Dittmar",
        ),
        # ... after an opening phrase too.
        (
            "In a video posted to Twitter, Warren praised Biden's empathy and said she was proud.",
            "",
            "Warren",
        ),
        # The object of a preposition is not the one writing.
        (
            "Jennifer Daskal of American University and contributor to Slate wrote that it was so.",
            "",
            "Jennifer Daskal",
        ),
        # Let in, not saying: "admitted to the Academy" reports nothing said ...
        (
            (
                "He was elected a Fellow of the Royal Society and admitted to the American "
                "Academy of Arts and Sciences in 1992."
            ),
            "John Conway was a mathematician.",
            None,
        ),
        # ... "admitted to reporters that" does.
        ("Smith admitted to reporters that the plan had failed.", "", "Smith"),
        # "called" reports words when a quotation follows ...
        (
            (
                'Phil Chetwynd, director of global news for AFP, called the death "the senseless '
                'killing of a courageous journalist".'
            ),
            "",
            "Phil Chetwynd",
        ),
        # ... and not otherwise.
        ("Police called the fire suspicious.", "", None),
        # The person an appositive follows speaks, not the last name of the appositive.
        (
            (
                "Professor Michael Siegel of Boston University, co-author of a study in the "
                "American Journal of Preventive Medicine on January 17, declared it "
                '"the strongest predictor".'
            ),
            "",
            "Michael Siegel",
        ),
    ],
)
def test_speaker(sentence: str, before: str, who: str | None) -> None:
    assert speaker(sentence, before) == who


def test_same_person_matches_a_surname_with_a_full_name() -> None:
    assert same_person("Bennett", "Naftali Bennett")
    assert not same_person("Netanyahu", "Naftali Bennett")


def test_relatives_sharing_a_surname_are_two_people() -> None:
    assert not same_person("Yingluck Shinawatra", "Thaksin Shinawatra")
    assert same_person("Mary Keitany", "Mary Jepkosgei Keitany")
    assert same_person("Prime Minister Naftali Bennett", "Naftali Bennett")
    assert same_person("J. Smith", "John Smith")


def test_same_person_matches_an_acronym_with_the_name_it_stands_for() -> None:
    assert same_person("WHO", "World Health Organization")
    assert same_person("World Health Organization", "WHO")
    assert not same_person("WHO", "World Trade Organization")
    # ... written with the small words' letters too ("TfL").
    assert same_person("TfL", "Transport for London")
    assert not same_person("TfL", "Transport of Lagos State")


def test_he_after_a_source_named_with_according_to_is_that_source() -> None:
    text = (
        'Scientists say the count rose. "It is good news," said Tierra Curry. According to '
        "ecologist Chip Taylor of the University of Kansas, the weather was cool. "
    )
    assert same_person(last_person(text) or "", "Chip Taylor")


def test_stance_marks_what_negation_and_hedging_govern() -> None:
    negated = stance("Israel has not imposed sanctions on Russia.")
    assert "impos" in negated.negated and negated.negations == 1
    implicit = stance("Israel has refrained from imposing sanctions.")
    assert "impos" in implicit.negated and implicit.negations == 1
    hedged = stance("China could join the bloc.")
    assert "join" in hedged.hedged and "china" in hedged.plain
    plain = stance("China has joined the bloc.")
    assert "join" in plain.plain and plain.negations == 0
    # A negation carries over "or": "refrained from imposing sanctions or supplying weapons".
    both = stance("Israel refrained from imposing sanctions or supplying weapons, and sent aid.")
    assert {"impos", "suppli"} <= both.negated and "send" in both.plain
    # "appears to" hedges what is so; it is no plan.
    assert stance("The decline appears to be due to new sanitisers.").intentions == 0
    assert stance("Two towns plan to declare a state of calamity.").intentions == 1


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Which crops did the MIT-led study look at?", ["MIT"]),
        (
            "The Tel Aviv-based Institute for National Security Studies said so.",
            ["Tel Aviv", "Institute for National Security Studies"],
        ),
        ("Jean-Pierre Raffarin said so.", ["Jean-Pierre Raffarin"]),
    ],
)
def test_a_name_made_into_a_modifier_is_the_name(text: str, names: list[str]) -> None:
    assert [e.name for e in entities(text)] == names


def test_a_currency_code_before_an_amount_is_no_name() -> None:
    assert [e.name for e in entities("The winners share SEK 9m, the Academy said.")] == ["Academy"]
    assert [e.name for e in entities("The SEK fell sharply against the euro.")] == ["SEK"]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("covering a distance of 139km to reach", [139.0]),  # a unit written against it
        ("It weighed 30kg.", [30.0]),
        ("nearly 2,000 people, perhaps a few hundred more", [2000.0, 100.0]),
        ("It cost 2,000 and 1.5 million.", [2000.0, 1_500_000.0]),  # no "000 and 1.5 million"
    ],
)
def test_numbers_with_units_and_approximate_hundreds(text: str, values: list[float]) -> None:
    assert [q.value for q in facts(text).quantities] == values


def test_a_few_hundred_is_hundreds() -> None:
    (_, approximate) = facts("nearly 2,000 people, perhaps a few hundred more").quantities
    assert approximate.kind == "vague"
    assert quantity_found(approximate, facts("nearly 2000 people, perhaps some hundreds more"))


@pytest.mark.parametrize(
    ("name", "context"),
    [
        ("Iraq Parliament", "the Parliament of Iraq voted"),  # "Iraq's Parliament"
        ("American", "US singer and lyricist Robert Hunter"),  # a demonym's country by alias
    ],
)
def test_a_name_in_another_form(name: str, context: str) -> None:
    assert entity_found(Entity(name, "organisation" if " " in name else "other"), context, ())


def test_not_until_says_when_not_whether() -> None:
    assert stance("Parliament would not reconvene until October 14.").negations == 0
    assert stance("Parliament would not reconvene.").negations == 1


def test_lacking_something_is_not_having_it() -> None:
    assert "author" in stance("The court ruled Evers lacked authority to act.").negated


def test_a_comma_alone_does_not_end_a_quotation() -> None:
    sentence = 'Ryan Coogler, the director, wrote of Boseman, "I noticed then that he was rare".'
    assert speaker(sentence) == "Ryan Coogler"


def test_first_after_an_auxiliary_says_when_not_which() -> None:
    assert facts("They would first try to grow the herd.").quantities == ()
    assert [q.value for q in facts("It was the first time.").quantities] == [1.0]


def test_first_ending_its_clause_says_when_not_which() -> None:
    sentence = "They would build the herd up to two hundred first, so it is strong."
    assert facts("At first, I thought it was a prank.").quantities == ()
    assert facts("He said that at first he thought it was a prank.").quantities == ()
    assert [q.text for q in facts(sentence).quantities] == ["two hundred"]
    # A ranking verb before it makes it a place: "finished first" is first place.
    assert [q.value for q in facts("Warholm finished first, ahead of Benjamin.").quantities] == [
        1.0
    ]


def test_a_demonym_in_the_plural_is_its_country() -> None:
    assert entity_found(Entity("Americans", "other"), "empathy towards US citizens", ())
    assert not entity_found(Entity("Americans", "other"), "empathy towards French citizens", ())


def test_without_the_possibility_denies_rather_than_hedges() -> None:
    said = stance("He was sentenced to life without the possibility of parole for driving a car.")
    assert said.hedges == 0
    assert "drive" not in said.hedged and "car" not in said.hedged


def test_meant_to_and_supposed_to_hedge_but_plan_nothing() -> None:
    said = stance("The name is meant to be a reminder of their work.")
    assert said.hedges == 1 and said.intentions == 0


def test_a_hyphenated_vote_count_gives_both_numbers() -> None:
    values = [q.value for q in facts("The vote passed along party lines, 230-to-198.").quantities]
    assert values == [230.0, 198.0]
    assert facts("COVID-19 reached K2-18b").quantities == ()


def test_a_sentence_opening_participle_or_british_plural_is_no_name() -> None:
    assert [e.name for e in entities("Carrying European Union flags, they marched.")] == [
        "European Union"
    ]
    assert entities("Organisers estimated that a million people took part.") == ()


def test_a_compound_word_before_a_name_is_no_first_name() -> None:
    assert [e.name for e in entities("Co-author Carl Lipo said this.")] == ["Carl Lipo"]


def test_skipping_something_is_not_doing_it() -> None:
    assert {"caucus", "primari"} <= stance("The party skipped a caucus or primary.").negated


def test_once_before_a_clause_says_when_not_how_often() -> None:
    assert facts("The government dropped the measures once the protests started.").quantities == ()
    assert [q.value for q in facts("It happened only once before.").quantities] == [1.0]


def test_a_fraction_of_a_million_is_its_value() -> None:
    assert [q.value for q in facts("It hosted a quarter million clips.").quantities] == [250000.0]
    assert [q.value for q in facts("Half a million people marched.").quantities] == [500000.0]


def test_a_person_of_a_place_is_two_names() -> None:
    found = entities("Alexander Gagay of Yekaterinburg took third place.")
    assert [(e.name, e.kind) for e in found] == [
        ("Alexander Gagay", "person"),
        ("Yekaterinburg", "place"),
    ]
    # ... but a body of a place is one.
    assert [e.name for e in entities("The Bank of England said so.")] == ["Bank of England"]
    assert [e.name for e in entities("Ivan Petrov of")] == ["Ivan Petrov"]


def test_a_place_or_person_in_the_possessive_is_a_name_of_its_own() -> None:
    def names(text: str) -> list[tuple[str, str]]:
        return [(e.name, e.kind) for e in entities(text)]

    assert names("It was Slovakia's Igor Matovič.") == [
        ("Slovakia", "place"),
        ("Igor Matovič", "person"),
    ]
    assert names("Russia’s Federal Security Service said so.")[0] == ("Russia", "place")
    # ... but a possessive inside a name stays in it.
    assert [e.name for e in entities("The People's Liberation Army moved.")] == [
        "People Liberation Army"
    ]


def test_a_word_between_a_negating_verb_and_its_to_still_negates() -> None:
    said = stance("He narrowly avoids a conviction and fails even to get on the ballot.")
    assert said.negations == 1 and "get" in said.negated


def test_preventing_someone_from_doing_it_denies_it() -> None:
    assert "infect" in stance("They drank it to prevent themselves from being infected.").negated
    assert "stop" in stance("They will attack unless the broadcasts stop.").negated


def test_a_word_used_plainly_and_negated_is_known_as_both() -> None:
    said = stance("It circumvents measures used by authorized services, without authorization.")
    assert "author" in said.also_plain


def test_the_ing_form_of_a_plan_hedges() -> None:
    said = stance("The agency was intending to end its search.")
    assert said.intentions == 1 and "search" in said.hedged


def test_a_relative_named_by_an_appositive_speaks_not_the_one_before() -> None:
    sentence = (
        "Baloch and Waseem's mother, Anwar, wept upon hearing her son had been convicted and "
        "said she believed he was innocent."
    )
    assert speaker(sentence) == "Anwar"


def test_a_country_before_the_verb_speaks_in_full() -> None:
    assert speaker("After the exchange of fire, North Korea stated it would attack.") == (
        "North Korea"
    )


def test_a_name_opening_with_the_acronym_of_one_spelt_out_is_that_name() -> None:
    context = (
        "data collected by the National Oceanic and Atmospheric Administration's Hurricane Hunters"
    )
    assert entity_found(Entity("NOAA Hurricane Hunter", "organisation"), context, entities(context))
    assert not entity_found(Entity("NASA Hurricane Hunter", "organisation"), context, ())


def test_one_name_spelt_two_ways_is_one_name() -> None:
    context = "Hamza bin Laden, a senior member of al-Qa’ida, was killed."
    assert entity_found(Entity("al-Qaeda", "organisation"), context, entities(context))
    assert not entity_found(Entity("Hamas", "organisation"), context, entities(context))


def test_a_name_made_into_a_modifier_is_found() -> None:
    assert entity_found(Entity("Britain", "place"), "a bloodless British-backed coup", ())


def test_a_sentence_opening_participle_in_ed_is_no_first_name() -> None:
    assert [e.name for e in entities("Confirmed US deaths passed 100000.")] == ["US"]
    assert [e.name for e in entities("United States forces left.")] == ["United States"]


def test_a_capital_and_its_country_speak_as_one() -> None:
    assert same_person("Pyongyang", "North Korea")
    assert not same_person("Pyongyang", "South Korea")


def test_an_aside_on_what_someone_noted_is_not_the_speaker() -> None:
    sentence = (
        "Speaker John Bercow, in what the BBC noted was an unusual step for a Speaker, said it "
        "was obvious."
    )
    assert speaker(sentence) == "Speaker John Bercow"


def test_according_to_someones_critics_names_only_an_appositive() -> None:
    assert speaker("According to Johnson's critics, Boris Johnson is wrong.") is None
    assert (
        speaker("According to Windsor Locks' first selectman, Chris Kervick, the fire was out.")
        == "Chris Kervick"
    )


def test_two_demonyms_joined_are_an_adjective_not_a_name() -> None:
    assert entities("The Turkish-Libyan maritime deal was denounced.") == ()
    assert [e.name for e in entities("the Putin-Raisi meeting")] == ["Putin-Raisi"]


def test_only_a_guess_at_who_someone_is_hedges_the_name() -> None:
    guessed = stance("He was shot by a prisoner, suspected to be 23-year-old Louis De Zoysa.")
    assert {"loui", "zoysa"} <= guessed.hedged_names
    reported = stance("Usman Khan stabbed reportedly several people at Fishmongers' Hall.")
    assert reported.hedged_names == frozenset()


def test_a_speech_verb_inside_the_quotation_is_not_the_report() -> None:
    sentence = (
        '"Overall," he continued, "the presence of water certainly improves the prospect of '
        'K2-18b being habitable, but further observations will be required to say for sure."'
    )
    assert speaker(sentence) is None


def test_the_person_an_inverted_report_names_past_a_possessive() -> None:
    sentence = '"Heartbroken and numb," writes Huber\'s longtime tag team partner Erick Rowan.'
    assert speaker(sentence) == "Erick Rowan"


def test_according_to_a_paper_the_person_it_reports_speaks() -> None:
    sentence = (
        "According to the New Zealand Herald, Emeritus Professor John Burrows, the chairman of "
        "the panel, said the flag has never before been open to public choice."
    )
    assert speaker(sentence) == "John Burrows"
    assert speaker("According to the NHC, Tropical Storm Barry could strengthen.") == "NHC"


def test_the_person_a_subject_opens_with_speaks_not_what_describes_them() -> None:
    fauci = (
        "On Monday, Director Anthony Fauci of the National Institute of Allergy and Infectious "
        "Diseases (NIAID), announced the trial was stopped early."
    )
    assert speaker(fauci) == "Anthony Fauci"
    gordon = "Philippine Red Cross chair Richard Gordon, in remarks to the BBC, said it."
    assert speaker(gordon) == "Richard Gordon"
    appositive = "One of South Sudan's Vice Presidents, Rebecca Nyandeng De Mabior, also commented."
    assert speaker(appositive) == "Rebecca Nyandeng De Mabior"


def test_a_person_of_a_body_is_the_person() -> None:
    assert same_person("WHO Mike Ryan", "Mike Ryan of the World Health Organization")
    assert same_person("Anthony Fauci of the NIAID", "NIAID")
    assert not same_person("Bank of England", "Bank of America")


def test_he_is_never_a_name_inside_a_quotation_or_an_opening_phrase() -> None:
    before = (
        "In his talk at the think tank Atlantic Council's Washington headquarters, Mitsotakis "
        'reaffirmed the project is open. "We seek cooperation in the Eastern Mediterranean", he '
        "said, repeating his remarks made on the EastMed signing ceremony."
    )
    assert last_person(before) == "Mitsotakis"


def test_a_hedge_on_the_saying_does_not_reach_what_is_said() -> None:
    said = stance("We would like to state that Georgian Tennis Federation has always condemned it.")
    assert "condemn" not in said.hedged
    assert "close" in stance("The plant could close.").hedged
    # "denied that he made a deal" denies the deal, as "denied making a deal" does
    assert "make" in stance("He denied that he made any specific deal.").negated
    assert "make" in stance("He denied making any specific deal.").negated
    # ... nor does the "would" of "I would say"
    assert "coerc" not in stance("So I think, I would say I was coerced into wearing it.").hedged


def test_acronyms_of_abbreviations_and_hyphenated_names_are_found() -> None:
    usgs = "the U.S. Geological Survey has said the earthquakes may continue."
    assert entity_found(Entity("USGS", "organisation"), usgs, entities(usgs))
    afp = "Speaking to Agence France-Presse, the president said so."
    assert entity_found(Entity("AFP", "organisation"), afp, entities(afp))
    noaa = "the National Oceanic and Atmospheric Administration said"
    assert entity_found(Entity("NOAA", "organisation"), noaa, entities(noaa))
    assert not entity_found(Entity("FBI", "organisation"), "the police said", ())


def test_whether_or_not_denies_nothing() -> None:
    assert stance("Skulls grew alike whether or not they were related.").negated == frozenset()
    assert "relat" in stance("They were not related.").negated


def test_a_name_a_preposition_governs_does_not_speak_for_the_next_verb() -> None:
    sentence = "Other Republicans have broken with Trump and have urged him to move forward."
    assert speaker(sentence) is None
    assert speaker("The CEO, John Smith, visited Paris and said it was fine.") == "John Smith"


def test_he_may_be_a_surname_given_in_full_long_before() -> None:
    filler = "The coating was tested on many surfaces in the laboratory. " * 30
    text = (
        "Professor Tak-Sing Wong led the study. "
        + filler
        + "Wong and three co-authors have started a company, spotLESS Materials, to sell it."
    )
    assert same_person(last_person(text) or "", "Tak-Sing Wong")


def test_born_opening_a_sentence_is_no_first_name() -> None:
    found = entities("Born Robert Burns in Arroyo Grande, Hunter wrote lyrics.")
    assert [e.name for e in found][:1] == ["Robert Burns"]


def test_the_person_after_a_quotation_and_its_comma_speaks() -> None:
    sentence = (
        '"Had it happened an hour later it would have been much worse," Khaled Al-Maeena, '
        "editor at large at the Saudi Gazette, said."
    )
    assert speaker(sentence, "", known_names(sentence)) == "Khaled Al-Maeena"


def test_a_body_of_a_two_word_country_is_found_by_its_demonym() -> None:
    context = "According to the Saudi Interior Ministry, over 345 pilgrims have been killed."
    ministry = Entity("Saudi Arabia Interior Ministry", "organisation")
    assert entity_found(ministry, context, entities(context))
    assert not entity_found(Entity("Saudi Arabia Health Ministry", "organisation"), context, ())


def test_first_as_an_adverb_is_no_ordinal() -> None:
    assert facts("They would probably first try to build their numbers up.").quantities == ()
    assert [q.kind for q in facts("It was the first time.").quantities] == ["ordinal"]


def test_the_dot_of_a_web_address_ends_no_sentence_before_the_speaker() -> None:
    # "Speaking to Globo.com, ..." is one sentence: its speaker is the person its subject names,
    # not the region the appositive mentions.
    assert (
        speaker(
            "Speaking to Globo.com, Ana Ribeiro, Banco Azul's CEO for Central Europe, "
            "explained that lending had slowed."
        )
        == "Ana Ribeiro"
    )


def test_he_is_never_an_office_named_without_its_holder() -> None:
    text = (
        "Dana McWhitfield, the Democratic House Minority Leader, reportedly agreed to a vote "
        "in January."
    )
    assert last_person(text) == "Dana McWhitfield"


def test_he_after_someone_else_opens_a_sentence_is_no_longer_the_last_speaker() -> None:
    quoted = '"We will win this election," said Morgan Tsvangirai.'
    acting = (
        " Refusing to give up power, President Robert Mugabe agreed to power-sharing in which "
        "Tsvangirai became prime minister."
    )
    assert last_person(quoted + acting) == "Robert Mugabe"
    # A sentence that only names someone after its subject hands nothing over.
    assert last_person(quoted + " The deal was signed in 2017 by Robert Mugabe.") == (
        "Morgan Tsvangirai"
    )


def test_a_body_whose_name_ends_like_no_persons_is_a_body() -> None:
    found = entities("Human Rights Watch, Abu Dhabi Media and the Miami Herald said so.")
    assert [e.kind for e in found] == ["organisation"] * 3
    # ... so the person the appositive names is the speaker, not the body.
    sentence = (
        "Following the announcement, the director of Argentina's Amnesty International, "
        "Mariela Belski, said the president had heard the demands."
    )
    assert speaker(sentence) == "Mariela Belski"


def test_a_day_named_with_its_weekday_is_no_name() -> None:
    text = "Warren failed to win any of the Super Tuesday contests; shops opened on Black Friday."
    assert entities(text) == ()
    assert [e.name for e in entities("He met Bill Tuesday.")] == ["Bill"]


def test_the_letters_of_a_catalogue_number_are_no_body() -> None:
    assert [e.name for e in entities("Wikinews asked about the HR 6819 black hole.")] == [
        "Wikinews"
    ]
    # ... but a body before a year is one.
    assert [e.kind for e in entities("They backed the UN 2030 agenda.")] == ["organisation"]


def test_a_place_after_a_possessive_is_a_name_of_its_own() -> None:
    names = [(e.name, e.kind) for e in entities("Trump's Nevada victory brings his total to 86.")]
    assert names == [("Trump", "other"), ("Nevada", "place")]


def test_he_is_whoever_opens_the_last_sentence_even_by_surname_alone() -> None:
    text = "In a livestream, Sanders pointed out that he had 300 fewer delegates than Joe Biden."
    assert last_person(text) == "Sanders"


def test_a_time_zone_and_an_everyday_acronym_are_no_names() -> None:
    names = [e.name for e in entities("The reality TV star spoke at 9:10am Pacific time.")]
    assert names == []
    # A time zone's name is kept where it names something else.
    assert [e.name for e in entities("Rain fell over Central Europe.")] == ["Central Europe"]


def test_a_full_name_spelled_a_letter_apart_is_one_person() -> None:
    assert same_person("Faithess Hijabi", "Faithless Hijabi")
    assert same_person("Aleksandr Kovalenko", "Aleksander Kovalenko")
    # Short words a letter apart are other names; so is a relative with another first name.
    assert not same_person("John Smith", "Joan Smith")
    assert not same_person("Yingluck Shinawatra", "Thaksin Shinawatra")


def test_a_body_after_its_owner_is_found_where_the_passage_names_both() -> None:
    passage = (
        "The orbiter will leave the Smithsonian's National Air and Space Museum Steven F. "
        "Udvar-Hazy Center for New York."
    )
    found = entity_found(Entity("Smithsonian Udvar-Hazy Center", "organisation"), passage, ())
    assert found
    # The rest of the name must stand together: "Federal Foreign Office" is not found in
    # "the Federal Aviation Office ... foreign airlines".
    other = "The Federal Aviation Office fined foreign airlines."
    assert not entity_found(Entity("Federal Foreign Office", "organisation"), other, ())


def test_a_speaker_who_concedes_is_the_he_of_the_next_quote() -> None:
    before = (
        "Coach Mia Tronc said her side had played well. Lars Radmall conceded that his side "
        "needed work. "
    )
    assert last_person(before) == "Lars Radmall"


def test_one_percent_is_a_share() -> None:
    claimed = facts("It wants use below 1%.").quantities[0]
    assert quantity_found(claimed, facts("The goal is less than one percent of users."))
    assert quantity_found(claimed, facts("The goal is less than one per cent of users."))
    assert not quantity_found(claimed, facts("One of the users left."))


def test_a_body_named_with_its_campus_speaks_as_the_body() -> None:
    assert (
        speaker("The University of Texas, Austin announced on Monday that the dean had resigned.")
        == "University of Texas"
    )
    # A country after a capital still speaks for its government.
    assert speaker("Officials in Seoul, South Korea said the test had failed.") == "South Korea"


def test_an_ampersand_abbreviation_is_one_word() -> None:
    assert [e.name for e in entities("After the Q&A, AT&T said it would appeal.")] == ["AT&T"]


def test_a_range_in_words_shares_its_scale() -> None:
    said = facts("An estimated two to three hundred cars were damaged.")
    assert quantity_found(facts("200 to 300 cars").quantities[0], said)
    assert not quantity_found(facts("2000 cars").quantities[0], said)


def test_a_middle_initial_stays_inside_the_name() -> None:
    found = entities("Chief Justice John G. Roberts wrote that Stevens served with honour.")
    assert [e.name for e in found][:2] == ["John G Roberts", "Stevens"]
    quoted = '"I am saddened," wrote Chief Justice John G. Roberts, "to report his death.'
    assert speaker(quoted) == "John G Roberts"
    # A lone capital letter that ends a sentence is not an initial.
    assert [e.name for e in entities("They chose Plan B. The vote was close.")] == ["Plan B"]


def test_a_clock_time_without_its_colon_is_a_time() -> None:
    said = facts("He was sworn in at 5 p.m. local time (2100 UTC), and left at (1620 UTC).")
    assert [q.kind for q in said.quantities if q.text.endswith("UTC")] == ["time", "time"]
    assert not said.dates  # "1620" is not a year here
    assert quantity_found(facts("at 21:00 UTC").quantities[0], said)
    assert quantity_found(facts("at 4:20 pm").quantities[0], said)
    assert not quantity_found(facts("at 22:00 UTC").quantities[0], said)


def test_a_span_of_time_is_found_in_the_neighbouring_unit() -> None:
    assert quantity_found(
        facts("a two-week quarantine").quantities[0], facts("during a 14-day quarantine")
    )
    assert quantity_found(facts("a 14-day quarantine").quantities[0], facts("for two weeks"))
    assert quantity_found(facts("within two days").quantities[0], facts("within 48 hours"))
    assert quantity_found(facts("24 months").quantities[0], facts("two years in prison"))
    assert not quantity_found(facts("three weeks").quantities[0], facts("for 20 days"))


def test_first_before_a_past_verb_says_when_not_which() -> None:
    assert not facts("The Kepler telescope first identified the planet.").quantities
    assert facts("It was the first reported case.").quantities[0].kind == "ordinal"
    # ... and it still backs a claim that says "first".
    claimed = facts("He won his first race in 1964.").quantities
    passage = facts("Conyers, first elected to Congress in 1964, was born in Detroit.")
    assert all(quantity_found(q, passage) for q in claimed)


def test_an_acronym_is_found_where_a_longer_run_of_capitals_spells_it_out() -> None:
    context = "The vote was boycotted by both Kurdish and Sunni Members of Parliament."
    found = entities(context)
    assert entity_found(Entity("Sunni MPs", "other"), context, found)
    assert entity_found(Entity("MP", "other"), context, found)
    assert not entity_found(Entity("Shia MPs", "other"), context, found)
    assert not entity_found(Entity("Sunni MEPs", "other"), context, found)


def test_once_before_a_clause_about_a_named_day_says_when() -> None:
    assert not facts("Play is suspended once Wednesday's schedule of games is over.").quantities
    assert facts("They met once in Paris.").quantities[0].value == 1


def test_a_number_and_a_half_is_read_whole() -> None:
    passage = facts("Two million replied and an additional million-and-a-half expressed interest.")
    assert quantity_found(facts("another 1.5 million").quantities[0], passage)
    assert [q.value for q in facts("two and a half million people").quantities] == [2_500_000]
    assert [q.value for q in facts("a million and a half").quantities] == [1_500_000]
    assert [q.value for q in facts("one and a half years").quantities] == [1.5]


def test_per_second_is_a_unit_not_an_ordinal() -> None:
    assert [q.value for q in facts("about 8 metres per second").quantities] == [8]
    assert [(q.value, q.kind) for q in facts("He won a second term.").quantities] == [
        (2, "ordinal")
    ]


def test_a_speaker_named_last_without_quotation_marks() -> None:
    said = "It is not for the Court to opine on motives, argued the government's lawyer, Tom Keen."
    assert speaker(said, "", known_names(said)) == "Tom Keen"
    # ... but not whoever what was said or announced names after the verb.
    for sentence, who in (
        ("Her former spokeswoman, Sadie Weiner, said Hagan died from the Powassan virus.", "Sadie Weiner"),
        ("Yesterday, Roscosmos, the Russian space agency, announced the death of Alexei Leonov.", "Roscosmos"),
    ):  # fmt: skip
        assert speaker(sentence, "", known_names(sentence)) == who


def test_a_places_body_is_found_as_the_body_of_that_place() -> None:
    passage = "The senate seat from Colorado due for election next year is that of Cory Gardner."
    found = entities(passage, frozenset())
    assert entity_found(Entity("Colorado Senate", "organisation"), passage, found)
    assert not entity_found(Entity("Colorado House", "organisation"), passage, found)
    assert not entity_found(Entity("Texas Senate", "organisation"), passage, found)


def test_people_named_by_what_they_do_open_a_sentence_without_being_a_name() -> None:
    for sentence in ("Responders drove onto the Ellipse.", "Lawmakers chose the cabinet's bill."):
        assert [e.name for e in entities(sentence, frozenset())] in ([], ["Ellipse"])
    # ... but a surname used mid-sentence stays a name.
    text = "Rogers won. The coach praised Rogers."
    assert "Rogers" in [e.name for e in entities(text, known_names(text))]


def test_a_name_of_no_known_kind_that_something_is_in_is_a_place() -> None:
    text = "Twin bombings struck the Jolo Cathedral in Mindanao; Wiranto was stabbed in Pandeglang."
    kinds = {e.name: e.kind for e in entities(text)}
    assert kinds["Mindanao"] == "place" and kinds["Pandeglang"] == "place"
    assert kinds["Jolo Cathedral"] == "place"  # a cathedral, a mosque, a palace: a place
    assert kinds["Wiranto"] == "other"  # not after "in": still of no known kind


def test_an_hour_of_the_morning_or_evening_is_a_time_of_day() -> None:
    (eleven,) = facts("He left at a quarter to 11 in the morning.").quantities
    assert (eleven.kind, eleven.value) == ("time", 660)
    assert quantity_found(eleven, facts("He left a quarter before 11 a.m."))
    (eight,) = facts("They met at 8 in the evening.").quantities
    assert quantity_found(eight, facts("They met at 8 p.m."))
    assert not quantity_found(eight, facts("They met at 8 a.m."))


def test_a_day_listed_after_a_date_is_of_the_same_month() -> None:
    dates = [(d.month, d.day) for d in facts("They were introduced on March 4 and 5.").dates]
    assert dates == [(3, 4), (3, 5)]
    assert [(d.month, d.day) for d in facts("on June 4, 5 and 6.").dates] == [
        (6, 4),
        (6, 5),
        (6, 6),
    ]
    # ... but not a count that follows one: "5 people".
    only = facts("On March 4 and 5 people died.")
    assert [(d.month, d.day) for d in only.dates] == [(3, 4)]
    assert [q.value for q in only.quantities] == [5.0]


def test_a_race_time_keeps_its_tenths_of_a_second() -> None:
    (time,) = facts("Kipchoge finished in 1:59:40.2.").quantities
    assert quantity_found(time, facts("His time was 1 hour 59 minutes 40.2 seconds."))
    assert not quantity_found(time, facts("His time was 1 hour 59 minutes 40.7 seconds."))
    (whole,) = facts("Kipchoge finished in 1:59:40.").quantities
    assert quantity_found(whole, facts("His time was 1:59:40.2."))


def test_a_millionth_is_a_number() -> None:
    (tiny,) = facts("Some microbes survive with as little as 0.000001 moles.").quantities
    assert quantity_found(tiny, facts("as little as a millionth of a mole per cubic meter"))
    assert not quantity_found(tiny, facts("as little as a thousandth of a mole per cubic meter"))
    # "a tenth part of" is the same share as "a tenth of".
    (share,) = facts("They make up about a tenth of the body.").quantities
    assert quantity_found(share, facts("They make up about a tenth part of the body."))


def test_the_names_a_text_knows_are_read_in_the_whole_text() -> None:
    filler = "The committee met again on the issue and talked for a long time. " * 60
    known = known_names(filler + "Later, Senator Lindsey Graham spoke on Fox News.")
    assert {"Lindsey", "Graham"} <= known
    # ... so a claim opening with the surname, also an English word, names him.
    assert entities("Graham also wrote on Twitter.", known)[0].name == "Graham"


def test_a_headline_or_a_label_makes_no_word_a_name() -> None:
    known = known_names(
        "Storm Barry Hits Louisiana Although Weakened\n"
        "((Valeria Gazzola)) Although it's not yet clear, said Keysers."
    )
    assert "Although" not in known
    assert "Keysers" in known


def test_recounted_reports_and_spoke_reports_a_quotation() -> None:
    assert speaker('Co-developer Jing Wang recounted, "When we put that coating on"') == "Jing Wang"
    quoted = 'Senator Lindsey Graham spoke on Fox News, "This is going to lead to trouble."'
    assert speaker(quoted) == "Lindsey Graham"
    assert speaker("Sebastian Gorka also spoke in the rally and encouraged supporters.") is None


def test_a_body_and_the_person_speaking_for_it_are_two_names() -> None:
    text = 'Former US Ambassador to the United Nations Nikki Haley wrote, "We must."'
    named = {e.name: e.kind for e in entities(text)}
    assert named["United Nations"] == "organisation"
    assert named["Nikki Haley"] == "person"
    assert speaker(text) == "Nikki Haley"
    assert speaker("The United Nations Secretary-General Antonio Guterres said so.") == (
        "Antonio Guterres"
    )
    # ... but a body's own longer name stays whole.
    assert [e.name for e in entities("University College London Hospital said so.")] == [
        "University College London Hospital"
    ]


def test_a_municipality_city_or_county_of_a_name_is_a_place() -> None:
    text = (
        "The court backed the request of the Municipality of Livorno, as the City of London "
        "and the County of Kerry had asked; the University of Kansas did not."
    )
    kinds = {e.name: e.kind for e in entities(text, known_names(text))}
    assert kinds["Municipality of Livorno"] == "place"
    assert kinds["City of London"] == "place"
    assert kinds["County of Kerry"] == "place"
    assert kinds["University of Kansas"] != "place"


def test_a_university_bank_or_church_of_a_name_is_a_body() -> None:
    text = "The University of Kansas and the Bank of England wrote to the Church of Scientology."
    kinds = {e.name: e.kind for e in entities(text, known_names(text))}
    assert kinds["University of Kansas"] == "organisation"
    assert kinds["Bank of England"] == "organisation"
    assert kinds["Church of Scientology"] == "organisation"


def test_a_penalty_or_defeat_conceded_is_no_speech() -> None:
    passage = (
        "In the 62nd minute Kim Min-Woo conceded a penalty which the match referee Joel "
        "Aguilar awarded Sweden."
    )
    assert speaker(passage) is None
    assert (
        speaker("Referee Joel Aguilar awarded Sweden a penalty, conceded by Kim Min-Woo.") is None
    )
    assert speaker("Smith conceded defeat on Tuesday.") is None
    assert speaker("Smith conceded that the plan had failed.") == "Smith"
    assert speaker('"We lost," Smith conceded.') == "Smith"


def test_a_capitalised_number_word_after_a_name_is_part_of_the_name() -> None:
    text = "The NHC said Tropical Depression Three had sustained winds of 30 mph, nine short."
    assert [q.text for q in facts(text).quantities] == ["30", "nine"]
    assert [q.text for q in facts("Seven people died. Three were hurt.").quantities] == [
        "Seven",
        "Three",
    ]


def test_an_abbreviated_genus_is_no_name() -> None:
    text = '"The resistant E. coli strains were different," said Dr. Livermore.'
    assert [e.name for e in entities(text)] == ["Livermore"]


def test_an_en_dash_inside_a_name_joins_it() -> None:
    text = '"It is a good sign," said Ryan Cloutier of the Harvard–Smithsonian Center.'
    names = [e.name for e in entities(text)]
    assert names == ["Ryan Cloutier of the Harvard–Smithsonian Center"]
    assert same_person(speaker(text) or "", "Ryan Cloutier")


def test_a_denied_speech_verb_reports_no_one() -> None:
    sentence = (
        "Crown Prince Mohammad bin Salman accepted responsibility for Jamal Khashoggi's murder "
        "but did not say he had ordered it."
    )
    assert speaker(sentence) is None
    assert speaker("The minister didn't say when the talks would resume.") is None
    assert speaker("Bennett said he never said that.") == "Bennett"


def test_whose_someone_is_is_not_who_acts() -> None:
    text = (
        "The prince accepted responsibility. Khashoggi's fiancée, Hatice Cengiz, called it a ploy."
    )
    assert last_person(text) == "Hatice Cengiz"


def test_a_quotation_after_a_colon_is_the_clause_openers() -> None:
    text = (
        'Governor John Bel Edwards addressed the public: "No one should take this storm lightly."'
    )
    assert speaker(text) == "John Bel Edwards"
    reacted = 'Mick Jagger of The Rolling Stones also reacted on Twitter, "Sad news indeed."'
    assert speaker(reacted) == "Mick Jagger"
    assert speaker('The statement read: "No one should take this storm lightly."') is None


def test_a_name_of_clipped_words_is_the_name_in_full() -> None:
    text = "Liberal Democrats are to find a new leader after Jo Swinson was defeated."
    assert entity_found(Entity("Lib Dem", "other"), text, entities(text))
    assert not entity_found(Entity("Lib Dem", "other"), "The Labour leader resigned.", ())
    # ... written as one word: "LegCo"
    legco = "Nathan Law became the youngest Legislative Council member in Hong Kong's history."
    assert entity_found(Entity("LegCo", "other"), legco, entities(legco))
    assert not entity_found(Entity("LegCo", "other"), "The legal council met.", ())


def test_co2_is_carbon_dioxide() -> None:
    text = "Some crops may have higher yields with increased levels of carbon dioxide."
    assert entity_found(Entity("CO2", "organisation"), text, entities(text))


def test_a_time_of_days_mark_is_no_name() -> None:
    text = "The attacks occurred at 4:00 A.M. local time, according to the Saudi Press Agency."
    assert [e.name for e in entities(text)] == ["Saudi Press Agency"]
