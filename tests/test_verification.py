"""Verification: a verdict per sentence, catching wrong facts, names, speakers, negation and
hedging, passing faithful paraphrase, synthesis and framing, correcting misplaced markers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant.citations import parse_answer
from assistant.records import Citation, Source
from assistant.text import terms
from assistant.verification import (
    _subject,
    _swapped_name,
    best_window,
    is_framing,
    is_refusal,
    verify,
)

MEETING = (
    "Russian President Vladimir Putin traveled to Iran on Tuesday. This was the third time "
    "since the start of the year that Putin has met with his Iranian counterpart, Ebrahim "
    "Raisi. “We really don’t know what the actual results of the meeting were,” said Zvi "
    "Magen, senior research fellow at the Institute for National Security Studies (INSS). "
    "China, however, could join Russia and Iran in a united front against the US and the West."
)
SANCTIONS = (
    "Even after Moscow’s 2022 invasion of Ukraine, Israel has refrained from imposing "
    "sanctions on Russia. The Trump administration pressured Israel to vote against a UN "
    "General Assembly resolution in 2018. Former Prime Minister Naftali Bennett said Israel "
    "needs freedom of action in Syria. The deal is worth 2,000 million dollars."
)


def source(n: int, text: str, name: str) -> Source:
    return Source(
        n=n,
        chunk_id=f"c{n}",
        source=name,
        text=text,
        start=100,
        end=100 + len(text),
        score=1.0,
        title=f"Title of {name}",
        date="July 19, 2022",
    )


SOURCES = [source(1, MEETING, "meeting.txt"), source(2, SANCTIONS, "sanctions.txt")]


def verdict_of(answer: str, question: str | None = None):  # type: ignore[no-untyped-def]
    verified = verify(answer, SOURCES, question=question)
    assert len(verified.verdicts) == 1, verified.verdicts
    return verified.verdicts[0], verified


@pytest.mark.parametrize(
    "sentence",
    [
        "Putin traveled to Iran on Tuesday [1].",
        "This was the third time this year that Putin met Ebrahim Raisi [1].",
        "Putin has met Raisi three times since the start of the year [1].",
        "Israel has not imposed sanctions on Russia [2].",  # paraphrase of "refrained from"
        "Bennett said Israel needs freedom of action in Syria [2].",
        "The Trump administration pressured Israel to vote against a UN resolution [2].",
        "Magen, a senior research fellow at the INSS, said the results were unknown [1].",
        "China could join Russia and Iran in a united front [1].",
        "The deal is worth 2000 million dollars [2].",
    ],
)
def test_faithful_sentences_are_verified(sentence: str) -> None:
    verdict, verified = verdict_of(sentence)
    assert verdict.status == "verified", verdict.reason
    assert verdict.citations and verified.citations
    citation = verified.citations[0]
    text = {s.source: s for s in SOURCES}[citation.source]
    assert text.text[citation.start - text.start : citation.end - text.start] == citation.quote


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("This was the fourth time this year that Putin met Raisi [1].", "fourth"),
        ("Putin traveled to Iran on Wednesday [1].", "Wednesday"),
        (
            "The Trump administration pressured Israel to vote against a resolution in 2017 [2].",
            "2017",
        ),
        ("Netanyahu said Israel needs freedom of action in Syria [2].", "Netanyahu"),
        ("The Trump administration pressured Israel to vote for a UN resolution [2].", "for"),
        ("Israel has imposed sanctions on Russia [2].", "opposite"),
        ("China has joined Russia and Iran in a united front [1].", "may happen"),
    ],
)
def test_a_changed_fact_is_unsupported_with_its_reason(sentence: str, reason: str) -> None:
    verdict, verified = verdict_of(sentence)
    assert verdict.status == "unsupported"
    assert verdict.reason and reason in verdict.reason
    assert verdict.citations == () and "[" not in verified.text


def test_a_dropped_negation_under_a_modal_is_unsupported() -> None:
    effect = [
        source(1, "However, this will have no practical effect on Israel's operations.", "e.txt")
    ]
    dropped = verify("This will have a major practical effect on Israel's operations [1].", effect)
    assert dropped.verdicts[0].status == "unsupported"
    assert "negation" in (dropped.verdicts[0].reason or "")
    kept = verify("This will have no practical effect on Israel's operations [1].", effect)
    assert kept.verdicts[0].status == "verified"


def test_a_possibility_stated_as_done_is_unsupported() -> None:
    talks = [
        source(
            1,
            "Discussions involving Iran are intensifying, indicating a possibility of new "
            "negotiations concerning the nuclear deal.",
            "t.txt",
        )
    ]
    done = verify("New negotiations concerning the nuclear deal have begun [1].", talks)
    assert done.verdicts[0].status == "unsupported"
    assert "may happen" in (done.verdicts[0].reason or "")
    hedged = verify("New negotiations on the nuclear deal are possible [1].", talks)
    assert hedged.verdicts[0].status == "verified"


def test_what_a_negation_denies_through_or_is_not_stated_as_done() -> None:
    aid = [
        source(
            1,
            "Israel sent humanitarian aid to Ukraine, but it refrained from imposing direct "
            "sanctions or supplying Ukraine with weapons.",
            "a.txt",
        )
    ]
    supplied = verify("Israel supplied Ukraine with weapons [1].", aid)
    assert supplied.verdicts[0].status == "unsupported"
    assert "opposite" in (supplied.verdicts[0].reason or "")
    kept = verify("Israel did not supply Ukraine with weapons [1].", aid)
    assert kept.verdicts[0].status == "verified", kept.verdicts[0].reason
    sent = verify("Israel sent humanitarian aid to Ukraine [1].", aid)
    assert sent.verdicts[0].status == "verified", sent.verdicts[0].reason


def test_a_plan_for_what_happened_is_unsupported_despite_a_hedge_elsewhere() -> None:
    towns = [
        source(
            1,
            "Reportedly, at least two towns including Makilala declared a state of calamity "
            "after the quake.",
            "q.txt",
        )
    ]
    planned = verify(
        "At least two towns, including Makilala, plan to declare a state of calamity [1].", towns
    )
    assert planned.verdicts[0].status == "unsupported"
    assert "planned" in (planned.verdicts[0].reason or "")
    done = verify(
        "At least two towns, including Makilala, declared a state of calamity [1].", towns
    )
    assert done.verdicts[0].status == "verified", done.verdicts[0].reason


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("The new currency increases trade across Africa [1].", "reduc"),
        ("Cutting ties would help Israel's ability to manage threats [1].", "hinder"),
    ],
)
def test_common_opposite_words_are_caught(sentence: str, word: str) -> None:
    passage = [
        source(
            1,
            "The new currency reduces trade across Africa. Cutting ties would hinder Israel's "
            "ability to manage threats.",
            "o.txt",
        )
    ]
    verified = verify(sentence, passage)
    assert verified.verdicts[0].status == "unsupported"
    assert word in (verified.verdicts[0].reason or "")


def test_a_name_put_where_the_passage_has_another_is_unsupported() -> None:
    home = [
        source(
            1,
            "The shutdown reached every village. This included the home of Prime Minister "
            "Tuilaepa, who told the press his nephew needed a dose. UNICEF's Sheldon Yett "
            "praised the campaign.",
            "h.txt",
        )
    ]
    swapped = verify(
        "This included the home of Sheldon Yett, whose nephew needed a dose [1].", home
    )
    assert swapped.verdicts[0].status == "unsupported"
    assert "Tuilaepa, not Sheldon Yett" in (swapped.verdicts[0].reason or "")
    faithful = verify("It included the home of Tuilaepa, whose nephew needed a dose [1].", home)
    assert faithful.verdicts[0].status == "verified", faithful.verdicts[0].reason
    # The one the claim says spoke may be the name the passage has in that place.
    bully = [
        source(
            1,
            "Erdogan spoke on live television on Monday. Unfortunately, Trump is "
            "behaving like a bully boy.",
            "b.txt",
        )
    ]
    speaker = verify("Trump said that Erdogan is behaving like a bully boy [1].", bully)
    assert speaker.verdicts[0].status == "unsupported"
    # The same two names in another order is not a swap.
    met = [source(1, "In Tehran, Raisi met Putin for the third time this year.", "m.txt")]
    order = verify("In Tehran, Putin met Raisi for the third time this year [1].", met)
    assert order.verdicts[0].status == "verified", order.verdicts[0].reason


@pytest.mark.parametrize(
    ("sentence", "passage"),
    [
        # A person the passage calls by first name, named in full earlier in the article.
        (
            "Hardeep Singh Puri also said both flight recorders have been recovered [1].",
            "Civil Aviation Minister Hardeep Singh Puri said 18 people died. 149 of the "
            "survivors are in hospital. Hardeep also stated that both of the flight recorders "
            "have been recovered.",
        ),
        # "absent" is "not present".
        (
            "Premier Gladys Berejiklian was absent from the bill's final vote [1].",
            "Premier Gladys Berejiklian was not present at the bill's final vote.",
        ),
        # "US" is "U.S.".
        (
            "Ford disclosed the matter to the US Environmental Protection Agency [1].",
            "Ford disclosed this matter to the U.S. Environmental Protection Agency on Monday.",
        ),
        # "unlikely" is "not likely".
        (
            "Taylor also said this is unlikely to happen again next year [1].",
            "Taylor spoke to reporters. He also said this is not likely to happen again next year.",
        ),
        # "appears to be due to" is no plan.
        (
            "The decline appears to be due to the dairy industry replacing iodine sanitisers [1].",
            "The decline in iodine intake appears to be due to changes in the dairy industry, "
            "where chlorine sanitisers have replaced iodine sanitisers.",
        ),
        # The official after "according to", not the town they serve.
        (
            "First selectman Chris Kervick said ten passengers were aboard [1].",
            "According to Windsor Locks' first selectman, Chris Kervick, there were ten "
            "passengers aboard the aircraft.",
        ),
        # A body by its abbreviation: "USCG" holds the initials of "Coast Guard".
        (
            "Coast Guard Captain Monica Rochester said the search had found nothing [1].",
            "USCG Captain Monica Rochester told the press the search had found nothing.",
        ),
        # A name the article misspells by two letters swapped.
        (
            "The United Nations has criticised the policy of turning away boats [1].",
            "The Untied Nations has criticised the policy of turning away boats.",
        ),
        # A race time in another format.
        (
            "Kipchoge set the official world record, 2:01:39, in Berlin [1].",
            "Kipchoge also set the official world record, of 2 hours 1 minute 39 seconds, in "
            "Berlin.",
        ),
    ],
)
def test_faithful_rewordings_of_names_and_numbers_are_verified(sentence: str, passage: str) -> None:
    verified = verify(sentence, [source(1, passage, "f.txt")])
    assert verified.verdicts[0].status == "verified", verified.verdicts[0].reason


def test_a_sentence_that_only_introduces_the_sources_is_framing() -> None:
    assert is_framing("The sources give a few details about the aircraft's past.")
    assert not is_framing("The sources say the aircraft was built in 1944.")


def test_he_may_be_the_person_the_article_is_about() -> None:
    text = (
        "The University of California announced the news on Friday. He served in the US Army "
        "in World War Two, before being recalled to Scripps."
    )
    munk = Source(
        n=1,
        chunk_id="c1",
        source="munk.txt",
        text=text,
        start=0,
        end=len(text),
        score=1.0,
        title="Oceanographer Walter Munk dies aged 101",
    )
    verified = verify("Munk served in the US Army in World War Two [1].", [munk])
    assert verified.verdicts[0].status == "verified", verified.verdicts[0].reason


def test_a_name_in_an_opening_phrase_is_not_the_subject() -> None:
    parade = [
        source(
            1,
            "Franky Zapata presented the device at the Bastille Day military parade. In that "
            "instance, Zapata held a rifle to show it could be used for military purposes.",
            "p.txt",
        )
    ]
    verified = verify(
        "At the Bastille Day military parade, Zapata held a rifle to show its military use [1].",
        parade,
    )
    assert verified.verdicts[0].status == "verified", verified.verdicts[0].reason
    # ... the subject follows the phrase: "On Thursday, Putin extended ..." is said of Putin
    text = (
        "On Thursday, Sergei Sobyanin, the mayor of Moscow, extended the city lockdown to May "
        "1. Nationally, President Vladimir Putin declared Russians would continue to be paid "
        "without going to work until April 30."
    )
    assert _verdicts(
        "On Thursday, President Vladimir Putin extended the Moscow city lockdown to May 1 [1].",
        text,
    ) == [("unsupported", "the cited passage says this of Sergei Sobyanin, not Vladimir Putin")]
    assert _verdicts(
        "On Thursday, Sobyanin extended the Moscow city lockdown to May 1 [1].", text
    ) == [("verified", None)]


def test_a_quote_whose_speaker_follows_it_is_checked_against_that_speaker() -> None:
    toilet = [
        source(
            1,
            'The toilet was stolen from Blenheim Palace. "At first, I thought it was a prank: '
            "Who's so stupid to steal a toilet?\" wrote Maurizio Cattelan, the artist. Palace "
            "chief executive Dominic Hare said the theft was a shock.",
            "toilet.txt",
        )
    ]
    wrong = verify(
        "Dominic Hare wrote that at first he thought it was a prank: \"Who's so stupid to "
        'steal a toilet?" [1]',
        toilet,
    )
    assert wrong.verdicts[0].status == "unsupported"
    assert "Cattelan" in (wrong.verdicts[0].reason or "")


def test_a_sentence_opening_with_a_quotation_is_checked_against_its_speaker() -> None:
    murder = [
        source(
            1,
            "Nabil al-Quaety was shot dead in Aden. \"Nabil's murder is a terrible new blow to "
            'journalism in Yemen", said Sabrina Bennoui of Reporters Without Borders.',
            "aden.txt",
        )
    ]
    verified = verify(
        '"Nabil\'s murder is a terrible new blow to journalism in Yemen", said Sabrina Bennoui '
        "of Reporters Without Borders [1].",
        murder,
    )
    assert verified.verdicts[0].status == "verified", verified.verdicts[0].reason


def test_another_relative_date_is_unsupported() -> None:
    reports = [source(1, "Last week, reports emerged that Israel was pressured to vote.", "r.txt")]
    wrong = verify("Reports emerged last month that Israel was pressured to vote [1].", reports)
    assert wrong.verdicts[0].status == "unsupported"
    assert "last week" in (wrong.verdicts[0].reason or "")
    right = verify("Reports emerged last week that Israel was pressured to vote [1].", reports)
    assert right.verdicts[0].status == "verified"


def test_a_quote_given_to_someone_else_is_unsupported() -> None:
    verdict, _ = verdict_of(
        "“We really don’t know what the actual results of the meeting were,” said Raisi [1]."
    )
    assert verdict.status == "unsupported"
    assert verdict.reason == "the passage attributes this to Zvi Magen"


def test_a_marker_on_the_wrong_source_is_moved_and_says_so() -> None:
    verdict, verified = verdict_of("Bennett said Israel needs freedom of action in Syria [1].")
    assert verdict.status == "corrected"
    assert verdict.citations == (1,) and verified.citations[0].source == "sanctions.txt"
    assert verdict.reason == "the source it cited doesn't say this; [1] does"


def test_a_source_that_does_not_exist_is_never_shown() -> None:
    verdict, verified = verdict_of("Bennett said Israel needs freedom of action in Syria [6].")
    assert verdict.status == "corrected" and "[6]" not in verified.text
    assert verdict.reason and "[6], which doesn't exist" in verdict.reason


def test_a_sentence_citing_two_sources_is_checked_against_both() -> None:
    verdict, verified = verdict_of(
        "Putin met Raisi for the third time this year, while Israel has refrained from "
        "imposing sanctions on Russia [1][2]."
    )
    assert verdict.status == "verified", verdict.reason
    assert {c.source for c in verified.citations} == {"meeting.txt", "sanctions.txt"}


def test_a_short_answer_is_read_with_its_question() -> None:
    verdict, _ = verdict_of(
        "It was Zvi Magen [1].", question="Who is the senior research fellow at the INSS?"
    )
    assert verdict.status == "verified", verdict.reason


@pytest.mark.parametrize(
    "sentence",
    [
        "Here is what the articles say.",
        "In short:",
        "The sources cover several points.",
        "Briefly, here is where things stand.",  # a lead-in word before "here is"
    ],
)
def test_framing_needs_no_citation_and_is_not_flagged(sentence: str) -> None:
    verdict, verified = verdict_of(sentence)
    assert verdict.status == "framing" and verified.uncited == []
    assert is_framing(sentence)


def test_an_uncited_claim_gets_the_passage_that_backs_it_or_is_unsupported() -> None:
    verdict, _ = verdict_of("Israel has refrained from imposing sanctions on Russia.")
    assert verdict.status == "corrected" and verdict.reason == "it had no citation; [1] supports it"
    verdict, verified = verdict_of("Israel sold fighter jets to Ukraine.")
    assert verdict.status == "unsupported" and verified.uncited == [verdict.sentence]


def test_verdict_offsets_point_into_the_answer() -> None:
    answer = "Putin traveled to Iran on Tuesday [1]. Netanyahu said so [2]."
    verified = verify(answer, SOURCES)
    for verdict in verified.verdicts:
        piece = verified.text[verdict.start : verdict.end]
        assert piece.startswith(verdict.sentence[:10])


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("The sources don't say.", True),
        ("The sources don’t mention the crane’s height.", True),
        ("I couldn't find that in the provided articles.", True),
        ("There is no information about the budget in these sources.", True),
        ("Unfortunately, the articles do not specify the date.", True),
        ("None of the sources mention Israel's ambassador to Russia.", True),
        ("Israel did not sanction Russia.", False),
        ("Putin traveled to Iran on Tuesday.", False),
    ],
)
def test_refusals_are_recognised_in_any_wording(text: str, refusal: bool) -> None:
    assert is_refusal(text) is refusal


# Two "cleaned articles"; the sources below are slices of them with their true offsets.
SYRIA = (
    "Israel has long pursued a policy of strategic ambiguity toward Russia. "
    "Russia's military intervention in Syria began in 2015 to bolster the Assad regime. "
    "Advanced air defense systems such as the S-400 gave Moscow effective control over Syrian "
    "airspace.\n"
    "Israel established a deconfliction mechanism with Russia to avoid direct confrontation."
)
ACCORDS = (
    "Headline: Accords and Russia\n"
    "The Abraham Accords normalized relations between Israel and the United Arab Emirates, "
    "Bahrain and Morocco. Russia could help broker further normalization deals in the region."
)
ARTICLES = {"001_syria.txt": SYRIA, "002_accords.txt": ACCORDS}


def slice_of(n: int, name: str, first: str, last: str) -> Source:
    """Source n: the slice of article `name` from the sentence starting `first` to the end of
    the sentence starting `last`."""
    text = ARTICLES[name]
    start = text.index(first)
    end = text.index(".", text.index(last)) + 1
    return Source(
        n=n,
        chunk_id=f"{name}:{start}",
        source=name,
        text=text[start:end],
        start=start,
        end=end,
        score=1.0 / n,
    )


SLICES = [
    slice_of(1, "001_syria.txt", "Russia's military", "Advanced air"),
    slice_of(2, "002_accords.txt", "The Abraham", "Russia could"),
    slice_of(3, "001_syria.txt", "Israel established", "Israel established"),
]


def quote_of(name: str, first: str) -> str:
    text = ARTICLES[name]
    start = text.index(first)
    return text[start : text.index(".", start) + 1]


def assert_quotes_are_verbatim(citations: list[Citation]) -> None:
    for citation in citations:
        assert ARTICLES[citation.source][citation.start : citation.end] == citation.quote


# --- on slices of articles with their true offsets ---------------------------------------------------------------------------------


def test_a_supported_citation_is_kept_and_quotes_the_supporting_sentence() -> None:
    verified = verify("Russia's intervention in Syria began in 2015 [1].", SLICES)
    assert verified.text == "Russia's intervention in Syria began in 2015 [1]."
    assert verified.citations == [
        Citation(
            n=1,
            source="001_syria.txt",
            chunk_id=SLICES[0].chunk_id,
            quote=quote_of("001_syria.txt", "Russia's military"),
            start=SYRIA.index("Russia's military"),
            end=SYRIA.index("Russia's military")
            + len(quote_of("001_syria.txt", "Russia's military")),
        )
    ]
    assert verified.uncited == [] and verified.dropped == 0
    assert_quotes_are_verbatim(verified.citations)


def test_a_marker_to_a_nonexistent_number_is_dropped() -> None:
    verified = verify(
        "The Abraham Accords normalized relations with Bahrain and Morocco [2][9].", SLICES
    )
    assert verified.text == "The Abraham Accords normalized relations with Bahrain and Morocco [1]."
    assert [(c.n, c.source) for c in verified.citations] == [(1, "002_accords.txt")]
    assert verified.dropped == 1
    assert "[9]" not in verified.text and "[2]" not in verified.text


def test_an_unsupported_nonexistent_marker_leaves_the_claim_flagged() -> None:
    verified = verify("Penguins in Antarctica mostly eat krill and small fish [9].", SLICES)
    assert verified.text == "Penguins in Antarctica mostly eat krill and small fish."
    assert verified.citations == []
    assert verified.uncited == ["Penguins in Antarctica mostly eat krill and small fish."]
    assert verified.dropped == 1


def test_a_marker_to_the_wrong_source_is_repointed_to_the_one_that_supports() -> None:
    # [2] is the Abraham Accords chunk; the S-400 sentence is in source 1.
    verified = verify("The S-400 gave Moscow control over Syrian airspace [2].", SLICES)
    assert verified.text == "The S-400 gave Moscow control over Syrian airspace [1]."
    assert [(c.source, c.quote) for c in verified.citations] == [
        ("001_syria.txt", quote_of("001_syria.txt", "Advanced air"))
    ]
    assert verified.dropped == 1
    assert_quotes_are_verbatim(verified.citations)


def test_a_marker_that_no_source_supports_is_dropped() -> None:
    verified = verify("Israel won the football world cup in 2015 with Morocco [1][2].", SLICES)
    assert verified.citations == []
    assert verified.text == "Israel won the football world cup in 2015 with Morocco."
    assert verified.uncited == ["Israel won the football world cup in 2015 with Morocco."]
    assert verified.dropped == 2


def test_citations_are_renumbered_in_order_of_first_use() -> None:
    verified = verify(
        "Russia could help broker normalization deals [2]. "
        "The intervention in Syria began in 2015 [1]. "
        "Israel set up a deconfliction mechanism with Russia [3]. "
        "Moscow controls Syrian airspace through the S-400 [1]. "
        "Russia could broker further normalization deals in the region [2].",
        SLICES,
    )
    assert verified.text == (
        "Russia could help broker normalization deals [1]. "
        "The intervention in Syria began in 2015 [2]. "
        "Israel set up a deconfliction mechanism with Russia [3]. "
        "Moscow controls Syrian airspace through the S-400 [4]. "
        "Russia could broker further normalization deals in the region [1]."
    )
    assert [(c.n, c.source, c.quote) for c in verified.citations] == [
        (1, "002_accords.txt", quote_of("002_accords.txt", "Russia could")),
        (2, "001_syria.txt", quote_of("001_syria.txt", "Russia's military")),
        (3, "001_syria.txt", quote_of("001_syria.txt", "Israel established")),
        (4, "001_syria.txt", quote_of("001_syria.txt", "Advanced air")),
    ]
    assert verified.dropped == 0
    assert_quotes_are_verbatim(verified.citations)


def test_every_marker_in_the_verified_text_resolves_to_a_citation() -> None:
    verified = verify(
        "The Accords normalized relations with the United Arab Emirates [2][7]. "
        "Russia's intervention in Syria began in 2015 [3][1].",
        SLICES,
    )
    numbers = {n for s in parse_answer(verified.text) for n in s.cited}
    assert numbers == {c.n for c in verified.citations} == {1, 2}


def test_uncited_claims_are_flagged_but_questions_and_short_connectives_are_not() -> None:
    verified = verify(
        "Russia's intervention in Syria began in 2015 [1]. "
        "Israel also sold oranges to Russian supermarkets every winter. "
        "In short. "
        "Would you like to know more about Syria?",
        SLICES,
    )
    assert verified.uncited == ["Israel also sold oranges to Russian supermarkets every winter."]
    assert [c.n for c in verified.citations] == [1]


def test_a_weight_function_decides_which_terms_must_be_supported() -> None:
    sentence = "The S-400 gave Moscow effective control over Syrian airspace and seaports [1]."
    assert [c.n for c in verify(sentence, SLICES).citations] == [1]
    # When "seaports" (absent from every source) is all that matters, nothing supports it.
    heavy = verify(sentence, SLICES, weight=lambda t: 100.0 if t == "seaport" else 1.0)
    assert heavy.citations == [] and heavy.dropped == 1


def test_a_year_the_passage_does_not_state_is_never_supported() -> None:
    verified = verify("The S-400 gave Moscow control over Syrian airspace in 1999 [1].", SLICES)
    assert verified.citations == []
    assert verified.verdicts[0].reason == "“1999” is not in the cited passage"


def test_line_breaks_between_sentences_survive_verification() -> None:
    verified = verify(
        "Russia could help broker deals:\n- Normalization with Morocco and Bahrain [2].", SLICES
    )
    # The uncited opening line is backed by source 2 too, so it gets a citation of its own.
    assert (
        verified.text
        == "Russia could help broker deals [1]:\n- Normalization with Morocco and Bahrain [2]."
    )
    assert [v.status for v in verified.verdicts] == ["corrected", "verified"]


# --- best_window ---------------------------------------------------------------------------


def test_best_window_quotes_one_sentence_with_article_offsets() -> None:
    passage, score = best_window(
        set(terms("Moscow controls Syrian airspace")), SLICES[0], lambda _t: 1.0
    )
    assert passage.text == quote_of("001_syria.txt", "Advanced air")
    assert SYRIA[passage.start : passage.end] == passage.text
    assert score == 1.0


def test_best_window_joins_two_sentences_when_the_claim_spans_them() -> None:
    passage, score = best_window(
        set(
            terms(
                "The Abraham Accords normalized relations with Morocco and Russia could broker "
                "more deals"
            )
        ),
        SLICES[1],
        lambda _t: 1.0,
    )
    assert passage.text == SLICES[1].text  # both sentences of the chunk
    assert ACCORDS[passage.start : passage.end] == passage.text
    assert score == 1.0


def test_best_window_scores_unrelated_text_zero() -> None:
    assert best_window({"penguin", "krill"}, SLICES[0], lambda _t: 1.0)[1] == 0.0


# --- who the claim is about, who said it ------------------------------------------------------


def _verdicts(answer: str, *texts: str) -> list[tuple[str, str | None]]:
    sources = [source(n, text, f"article{n}.txt") for n, text in enumerate(texts, start=1)]
    return [(v.status, v.reason) for v in verify(answer, sources).verdicts]


def test_a_name_that_only_describes_the_subject_is_not_the_subject() -> None:
    # "The Philippine seismology agency Phivolcs": the subject is the agency, which the passage
    # names; the passage need not say "Philippine".
    assert _verdicts(
        "The Philippine agency Phivolcs reported the earthquake's magnitude was 5.5 [1].",
        "The earthquake hit the southern Philippines at dawn, and residents fled their homes "
        "in panic. Phivolcs reported the earthquake's magnitude was 5.5; the USGS reported "
        "5.8.",
    ) == [("verified", None)]


def test_a_sentence_drawing_on_two_cited_sentences_may_take_a_name_from_either() -> None:
    text = (
        "The disturbance is about 30 astronomical units from the host star, one unit being the "
        "distance between the Sun and the Earth. That is almost the distance from the Sun to "
        "Neptune."
    )
    assert _verdicts(
        "The disturbance lies about 30 astronomical units from the star, almost the distance "
        "from the Sun to Neptune [1].",
        text,
    ) == [("verified", None)]


def test_a_name_borrowed_from_beside_another_word_is_still_a_swap() -> None:
    text = (
        "Senate President Thomas Rivera Schatz filed the lawsuit on behalf of the Senate late "
        "Sunday night. According to a memo posted online by Senator Juan Dalmau, the Senate "
        "cancelled its hearing."
    )
    (verdict,) = _verdicts(
        "The lawsuit was filed on behalf of the Senate late Sunday night by Senator Juan "
        "Dalmau [1].",
        text,
    )
    assert verdict[0] == "unsupported"


def test_he_in_the_answer_is_the_person_it_named_before() -> None:
    first, second = _verdicts(
        "Tedros said the world had never seen a pandemic sparked by a coronavirus [1]. He also "
        "warned that, bottom line, the outbreak is going to get worse [2].",
        'Tedros said, "We have never before seen a pandemic sparked by a coronavirus."',
        'Dr. Anthony Fauci said of the outbreak, "Bottom line, it\'s going to get worse."',
    )
    assert first == ("verified", None)
    assert second[0] == "unsupported"
    assert "Fauci" in (second[1] or "")


def test_a_guess_stated_as_established_is_flagged() -> None:
    (verdict,) = _verdicts(
        "Chinese authorities have established that the virus passed to humans from animals at "
        "a seafood market in Wuhan [1].",
        "Chinese authorities have speculated the virus was transferred to humans from animals "
        "in a seafood market in Wuhan.",
    )
    assert verdict == ("unsupported", "the cited passage only says this may happen")


def test_work_under_way_stated_as_done_is_flagged() -> None:
    (verdict,) = _verdicts(
        "Vesey said the firm had installed 100 miles of stronger poles and covered lines [1].",
        'Vesey said the firm was working to install "100 miles of stronger poles and covered '
        'power lines".',
    )
    assert verdict == ("unsupported", "the cited passage only says this may happen")


def test_a_second_source_the_passage_gives_may_be_the_one_the_claim_names() -> None:
    assert _verdicts(
        "The US had at least 55,000 deaths, rising by over 1,000 a day according to Vox [1].",
        "The US has the most deaths, according to the JHU data; at least 55,000 deaths, with "
        "the number rising by over 1,000 deaths per day according to the Vox website.",
    ) == [("verified", None)]


def test_a_number_in_words_is_the_passages_digits() -> None:
    assert _verdicts(
        "Thirty-nine percent are critical [1].",
        'Secunia said IE6 has 277 vulnerabilities; 39 percent of these are rated "highly '
        'critical".',
    ) == [("verified", None)]


def test_a_relative_named_instead_is_a_wrong_person() -> None:
    (verdict,) = _verdicts(
        "A military coup in 2006 removed then-prime-minister Yingluck Shinawatra [1].",
        "A military coup removed then-prime-minister Thaksin Shinawatra in 2006, and another "
        "his sister Yingluck Shinawatra in 2014.",
    )
    assert verdict == (
        "unsupported",
        "the cited passage says Thaksin Shinawatra, not Yingluck Shinawatra",
    )


def test_a_name_beside_the_same_word_elsewhere_backs_no_other_number() -> None:
    # The name swap as `check` runs it: the claim against the cited sentence it matches best,
    # with the text of every passage it cites. (Through `verify` the window quoted depends on
    # how much better two sentences match than one; here the swap itself is the unit.)
    claim = "NASA's contract with SpaceX is valued at US$4.2 billion."
    best = "NASA's contract with Boeing is currently valued at US$4.2 billion."
    other = "The contract with SpaceX is valued at US$2.6 billion."
    assert _swapped_name(claim, best, frozenset(), None, f"{best} {other}") == ("SpaceX", "Boeing")
    # ... while a sentence saying the same number of it does back it.
    same = "The contract with SpaceX is valued at US$4.2 billion too."
    assert _swapped_name(claim, best, frozenset(), None, f"{best} {same}") is None


def test_a_name_the_sentence_names_twice_is_compared_where_it_stands() -> None:
    (verdict,) = _verdicts(
        "Junius Ho defeated Frederick Fung by around five thousand votes [1].",
        "Veterans Lee Cheuk-yan of the Labour Party and Frederick Fung of ADPL were defeated "
        "in this constituency, with Junius Ho defeating Lee Cheuk-yan by around five thousand "
        "votes.",
    )
    assert verdict == ("unsupported", "the cited passage says Lee Cheuk-yan, not Frederick Fung")


def test_a_claim_in_refusal_words_that_names_people_is_checked() -> None:
    # "don't have to" is refusal wording, but the sentence names people: a claim, not framing.
    (verdict,) = _verdicts(
        "Rubel told reporters that women in France who have been raped don't have to justify "
        "their private life [1].",
        'Sophie Obadia, another lawyer for the victim, told reporters "Women in France who have '
        "been raped don't have to justify their private life.\"",
    )
    assert verdict[0] == "unsupported"
    assert is_framing("The articles don't say who the pilot was.")


def test_he_said_in_the_answer_is_the_person_it_named_before() -> None:
    first, second = _verdicts(
        "Detective Daniel Dube said the border closure drove up drug prices [1]. He also said "
        "fentanyl had become popular in Kamloops because it was potent [2].",
        "Detective Daniel Dube said the border closure drove up drug prices.",
        "Constable Gary Gray said fentanyl had become popular in Kamloops because it was potent.",
    )
    assert first == ("verified", None)
    assert second[0] == "unsupported"


def _chunk_verdicts(
    article: str, chunk_opens: str
) -> Callable[[str], list[tuple[str, str | None]]]:
    """Verdicts of answers citing the article's chunk from `chunk_opens` on, with the whole
    article at hand (as the chain gives it)."""
    start = article.index(chunk_opens)
    chunk = Source(1, "c1", "article.txt", article[start:], start, len(article), 1.0)

    def verdicts(answer: str) -> list[tuple[str, str | None]]:
        checked = verify(answer, [chunk], article=lambda _name: article)
        return [(v.status, v.reason) for v in checked.verdicts]

    return verdicts


def test_the_body_a_passage_calls_the_agency_is_the_one_the_article_names() -> None:
    article = (
        "The Saudi Press Agency reported the attack on Saturday. Officials met in Riyadh.\n"
        "Markets fell in Asia on Monday. The agency did not mention casualties, but said "
        "exports were continuing."
    )
    verdicts = _chunk_verdicts(article, "Markets")
    # The chunk cited says "the agency"; the article names it, a paragraph before.
    assert verdicts("The Saudi Press Agency said exports were continuing [1].") == [
        ("verified", None)
    ]
    # ... but not a body the article never names.
    assert verdicts("The Qatar News Agency said exports were continuing [1].")[0][0] == (
        "unsupported"
    )


def test_each_clause_of_a_claim_may_report_its_own_speaker() -> None:
    assert _verdicts(
        "The Taliban claimed responsibility, and their spokesperson Zabiullah Mujahid claimed "
        "190 were dead [1].",
        "The Taliban have claimed responsibility. Taliban spokesperson Zabiullah Mujahid claimed "
        "190 were dead.",
    ) == [("verified", None)]


def test_a_person_the_article_names_by_first_name_is_one_person() -> None:
    text = (
        "In a briefing, the director of IEDCR, Dr Meerjady Sabrina Flora, said the fatalities "
        "included four males and one female. Meerjady said two of the victims were from Dhaka."
    )
    assert _verdicts("Flora said two of the victims were from Dhaka [1].", text) == [
        ("verified", None)
    ]
    (verdict,) = _verdicts("Sheikh Hasina said two of the victims were from Dhaka [1].", text)
    assert verdict[0] == "unsupported"


def test_will_for_could_states_a_possibility_as_certain() -> None:
    text = (
        "According to the National Hurricane Center, Tropical Storm Barry could develop into a "
        "hurricane as soon as Friday."
    )
    (verdict,) = _verdicts(
        "According to the National Hurricane Center, Barry will develop into a hurricane on "
        "Friday [1].",
        text,
    )
    assert verdict == ("unsupported", "the cited passage only says this may happen")
    assert _verdicts(
        "According to the National Hurricane Center, Barry could develop into a hurricane on "
        "Friday [1].",
        text,
    ) == [("verified", None)]


def test_will_for_could_is_read_sentence_by_sentence_and_through_synonyms() -> None:
    (verdict,) = _verdicts(
        "McConnell has confirmed that the trial will begin on Tuesday, January 21 [1].",
        "Pelosi said a vote will be held today. McConnell has indicated the trial could "
        "possibly commence on Tuesday, January 21, subject to agreement on procedures.",
    )
    assert verdict == ("unsupported", "the cited passage only says this may happen")


def test_will_for_may_is_read_clause_by_clause() -> None:
    # The "will" of the passage's other clause does not make its "may" certain.
    text = (
        'A leaked internal letter says "failure to return the questionnaire without reasonable '
        "explanation may result in an individual's asylum claim being withdrawn\", but the "
        "government will provide a reminder after the deadline."
    )
    (verdict,) = _verdicts(
        "According to a leaked letter, failing to return it will result in the asylum claim "
        "being withdrawn [1].",
        text,
    )
    assert verdict == ("unsupported", "the cited passage only says this may happen")
    assert _verdicts(
        "According to a leaked letter, failing to return it may result in the asylum claim "
        "being withdrawn [1].",
        text,
    ) == [("verified", None)]


def test_will_for_a_conditional_would_drops_the_condition() -> None:
    text = (
        "If elected, the senator would be the first woman to serve as governor of the state, "
        "officials said."
    )
    (verdict,) = _verdicts(
        "The senator will be the first woman to serve as governor of the state [1].", text
    )
    assert verdict == ("unsupported", "the cited passage only says this may happen")
    # Keeping the condition is faithful.
    assert _verdicts(
        "If elected, the senator will be the first woman to serve as governor of the state [1].",
        text,
    ) == [("verified", None)]


def test_a_person_named_anywhere_in_the_cited_passage_is_named_there() -> None:
    text = (
        "Alan Kurdi, aged three, drowned in 2015 when the boat carrying his family capsized. "
        "The photograph of the boy on a Turkish beach was seen around the world. "
        "The family had hoped to reach Canada, where relatives lived. "
        "Their application for asylum there had been turned down months before. "
        "Hundreds of people attended a ceremony on Saturday at the beach. "
        "Wreaths were laid in the water by local officials. "
        "After the ceremony, his father Abdullah Kurdi said the day was very hard for him."
    )
    claim = "After the ceremony, {}'s father Abdullah Kurdi said the day was very hard for him [1]."
    assert _verdicts(claim.format("Alan"), text) == [("verified", None)]
    assert _verdicts(claim.format("Omar"), text) == [
        ("unsupported", "Omar is not named in the cited passage")
    ]


def test_a_belief_the_passage_never_reports_is_flagged() -> None:
    text = (
        "Bontddu Hall recently underwent building work and scaffolding was still erected at the "
        "time of the fire."
    )
    (verdict,) = _verdicts(
        "The fire is believed to have started in the scaffolding that was still up from recent "
        "building work [1].",
        text,
    )
    assert verdict == ("unsupported", "the cited passage doesn't say anyone believes this")
    assert _verdicts(
        "Investigators believe the fire started in the scaffolding [1].",
        "Investigators suspect the fire started in the scaffolding, the fire service said.",
    ) == [("verified", None)]
    # A cause the passage never gives, likewise.
    quake = "Yesterday morning also saw an earthquake of magnitude 4.9 in the city."
    assert _verdicts("The earthquake had triggered the blaze [1].", quake) == [
        ("unsupported", "the cited passage doesn't say what “triggered” says")
    ]
    assert _verdicts(
        "The earthquake had triggered the blaze [1].",
        "Firefighters said the blaze was caused by the earthquake yesterday morning.",
    ) == [("verified", None)]


def test_a_subject_given_the_passages_description_is_the_one_the_article_names() -> None:
    article = (
        "On Wednesday, a federal judge sentenced a doctor based in Martinsville, Virginia to "
        "prison for 40 years for prescribing opioids illegally. He was given a fine of "
        "US$86,000. Prosecutors said patients travelled hundreds of miles to his office. The "
        "practice had no nurses. Its lawyer, Ann Brooks, declined to comment. Dr. Joel "
        "Smithers was found guilty in May on 859 counts of illegally distributing opioids."
    )
    passage = article.split(" He was")[0]
    claim = (
        "{}, a doctor based in Martinsville, Virginia, was sentenced to 40 years in prison for "
        "prescribing opioids illegally [1]."
    )

    def verdicts(answer: str) -> list[tuple[str, str | None]]:
        done = verify(answer, [source(1, passage, "a.txt")], article=lambda name: article)
        return [(v.status, v.reason) for v in done.verdicts]

    assert verdicts(claim.format("Joel Smithers")) == [("verified", None)]
    # A name the article doesn't give is not resolved by the description.
    assert verdicts(claim.format("Peter Marlowe"))[0][0] == "unsupported"
    # Without the description, the passage doesn't name him.
    assert (
        verdicts(
            "Joel Smithers was sentenced to 40 years in prison for prescribing opioids illegally [1]."
        )[0][0]
        == "unsupported"
    )


def test_a_number_anywhere_in_the_cited_passage_backs_the_claim() -> None:
    text = (
        "On Wednesday, more than 100 members of the tribe turned out to watch the release of ten "
        "buffalo on the reservation. Tribal leaders gave speeches before the gates were opened. "
        "Children sang songs in the tribal language. A drum group performed as the crowd "
        "waited. Elders offered prayers for the herd. These bison came from the National Bison "
        "Range in western Montana run by the federal government."
    )
    claim = "The {} buffalo came from the National Bison Range in western Montana [1]."
    assert _verdicts(claim.format("ten"), text) == [("verified", None)]
    assert _verdicts(claim.format("twelve"), text) == [
        ("unsupported", "“twelve” is not in the cited passage")
    ]


def test_a_count_of_the_names_the_claim_lists_needs_no_number_in_the_passage() -> None:
    text = (
        "Scientists at the University of Montreal and at University College London confirmed "
        "the presence of water vapour in the atmosphere of the planet K2-18b this week."
    )
    claim = (
        "{} teams, from the University of Montreal and University College London, confirmed "
        "water vapour in the atmosphere of K2-18b [1]."
    )
    assert _verdicts(claim.format("Two"), text) == [("verified", None)]
    # A count that is not the number of names listed is still a number the passage lacks.
    assert _verdicts(claim.format("Three"), text) == [
        ("unsupported", "“Three” is not in the cited passage")
    ]


def test_defeating_someone_is_a_victory_but_being_defeated_is_not() -> None:
    claim = "Gunzburger predicted a Biden victory by 359 to 179 [1]."
    won = "Gunzburger predicts Vice President Biden defeats President Trump by 359 to 179."
    assert _verdicts(claim, won) == [("verified", None)]
    lost = "Gunzburger predicts Biden will be defeated by Trump by 179 to 359."
    assert _verdicts(claim, lost) == [
        ("unsupported", "the cited passage says “defeat…”, not “victory…”")
    ]


def test_the_passages_number_in_the_claims_words_counts_the_same_thing() -> None:
    text = (
        "The Home Office is to issue questionnaires in place of interviews for some 12,000 "
        "asylee hopefuls from Afghanistan, Eritrea and Libya. In 2019 some 92,000 asylum "
        "applications were lodged."
    )
    claim = (
        "The Home Office will issue questionnaires in place of interviews for some 12,000 "
        "asylum seekers from Afghanistan, Eritrea and Libya [1]."
    )
    assert _verdicts(claim, text) == [("verified", None)]


def test_a_name_that_only_describes_or_owns_the_subject_is_not_the_subject() -> None:
    # "Trump's statement": the statement acts; "Wrestling sportswriter Dave Meltzer": Meltzer
    # (named as the speaker, so no subject is checked apart).
    assert _subject("Trump's statement specified no date.", None, frozenset()) is None
    claim = "Wrestling sportswriter Dave Meltzer tweeted that it was a sad death."
    assert _subject(claim, "Dave Meltzer", frozenset({"Wrestling"})) is None
    # ... but a name that acts is the subject.
    subject = _subject("Trump specified no date.", None, frozenset({"Trump"}))
    assert subject is not None and subject.name == "Trump"


def test_a_speaker_named_only_by_their_body_must_be_the_one_the_passage_quotes() -> None:
    text = (
        "A Kremlin spokesman said Moscow had received the note. At a press conference in Kyiv, "
        "Foreign Minister Dmytro Kuleba said the note changed nothing. He added, "
        '"This is a stunt that no one takes seriously."'
    )
    claim = 'The Kremlin spokesman also said, "This is a stunt that no one takes seriously" [1].'
    assert _verdicts(claim, text) == [
        ("unsupported", "the passage attributes this to Dmytro Kuleba")
    ]
    # ... but a spokesman the article names with the body speaks for it.
    named = text.replace("Foreign Minister Dmytro Kuleba", "Kremlin spokesman Dmitry Peskov")
    assert _verdicts(claim, named) == [("verified", None)]


def test_short_of_denies_what_follows() -> None:
    passage = (
        "Before this election, the Conservative Party was the largest party, but had just 318 "
        "seats, which is not a majority."
    )
    assert _verdicts(
        "Before the election they were the largest party but had only 318 seats, short of a "
        "majority [1].",
        passage,
    ) == [("verified", None)]


def test_in_favour_of_is_for_and_losing_is_not_winning() -> None:
    passage = "Jolo and the Sulu region were among the areas to vote against the measure."
    assert _verdicts(
        "Jolo and the Sulu region were among the areas that voted in favour of the measure [1].",
        passage,
    ) == [("unsupported", "the cited passage says “vote against”, not “voted in favour of”")]
    assert _verdicts("Jolo and the Sulu region voted against the measure [1].", passage) == [
        ("verified", None)
    ]
    # (The pairs before them stay: "supported" where the passage says "opposed".)
    assert _verdicts(
        "Bolsonaro supported Macron's statement [1].", "Bolsonaro opposed Macron's statement."
    ) == [("unsupported", "the cited passage says “oppos…”, not “support…”")]
    lost = "She served for one term before losing reelection to Thom Tillis in 2014."
    assert _verdicts("In 2014 she won reelection against Thom Tillis [1].", lost) == [
        ("unsupported", "the cited passage says “losing…”, not “won…”")
    ]


def test_a_sentence_with_its_own_subject_is_not_said_of_the_one_before() -> None:
    # "her graphic novel" is Atwood's, though Stan Lee is the last person named before it.
    passage = (
        "Guests included Stan Lee, Mark Hamill and Margaret Atwood. Stan Lee was making his "
        "final Canadian convention appearance at the expo. Atwood, a Booker Prize-winner, was "
        "there to launch her graphic novel Angel Catbird, with illustrator Johnnie Christmas."
    )
    claim = "{} was there to launch the graphic novel Angel Catbird with Johnnie Christmas [1]."
    assert _verdicts(claim.format("Stan Lee"), passage) == [
        ("unsupported", "the cited passage says this of Atwood, not Stan Lee")
    ]
    assert _verdicts(claim.format("Margaret Atwood"), passage) == [("verified", None)]


def test_a_new_quotation_after_a_quoted_speaker_is_that_speakers() -> None:
    passage = (
        'Senator John Cornyn issued a statement on the decision. "We want to thank all of the '
        'locations that expressed an interest," said Bolden to the crowd. "This was a very '
        "difficult decision, but one that was made with the American public in mind. In the "
        'end, these choices reach the greatest number of people."'
    )
    claim = (
        '{} said, "This was a very difficult decision, but one that was made with the '
        'American public in mind" [1].'
    )
    assert _verdicts(claim.format("Cornyn"), passage) == [
        ("unsupported", "the passage attributes this to Bolden")
    ]
    assert _verdicts(claim.format("Bolden"), passage) == [("verified", None)]


def test_an_accusation_stated_as_established_is_flagged() -> None:
    text = "Qawi was later accused of inciting the murder in some way, which he denied."
    (verdict,) = _verdicts(
        "Qawi was later found to have incited the murder in some way, which he denied [1].", text
    )
    assert verdict == ("unsupported", "the cited passage only says this may happen")
    assert _verdicts(
        "Qawi was later accused of inciting the murder, which he denied [1].", text
    ) == [("verified", None)]


def test_a_number_given_to_what_the_passage_counts_with_another_is_flagged() -> None:
    text = (
        "In a situational report of NDRRMC, Wednesday's tremor damaged 143 buildings including "
        "70 schools, 40 houses, seven health facilities, and ten commercial buildings."
    )
    (verdict,) = _verdicts(
        "A situational report said Wednesday's tremor damaged 143 buildings, including 40 "
        "schools [1].",
        text,
    )
    assert verdict == ("unsupported", "the cited passage gives “70 schools”, not “40”")
    assert _verdicts(
        "A situational report said Wednesday's tremor damaged 143 buildings, including 70 "
        "schools and 40 houses [1].",
        text,
    ) == [("verified", None)]


def test_a_number_the_passage_gives_only_as_another_measure_is_flagged() -> None:
    text = (
        "Crystal Munoz was sentenced to serve 188 months (15 years, 8 months) in prison. "
        "Her sentence was commuted after serving twelve years."
    )
    (verdict,) = _verdicts("Her sentence was commuted after she had served eight years [1].", text)
    assert verdict == ("unsupported", "the cited passage gives “8 months”, not “eight years”")
    assert _verdicts("She was sentenced to 15 years and 8 months [1].", text) == [
        ("verified", None)
    ]
    # ... but decades are years, and a number the passage also gives as this measure is found
    assert _verdicts(
        "It was back for the first time in nearly 80 years [1].",
        "The relic was back in the streets for the first time in nearly eight decades.",
    ) == [("verified", None)]
    assert _verdicts(
        "The 22-mile journey took twenty-two minutes [1].",
        "The 22-mile (35-km) journey took 22 minutes with one refueling.",
    ) == [("verified", None)]


def test_a_plan_stated_as_done_is_flagged() -> None:
    text = (
        "The family said they planned to have a private funeral service for Imus and asked for "
        "donations to the Imus Ranch Foundation."
    )
    (verdict,) = _verdicts(
        "His family held a private funeral service for Imus and asked for donations to the "
        "Imus Ranch Foundation [1].",
        text,
    )
    assert verdict == ("unsupported", "the cited passage only says this may happen")
    assert _verdicts(
        "His family planned a private funeral service for Imus and asked for donations to the "
        "Imus Ranch Foundation [1].",
        text,
    ) == [("verified", None)]


def test_a_share_the_passage_never_gives_is_unsupported() -> None:
    (verdict,) = _verdicts(
        "Most of the deaths were in Wuhan [1].",
        "The coronavirus may have killed two foreign visitors in Wuhan, the first foreign deaths.",
    )
    assert verdict == ("unsupported", "the cited passage does not say “most”")
    # ... but a part of a count backs it.
    assert _verdicts(
        "Most of the dead were small children [1].",
        "The outbreak killed at least 62, including, according to government reports, 54 small "
        "children.",
    ) == [("verified", None)]


def test_a_word_the_passage_also_uses_plainly_is_not_denied() -> None:
    assert _verdicts(
        'The notice said the script existed to "circumvent measures used by authorized '
        'streaming services" [1].',
        'The notice said the script existed to "circumvent measures used by authorized '
        'streaming services" and "reproduce videos without authorization".',
    ) == [("verified", None)]


def test_a_kin_word_names_the_tie_from_either_side() -> None:
    assert _verdicts(
        "A court sentenced Waseem to life in prison for murdering his sister, Qandeel Baloch [1].",
        "Mohammed Waseem, brother of Qandeel Baloch, was sentenced to life in prison by a court "
        "for her murder.",
    ) == [("verified", None)]


def test_a_reported_plan_in_the_past_progressive_is_no_deed() -> None:
    text = "Nancy Pelosi announced that she would be launching an impeachment inquiry into Trump."
    assert _verdicts(
        "Pelosi announced that she was launching an impeachment inquiry into Trump [1].", text
    ) == [("verified", None)]
    (verdict,) = _verdicts("Pelosi has launched an impeachment inquiry into Trump [1].", text)
    assert verdict == ("unsupported", "the cited passage only says this may happen")


def test_a_name_for_what_the_passage_describes_is_no_swap() -> None:
    text = (
        "The final saw US team Cloud9 and Immortals, from Brazil, face off. Both unbeaten teams "
        "going in, the Brazilian team won the championship and $50,000."
    )
    assert _verdicts("Immortals won the championship and $50,000 [1].", text) == [
        ("verified", None)
    ]
    # ... but another description in its place is.
    (verdict,) = _verdicts("The Canadian team won the championship and $50,000 [1].", text)
    assert verdict[0] == "unsupported"


def test_each_clause_of_a_passage_sentence_has_its_own_speaker() -> None:
    text = (
        "Yesterday the Search and Rescue Agency told The Jakarta Post it was intending to end "
        "its search; the paper also spoke to the Navy, who told it piracy was unconfirmed and "
        "noted no ransom has been sought."
    )
    assert _verdicts(
        "The Navy told The Jakarta Post that piracy was unconfirmed, noting that no ransom has "
        "been sought [1].",
        text,
    ) == [("verified", None)]


def test_they_reported_is_the_body_the_article_named() -> None:
    text = (
        "As of Monday evening, the National Hurricane Center reported winds of 30 miles per "
        "hour. If it strengthened, it would be named Tropical Storm Chantal. On Tuesday, "
        "however, they reported the depression dissipated off the coast of Florida."
    )
    assert _verdicts(
        "The National Hurricane Center reported on Tuesday that the depression had dissipated "
        "off the coast of Florida [1].",
        text,
    ) == [("verified", None)]


def test_likely_for_unlikely_is_flagged() -> None:
    (verdict,) = _verdicts(
        "Hensman said it was likely to be used widely in developing countries [1].",
        "Hensman said that, because the spray wears off, it was unlikely to be used widely in "
        "developing countries.",
    )
    assert verdict == ("unsupported", "the cited passage says “unlikely…”, not “likely…”")


def test_the_end_of_a_quotation_is_said_by_whoever_opened_it() -> None:
    text = (
        'Co-author Jing-Shan Zhao said, "Our work shows the flapping developed passively as the '
        "dinosaur ran on the ground. Although this flapping could not lift the dinosaur into "
        'the air, the motion of flapping wings may have developed earlier than gliding." '
        "John Hutchinson of the Royal Veterinary College was not convinced."
    )
    (verdict,) = _verdicts(
        'Hutchinson said "the motion of flapping wings may have developed earlier than '
        'gliding" [1].',
        text,
    )
    assert verdict == ("unsupported", "the passage attributes this to Jing-Shan Zhao")


def test_an_opposite_standing_where_the_passage_has_the_other_word_is_flagged() -> None:
    text = (
        "The Front had sent the police a plan for the march, which they rejected, approving "
        "only a gathering in the park."
    )
    (verdict,) = _verdicts(
        "The Front had sent the police a plan for the march, which they approved [1].", text
    )
    assert verdict == ("unsupported", "the cited passage says “reject…”, not “approv…”")
    assert _verdicts(
        "The police rejected the Front's plan for the march, approving only a gathering in the "
        "park [1].",
        text,
    ) == [("verified", None)]


def test_two_sentences_of_one_source_far_apart_back_one_claim() -> None:
    text = (
        "He was brought into national politics and the Congress party by Indira Gandhi. He was "
        "known for his memory. He wrote several books. He became finance minister in 1982."
    )
    assert _verdicts(
        "Indira Gandhi brought him into national politics and the Congress party, and he "
        "became finance minister in 1982 [1].",
        text,
    ) == [("verified", None)]
    # ... but a number no sentence gives is still flagged.
    (verdict,) = _verdicts(
        "Indira Gandhi brought him into national politics and the Congress party, and he "
        "became finance minister in 1984 [1].",
        text,
    )
    assert verdict == ("unsupported", "“1984” is not in the cited passage")


def test_a_capital_acting_is_its_country_but_a_place_in_it_is_not() -> None:
    text = (
        "North Korea stated it would attack any loudspeakers broadcasting propaganda. The "
        "summit was held in Seoul."
    )
    assert _verdicts(
        "Pyongyang said it would attack any loudspeakers broadcasting propaganda [1].", text
    ) == [("verified", None)]
    (verdict,) = _verdicts("The summit was held in Pyongyang [1].", text)
    assert verdict[0] == "unsupported"


def test_a_number_the_passage_spells_out_chooses_its_sentence() -> None:
    text = (
        "Van Biljon, owner of a lion lodge, was killed by his lions on Tuesday. Van Biljon had "
        "been in the lions' area mending a fence. Van Biljon was seventy years old. Neighbors "
        "tried, but were unable, to save van Biljon."
    )
    assert _verdicts("Van Biljon was 70 [1].", text) == [("verified", None)]


def test_a_source_quoting_another_gives_both() -> None:
    assert _verdicts(
        "According to KCNA, as quoted by Yonhap, the military was placed on high alert [1].",
        "According to Yonhap news agency, quoting North Korea's main news agency Korean Central "
        "News Agency (KCNA), the country's military has been placed on high alert.",
    ) == [("verified", None)]


def test_suspected_stated_as_confirmed_is_flagged() -> None:
    (verdict,) = _verdicts(
        "Officials said the man had been confirmed to have the virus [1].",
        "Officials said the man showed symptoms and was suspected to have the virus.",
    )
    assert verdict == ("unsupported", "the cited passage says “suspect…”, not “confirm…”")


def test_the_governor_of_a_place_is_no_place_speaking() -> None:
    assert _verdicts(
        "Governor John Bel Edwards declared a state of emergency on Thursday [1].",
        "Louisiana Governor John Bel Edwards was in Baton Rouge. The governor of Louisiana, a "
        "U.S. state on the Gulf of Mexico, declared a state of emergency on Thursday.",
    ) == [("verified", None)]


def test_who_a_guess_names_stated_as_known_is_flagged() -> None:
    text = (
        "Sergeant Ratana was shot at the custody centre at 2am on Friday by a prisoner, "
        "suspected to be 23-year-old Louis De Zoysa."
    )
    (verdict,) = _verdicts(
        "Ratana was shot at 2am on Friday by 23-year-old Louis De Zoysa, a prisoner [1].", text
    )
    assert verdict == ("unsupported", "the cited passage only says this may be so")
    assert _verdicts(
        "Ratana was shot at 2am on Friday by a prisoner suspected to be 23-year-old Louis De "
        "Zoysa [1].",
        text,
    ) == [("verified", None)]


def test_an_expectation_stated_as_done_is_flagged() -> None:
    (verdict,) = _verdicts(
        "Zimmerman said production costs have already risen [1].",
        "Zimmerman expects rising production costs, as suppliers try to meet demand.",
    )
    assert verdict == ("unsupported", "the cited passage only says this may happen")


def test_a_description_of_the_one_the_title_names_is_that_one() -> None:
    text = (
        "The island nation's cabinet unanimously voted to lift it on Saturday afternoon, and "
        "the National Emergency Operation Centre announced the decision that night."
    )
    titled = Source(
        n=1,
        chunk_id="c1",
        source="samoa.txt",
        text=text,
        start=100,
        end=100 + len(text),
        score=1.0,
        title="Samoan government ends state of emergency over measles",
    )
    claim = (
        "Samoa's cabinet voted unanimously on Saturday afternoon to lift the state of emergency "
        "[1]."
    )
    assert [(v.status, v.reason) for v in verify(claim, [titled]).verdicts] == [("verified", None)]
    (verdict,) = verify(claim.replace("Samoa", "Fiji"), [titled]).verdicts
    assert verdict.status == "unsupported"


def test_the_same_for_different_is_flagged() -> None:
    passage = [
        source(
            1,
            "The resistant strains found in food were almost entirely different from those "
            "found in human infections, Livermore said.",
            "e.txt",
        )
    ]
    same = verify(
        "Livermore said the resistant strains in food were almost entirely the same as those "
        "found in human infections [1].",
        passage,
    )
    assert same.verdicts[0].status == "unsupported"
    assert "differ" in (same.verdicts[0].reason or "")
    different = verify(
        "Livermore said the resistant strains in food were almost entirely different from those "
        "found in human infections [1].",
        passage,
    )
    assert different.verdicts[0].status == "verified", different.verdicts[0].reason


def test_a_name_the_passage_gives_by_the_acronym_the_article_defines_is_found() -> None:
    article = (
        "Trump was flown to Walter Reed National Military Medical Center (WRNMMC) in Bethesda.\n"
        "Doctors gave him an experimental drug. Trump, now operating from the WRNMMC, is to "
        "continue performing his duties during a quarantine."
    )
    verdicts = _chunk_verdicts(article, "Doctors")
    assert verdicts("Trump is to keep performing his duties from Walter Reed [1].") == [
        ("verified", None)
    ]
    assert verdicts("Trump is to keep performing his duties from Johns Hopkins [1].")[0][0] == (
        "unsupported"
    )


def test_a_number_the_passage_gives_someone_else_is_flagged() -> None:
    passage = (
        "The Green Party won 31 seats in the vote, while the Farmers' Union, the third party, "
        "won 12. The Liberal Alliance won 7 seats and the Pirate Party won 4."
    )
    # The Farmers' Union won 12: the 7 is the Liberal Alliance's.
    assert _verdicts("The Farmers' Union, the third party, won 7 seats [1].", passage) == [
        ("unsupported", "the cited passage gives “12”, not “7”")
    ]
    assert _verdicts("The Farmers' Union, the third party, won 12 seats [1].", passage) == [
        ("verified", None)
    ]
    # Both numbers, each given to its party, is no swap.
    assert _verdicts(
        "The Farmers' Union won 12 seats and the Liberal Alliance won 7 [1].", passage
    ) == [("verified", None)]


def test_a_number_the_passage_gives_something_else_is_flagged_when_nobody_is_named() -> None:
    passage = (
        "Volunteers cleared debris by the hundreds on Sunday in a bid to reopen roads. "
        "Memorial services across the region were attended by thousands in the evening."
    )
    assert _verdicts(
        "Memorial services across the region were attended by hundreds [1].", passage
    ) == [("unsupported", "the cited passage gives “thousands”, not “hundreds”")]
    assert _verdicts(
        "Memorial services across the region were attended by thousands [1].", passage
    ) == [("verified", None)]


def test_the_end_of_a_range_of_days_is_no_count() -> None:
    passage = (
        "Reporters attended the Lakeside Festival on the last weekend of May, May 27–28, in "
        "Lakeside. The Harbour Hall said the festival drew 35,000 visitors."
    )
    assert _verdicts("The festival ran on May 27–28 at the Harbour Hall [1].", passage) == [
        ("verified", None)
    ]


def test_a_plan_stated_as_done_is_flagged_in_any_form_of_its_verb() -> None:
    # "sued" (the stemmer's "su") is a form of "sue"; "left" of "leave".
    assert _verdicts(
        "The mayor has sued over the decision [1].",
        "Residents protested outside the town hall. The mayor said he intended to sue over "
        "the decision.",
    ) == [("unsupported", "the cited passage only says this may happen")]
    assert _verdicts(
        "After the vote, the radio station reported that the senator had left the party [1].",
        "In the aftermath of the vote, the radio station reported the senator was expected to "
        "leave the party.",
    ) == [("unsupported", "the cited passage only says this may happen")]
    assert _verdicts(
        "After the vote, the radio station reported that the senator was expected to leave "
        "the party [1].",
        "In the aftermath of the vote, the radio station reported the senator was expected to "
        "leave the party.",
    ) == [("verified", None)]


def test_a_name_given_in_full_is_no_swap_for_its_surname() -> None:
    # The passage names him by surname beside another name ("Blue Fin's announcement"); the
    # claim's full name is the same man, not a name in another's place.
    assert _verdicts(
        "Soon after Blue Fin's announcement, Gregory Makower announced he would build Osprey "
        "Linux [1].",
        "Gregory Makower founded the project in 2004. Soon after Blue Fin's announcement, "
        "Makower announced his intentions to build Osprey Linux.",
    ) == [("verified", None)]


def test_to_stand_for_office_is_to_run_for_it() -> None:
    assert _verdicts(
        "The palace said the queen thought it wrong for members of the royal family to stand "
        "for elected office [1].",
        "The palace issued a statement from the queen, who thought it wrong for members of the "
        "royal family to run for elected office.",
    ) == [("verified", None)]


def test_a_number_a_parallel_clause_gives_another_body_is_flagged() -> None:
    passage = (
        "The storm flooded the coast overnight. MetServe reported the storm's peak "
        "gust was 140 km/h; the Coastal Research Institute (CRI) reported 155."
    )
    assert _verdicts(
        "The Coastal Research Institute put the peak gust at 140 km/h [1].", passage
    ) == [("unsupported", "the cited passage gives “155”, not “140”")]
    assert _verdicts("The Coastal Research Institute put the peak gust at 155 [1].", passage) == [
        ("verified", None)
    ]


def test_what_still_awaits_approval_is_not_approved() -> None:
    passage = (
        "Parliament voted for the bill on Sunday. The bill still awaited approval by the cabinet."
    )
    assert _verdicts("The cabinet has since approved the bill [1].", passage) == [
        ("unsupported", "the cited passage only says this may happen")
    ]
    assert _verdicts("The bill still awaits the cabinet's approval [1].", passage) == [
        ("verified", None)
    ]


def test_what_one_sentence_hedges_and_the_next_states_is_stated() -> None:
    passage = (
        'In a video, Mayor Lin said, "any acts that threaten the city will not be tolerated." '
        'She further stated, "So long as the city remains impeded by disputes, our city cannot '
        "move on and people will lose faith in the future […] We have to put aside differences "
        'and stop attacking each other".'
    )
    assert _verdicts(
        "In the video, Lin said people have to put aside differences and stop attacking each "
        "other [1].",
        passage,
    ) == [("verified", None)]
    assert _verdicts(
        "The council has opened the envelope [1].",
        "If the council could not agree, it would open the envelope left by the founder.",
    ) == [("unsupported", "the cited passage only says this may happen")]


def test_whose_office_a_speaker_holds_is_not_the_subject() -> None:
    assert _verdicts(
        'Wales\'s First Minister, Mark Drakeford, said it was "a moment of great risk" for the '
        "country [1].",
        "There were several speakers at the rally, including First Minister of Wales Mark "
        'Drakeford, Labour MP Tom Evans, and Sadiq Ali. Tom Evans called the deal "lousy" and '
        "said he would only vote for it if the people could also vote on it. Mark Drakeford "
        'said it was "a moment of great risk" for the country.',
    ) == [("verified", None)]


@pytest.mark.parametrize(
    ("passage", "claim"),
    [
        # An aside between commas leaves the negation its clause; what is to be done is not done.
        (
            "The decree did not mandate filing a report with police officials.",
            "The decree did not, however, require a report to be filed with the police [1].",
        ),
        # "kept" is "did not change"; "refused" is "did not accede to".
        (
            "It did not change the date of its special election for the House seat.",
            "It kept the date of its special election for the House seat [1].",
        ),
        (
            "Lam did not accede to protesters' demands for a new judge-led investigation.",
            "Lam refused protesters' demands for a new judge-led investigation [1].",
        ),
        # A negation denies the word it governs, not every word after it ("documents" is
        # stated: what was refused is turning them over).
        (
            "Eric Holder was held in contempt in 2012 for refusing to turn over documents "
            "related to Operation Fast and Furious.",
            "Eric Holder was held in contempt in 2012 over documents related to Operation "
            "Fast and Furious [1].",
        ),
    ],
)
def test_a_paraphrase_that_keeps_the_passages_negation_is_verified(
    passage: str, claim: str
) -> None:
    assert _verdicts(claim, passage) == [("verified", None)]


def test_the_word_a_negation_governs_is_still_denied_after_an_aside() -> None:
    ((status, reason),) = _verdicts(
        "The decree, however, required a report to the police [1].",
        "The decree did not require a report to the police.",
    )
    assert status == "unsupported"
    assert "opposite" in (reason or "")


def test_a_prefix_or_noun_negation_still_governs_its_word() -> None:
    ((status, _),) = _verdicts(
        "Eritrea has signed its copy of the agreement [1].",
        "Eritrea is the only state whose copy of the agreement remains unsigned.",
    )
    assert status == "unsupported"
    ((status, _),) = _verdicts(
        "He was sentenced to life with the possibility of parole [1].",
        "He was sentenced to life without the possibility of parole.",
    )
    assert status == "unsupported"


def test_each_speaker_of_a_sentence_keeps_the_clause_after_while() -> None:
    text = (
        'President Andrzej Duda said the victims were "joyful girls" in an "appalling tragedy" '
        "while Interior Minister Joachim Brudziński wrote he had ordered fire safety checks on "
        "escape rooms across Poland."
    )
    claim = (
        "Interior Minister Joachim Brudziński said he had ordered fire safety checks on escape "
        "rooms across Poland [1]."
    )
    assert _verdicts(claim, text) == [("verified", None)]
    swapped = claim.replace("Interior Minister Joachim Brudziński", "President Andrzej Duda")
    ((status, _),) = _verdicts(swapped, text)
    assert status == "unsupported"
    # The whole sentence, both clauses: its first speaker says it.
    assert _verdicts(text[:-1] + " [1].", text) == [("verified", None)]


@pytest.mark.parametrize(
    ("passage", "claim"),
    [
        (
            "His mother told reporters she considered the deal acceptable, saying it would not "
            "bring her daughter back.",
            "His mother told reporters she considered the deal unacceptable [1].",
        ),
        (
            "After passing over the Bahamas, Dorian was forecast to reach the eastern coast of "
            "the United States late on Monday.",
            "After passing over the Bahamas, Dorian reached the eastern coast of the United "
            "States late on Monday [1].",
        ),
        (
            "UOKiK, the Polish anti-monopoly agency, has to approve the deal.",
            "UOKiK, the Polish anti-monopoly agency, has approved the deal [1].",
        ),
    ],
)
def test_an_un_word_or_what_is_forecast_or_still_needed_stated_as_done_is_caught(
    passage: str, claim: str
) -> None:
    ((status, _),) = _verdicts(claim, passage)
    assert status == "unsupported"


def test_a_plain_word_the_passage_also_states_plainly_is_no_un_word_contradiction() -> None:
    assert _verdicts(
        "She considered the deal acceptable [1].",
        "She considered the deal acceptable, saying it would not help.",
    ) == [("verified", None)]


def test_a_span_of_years_with_one_end_moved_is_caught() -> None:
    passage = (
        "He chaired the committee from 2007 until 2011, and remained a member of it until he "
        "retired in 2017."
    )
    ((status, reason),) = _verdicts("He chaired the committee from 2007 until 2017 [1].", passage)
    assert status == "unsupported"
    assert "2007 to 2011" in (reason or "")
    assert _verdicts("He chaired the committee from 2007 to 2011 [1].", passage) == [
        ("verified", None)
    ]


def test_a_sentence_inside_a_running_quotation_is_its_speakers() -> None:
    text = (
        "Maroochydore captain Sam Marshall lamented the loss. \"It didn't come our way, we had a "
        'few silly mistakes", Marshall said. "A couple of yellows cost us. We\'re training '
        "really well together. We're just bringing silly mistakes and errors on to the field. "
        'Those are things we have to work on."'
    )
    claim = "Marshall said his side kept bringing silly mistakes and errors on to the field [1]."
    assert _verdicts(claim, text) == [("verified", None)]
    # ... and given to someone else it is still caught.
    other = "Ingram said his side kept bringing silly mistakes and errors on to the field [1]."
    assert _verdicts(other, text)[0][0] == "unsupported"


def test_a_number_in_words_finds_the_sentence_giving_it_in_digits() -> None:
    text = (
        "Radio host Don Imus died on Friday at a medical center in College Station, Texas, "
        "after being hospitalized since Christmas Eve. Associated Press reported his cause of "
        "death as complications from lung disease. He was 79."
    )
    sources = [source(1, text, "imus.txt")]

    def statuses(answer: str) -> list[str]:
        # A number is rarer in a library than the name its article repeats, as IDF weighs it.
        rare = lambda t: 3.0 if t.isdigit() else 1.0  # noqa: E731
        return [v.status for v in verify(answer, sources, rare).verdicts]

    assert statuses("Imus was seventy-nine [1].") == ["verified"]
    assert statuses("Imus was seventy-eight [1].") == ["unsupported"]


def test_a_clause_of_time_has_its_own_speaker() -> None:
    emergency = "On Friday, President Trump declared a national emergency over the outbreak."
    pandemic = "On Wednesday, the World Health Organization declared the outbreak a pandemic."
    claim = (
        "Trump declared the national emergency on Friday, days after the World Health "
        "Organization declared the outbreak a pandemic [1][2]."
    )
    assert _verdicts(claim, emergency, pandemic) == [("verified", None)]
    # ... but the WHO's words given to Trump are still caught.
    swapped = "Trump declared the outbreak a pandemic on Wednesday [2]."
    assert _verdicts(swapped, emergency, pandemic)[0][0] == "unsupported"


def test_each_clause_is_checked_against_its_own_speaker() -> None:
    report = (
        "Trump said he hailed the report on Twitter as great news for workers. "
        'Biden described the growth as not "nearly enough."'
    )
    claim = (
        'Trump hailed the report on Twitter, while Biden said the growth was not "nearly '
        'enough" [1].'
    )
    assert _verdicts(claim, report) == [("verified", None)]
    # ... but Trump's words given to Biden are still caught.
    swapped = "Biden hailed the report on Twitter as great news for workers [1]."
    assert _verdicts(swapped, report)[0][0] == "unsupported"


def test_a_passive_report_is_not_said_by_its_subject() -> None:
    # "COVID-19 was previously announced ...": the outbreak did not speak.
    passage = (
        'COVID-19 was previously announced to be a "pandemic" by the World Health Organization. '
        "Its situation report dated March 16 recorded 6,606 deaths."
    )
    claim = "The World Health Organization declared COVID-19 a pandemic [1]."
    assert _verdicts(claim, passage) == [("verified", None)]


def test_lives_claimed_are_deaths_recorded() -> None:
    passage = "According to the situation report, the virus claimed 6606 lives by March 16."
    assert _verdicts("The situation report recorded 6,606 deaths by March 16 [1].", passage) == [
        ("verified", None)
    ]


def test_a_claim_negating_only_by_an_un_word_is_read_for_what_the_passage_denies() -> None:
    passage = "BTP started an investigation of the death, which they treated as not suspicious but unexplained."
    dropped = "BTP opened an investigation, treating the death as suspicious and unexplained [1]."
    assert _verdicts(dropped, passage)[0][0] == "unsupported"
    kept = "BTP opened an investigation, treating the death as unexplained but not suspicious [1]."
    assert _verdicts(kept, passage) == [("verified", None)]


def test_what_a_passage_only_allows_is_not_what_will_happen() -> None:
    passage = (
        "USA Today noted the commission's scope allows it to advise including women in the "
        "draft or eliminating the draft entirely."
    )
    will = "The commission will recommend including women in the draft [1]."
    assert _verdicts(will, passage)[0] == (
        "unsupported",
        "the cited passage only says this may happen",
    )
    may = "The commission is allowed to advise including women in the draft [1]."
    assert _verdicts(may, passage) == [("verified", None)]


def test_a_cited_passage_holding_only_a_name_of_the_claim_still_counts_for_it() -> None:
    prize = (
        "Canadian-US scientist James Peebles won his half of the prize for his work in "
        "predicting the cosmic microwave background and creating a theoretical framework from "
        "which other scientists have been able to calculate the age and structure of the universe."
    )
    post = "He is a professor at Princeton University."
    claim = (
        "Peebles, a Princeton professor, was honoured for predicting the cosmic microwave "
        "background and building a framework to calculate the universe's age and structure [1][2]."
    )
    assert _verdicts(claim, prize, post)[0][0] in ("verified", "corrected")
    # ... but a name no cited passage has is still caught.
    wrong = claim.replace("Princeton", "Harvard")
    assert _verdicts(wrong, prize, post)[0][0] == "unsupported"


def test_a_number_the_cited_sentence_gives_otherwise_is_not_taken_from_the_next_one() -> None:
    text = (
        "The diocese announced the news on Sunday. Bishop Emeritus Dinualdo Gutierrez, 79, died "
        "early yesterday in a General Santos City hospital. He would have been 80 on February "
        "20. He had been ill for years."
    )
    (verdict,) = _verdicts(
        "Bishop Gutierrez died aged 80 in a General Santos City hospital [1].", text
    )
    assert verdict == ("unsupported", "the cited passage says “79”, not “80”")
    assert _verdicts(
        "Bishop Gutierrez died aged 79 in a General Santos City hospital [1].", text
    ) == [("verified", None)]
    # A year is not set against a count, nor "twice" against anything.
    troops = (
        "The United States withdrew its forces from Iraq in 2011. They returned in 2014. "
        "About 5,000 US troops are in Iraq now, and the team travelled there twice this year."
    )
    assert _verdicts("There are about 5,000 US troops in Iraq now [1].", troops) == [
        ("verified", None)
    ]


def test_a_date_the_passage_gives_to_something_else_is_unsupported() -> None:
    text = (
        "Ohio postponed its election. Maryland rescheduled most of its primary races to June 2; "
        "they were originally planned for April 28. Amazon acknowledged the leak on February 1."
    )
    (verdict,) = _verdicts("Maryland rescheduled most of its primary races to April 28 [1].", text)
    assert verdict == ("unsupported", "the cited passage gives “June 2”, not “April 28”")
    assert _verdicts("Maryland moved most of its primary races to June 2 [1].", text) == [
        ("verified", None)
    ]
    # The date read as the passage writes it ("February 1"), whatever order the claim uses.
    assert _verdicts("Amazon acknowledged the leak on 1 February [1].", text) == [
        ("verified", None)
    ]


def test_a_dropped_no_after_someones_lack_of_something_is_unsupported() -> None:
    passage = "The lack of a concession from Trump has no legal standing."
    # "Trump's lack of" is a noun, not a negation: what the passage denies is stated plainly.
    verified = verify(
        "Trump's lack of a concession has legal standing [1].", [source(1, passage, "f.txt")]
    )
    assert verified.verdicts[0].status == "unsupported"
    assert "negation" in (verified.verdicts[0].reason or "")


def test_what_a_study_suggests_or_a_report_alleges_stated_as_found_is_unsupported() -> None:
    passage = (
        "Preliminary investigations suggest a new feature on the 737 Max was forcing the nose "
        "down, while the pilots tried and failed to correct this."
    )
    claim = (
        "Investigators have established that a new feature on the 737 Max forced the nose down [1]."
    )
    verified = verify(claim, [source(1, passage, "f.txt")])
    assert verified.verdicts[0].status == "unsupported"
    assert "may" in (verified.verdicts[0].reason or "")
    # ... but saying that they allege it is faithful
    passage = "Police allege the accused carried out two attacks in the city."
    verified = verify(
        "Police allege that the accused carried out two attacks [1].", [source(1, passage, "f.txt")]
    )
    assert verified.verdicts[0].status == "verified", verified.verdicts[0].reason


def test_a_number_and_a_word_the_window_lacks_bring_in_the_sentence_holding_them() -> None:
    text = (  # a Wikinews article (CC BY 2.5, eval/wikinews/NOTICE.md)
        "Air India Express flight 1344 (AXB1344/IX1344) was en-route from Dubai, UAE making its "
        "second attempt at a landing at Calicut during monsoon rains. The flight was part of the "
        "Vande Bharat Mission to return Indian nationals during the COVID-19 pandemic. The "
        "aircraft was a Boeing 737."
    )
    claim = (
        "The plane, a Boeing 737 flying from Dubai, was making its second attempt at landing at "
        "Calicut during monsoon rains [1]."
    )
    verified = verify(claim, [source(1, text, "f.txt")])
    assert verified.verdicts[0].status == "verified", verified.verdicts[0].reason


def test_a_source_that_does_not_exist_cited_beside_one_that_does_is_told() -> None:
    (verdict,) = _verdicts(
        "Putin traveled to Iran on Tuesday [1, 7].", "Putin traveled to Iran on Tuesday."
    )
    assert verdict == ("corrected", "it also cited source [7], which doesn't exist")


def test_what_a_body_does_is_not_checked_for_who_does_it() -> None:
    # A passage tells what an organisation does as "experts", "officials", "the agency": the
    # subject check, meant for people and places, would flag the faithful sentence.
    assert _verdicts(
        "The WHO rated the risk in China itself as very high [1].",
        "The World Health Organization (WHO) met in Geneva on Thursday to discuss the outbreak. "
        "In a statement, experts rated the risk in China itself as very high, and the global "
        "risk as high.",
    ) == [("verified", None)]


def test_in_an_interview_i_is_the_one_whose_turn_it_is() -> None:
    assert _verdicts(
        "Kurtzer requested a sponsorship from Slack, without much success so far [1].",
        "((WN)) What has been the hardest part?\n((Gregory Kurtzer)) Velocity of growth is the "
        "biggest challenge so far. I've requested a sponsorship from Slack, but so far, we "
        "haven't had a very positive outcome.",
    ) == [("verified", None)]


CALLED_FOR = (
    "Police fired at protesters on Sunday. Amnesty International has called for an "
    "investigation into the shooting."
)
CLAIMED_TO = (
    "He was charged on Friday. He claimed to have obtained the weapon through an older friend."
)
SMALL_CHANCE = (
    "Seager spoke to reporters. Webb has a small chance to find biosignature gases, but only a "
    "few planets can be studied."
)


@pytest.mark.parametrize(
    ("answer", "passage", "verdict"),
    [
        # a request is no deed
        (
            "Amnesty International has opened an investigation into the shooting [1].",
            CALLED_FOR,
            ("unsupported", "the cited passage only says this may happen"),
        ),
        (
            "Amnesty International has called for an investigation into the shooting [1].",
            CALLED_FOR,
            ("verified", None),
        ),
        # what someone claims is not so unless the answer reports it as said
        (
            "He obtained the weapon through an older friend [1].",
            CLAIMED_TO,
            ("unsupported", "the cited passage only says this may happen"),
        ),
        (
            "He said he obtained the weapon through an older friend [1].",
            CLAIMED_TO,
            ("verified", None),
        ),
        # a chance is no certainty
        (
            "The Webb telescope will find biosignature gases [1].",
            SMALL_CHANCE,
            ("unsupported", "the cited passage only says this may happen"),
        ),
    ],
)
def test_a_request_a_claim_or_a_chance_is_not_a_deed(
    answer: str, passage: str, verdict: tuple[str, str | None]
) -> None:
    assert _verdicts(answer, passage) == [verdict]


def test_words_given_after_elaborated_are_the_speakers() -> None:
    assert _verdicts(
        "Mariela Belski, director of Amnesty International in Argentina, welcomed the bill [1]. "
        'She added that "a state that is present must protect citizens" [2].',
        "Following the announcements, Mariela Belski, the director of Amnesty International in "
        "Argentina, welcomed the bill.",
        "The bill passed on Tuesday. President Fernández elaborated, "
        '"A state that is present must protect citizens."',
    ) == [("verified", None), ("unsupported", "the passage attributes this to Fernández")]


def test_a_hedge_taken_out_of_the_passages_words_is_flagged() -> None:
    text = (
        "The Daily Telegraph cited a security source that mental health may be a factor in the "
        "attack."
    )
    (verdict,) = _verdicts(
        "According to a security source, mental health was a factor in the attack [1].", text
    )
    assert verdict == ("unsupported", "the cited passage only says this may happen")
    assert _verdicts(
        "According to a security source, mental health may be a factor in the attack [1].", text
    ) == [("verified", None)]
    # A "would" of reported speech is a "will"; a "may" of permission is a "lets".
    assert _verdicts(
        "The minister said he will resign next week [1].",
        "The minister said he would resign next week.",
    ) == [("verified", None)]
    assert _verdicts(
        "The ruling lets worshippers formally associate and worship at archaeological sites [1].",
        "A court has ruled that worshippers may now formally associate and worship at "
        "archaeological sites.",
    ) == [("verified", None)]


# --- the eighteenth session's dev probes (v2700-v2819) -------------------------------------------


def test_a_name_the_article_gives_in_brackets_is_the_name_before_them() -> None:
    assert _verdicts(
        "According to Phivolcs, the epicenter was about 9 km east of Carrascal [1].",
        "The quake struck before dawn. According to the Philippine Institute of Volcanology and "
        "Seismology (Phivolcs), the epicenter was located roughly nine kilometers east of "
        "Carrascal.",
    ) == [("verified", None)]


def test_a_claim_giving_the_passages_source_too_is_not_misattributed() -> None:
    assert _verdicts(
        "According to Reuters, Justice Secretary Wanda Vázquez had said she was uninterested in "
        "becoming governor [1].",
        "Justice Secretary Wanda Vázquez has expressed she is uninterested in becoming "
        "governor, according to Reuters.",
    ) == [("verified", None)]


def test_a_surname_where_the_passage_gives_the_first_name_is_the_same_person() -> None:
    text = (
        "Republican state representative Terri Collins sponsored the bill. Terri said the bill "
        "would become enforceable after the Supreme Court revisits the case."
    )
    assert _verdicts(
        "Collins said the bill would become enforceable after the Supreme Court revisits the "
        "case [1].",
        text,
    ) == [("verified", None)]


def test_whose_someone_is_is_a_description_from_the_article() -> None:
    # The chunk cited does not name Khashoggi; the article does, paragraphs before.
    chunk = (
        "Later that week, at a press conference in Istanbul, his fiancée spoke to reporters. "
        'Cengiz called the admission a "political maneuver."'
    )
    article = (
        "Jamal Khashoggi was killed in the consulate in October. The kingdom first denied any "
        "role.\n\n" + chunk
    )
    verified = verify(
        'Khashoggi\'s fiancée, Hatice Cengiz, called the admission a "political maneuver" [1].',
        [source(1, chunk, "article1.txt")],
        article=lambda _name: article,
    )
    assert [(v.status, v.reason) for v in verified.verdicts] == [("verified", None)]


def test_a_refusal_noun_negates_as_the_verb_does() -> None:
    text = (
        "The House voted to hold Wilbur Ross in contempt of Congress, citing his refusal to "
        "disclose documents related to the census."
    )
    assert _verdicts(
        "The House held Wilbur Ross in contempt for refusing to disclose census documents [1].",
        text,
    ) == [("verified", None)]
    (flipped,) = _verdicts(
        "The House held Wilbur Ross in contempt for disclosing census documents [1].", text
    )
    assert flipped[0] == "unsupported"


@pytest.mark.parametrize(
    ("claim", "passage"),
    [
        # "in favour" against "against"
        (
            "In the November 2018 referendum on same-sex marriage, 67% came out in favour [1].",
            (
                "The government held a referendum in November 2018, allowing the population to "
                "vote on same-sex marriage, and 67% came out against."
            ),
        ),
        # an intention stated as done
        (
            "Gillibrand has endorsed one of her now-former rivals [1].",
            (
                "Gillibrand has stated her intention to endorse one of her now-former rivals, but "
                "had not yet publicly decided on a candidate."
            ),
        ),
        # a supporter for an opponent
        (
            "Chirac was an outspoken supporter of the United States-led Iraq War [1].",
            "Chirac was also an outspoken opponent of the United States-led Iraq War in 2003.",
        ),
        # the number of another thing's counts
        (
            (
                "They also faced seven counts of child abuse and seven counts of cruelty to a "
                "dependent adult [1]."
            ),
            (
                "Both parents faced twelve counts of torture and false imprisonment, nine counts "
                "of child abuse, and seven counts of cruelty to a dependent adult."
            ),
        ),
    ],
)
def test_the_eighteenth_sessions_dev_defects_are_caught(claim: str, passage: str) -> None:
    ((status, _reason),) = _verdicts(claim, passage)
    assert status == "unsupported"


def test_what_counts_are_of_is_read_only_after_counts() -> None:
    passage = (
        "Both parents faced twelve counts of torture and false imprisonment, nine counts of "
        "child abuse, and seven counts of cruelty to a dependent adult."
    )
    assert _verdicts(
        "They also faced nine counts of child abuse and seven counts of cruelty to a dependent "
        "adult [1].",
        passage,
    ) == [("verified", None)]


def test_a_surname_where_the_passage_gives_only_the_first_name() -> None:
    # The cited chunk says "Jamal"; the article names "Jamal Khashoggi", paragraphs before.
    chunk = (
        "Cengiz spoke to reporters on Friday. By confessing this, he's also distancing himself "
        "from the killing of Jamal, she said."
    )
    article = "Jamal Khashoggi was killed in the consulate in October.\n\n" + chunk
    verified = verify(
        "Cengiz said that by confessing, the crown prince was distancing himself from "
        "Khashoggi's killing [1].",
        [source(1, chunk, "article1.txt")],
        article=lambda _name: article,
    )
    assert [(v.status, v.reason) for v in verified.verdicts] == [("verified", None)]


def test_a_quotation_introduced_by_a_colon_is_the_openers() -> None:
    text = (
        "The mayor of New Orleans, LaToya Cantrell, advised residents to shelter in place. "
        'Governor John Bel Edwards addressed the public: "No one should take this storm lightly."'
    )
    ((status, reason),) = _verdicts(
        "Cantrell also warned that no one should take this storm lightly [1].", text
    )
    assert status == "unsupported" and "John Bel Edwards" in (reason or "")
    assert _verdicts("Edwards warned that no one should take this storm lightly [1].", text) == [
        ("verified", None)
    ]


def test_a_possessive_before_an_opening_phrases_comma_is_no_description() -> None:
    # "... of the LA Sheriff's office, Montalvo returned ...": the comma ends the opening
    # phrase; Whitmore is not named by the passage and is no description of Montalvo.
    chunk = (
        "Montalvo left the Sea Org in 2008. According to Rathbun the property in question was "
        "returned by mail to the organization by Montalvo shortly after he left the Sea Org."
    )
    article = "Steve Whitmore of the LA Sheriff's office spoke to reporters.\n\n" + chunk
    verified = verify(
        "According to Steve Whitmore of the LA Sheriff's office, Montalvo returned the property "
        "by mail shortly after he left the Sea Org [1].",
        [source(1, chunk, "article1.txt")],
        article=lambda _name: article,
    )
    assert [v.status for v in verified.verdicts] == ["unsupported"]


def test_a_clause_that_hedges_nothing_is_checked_beside_one_that_does() -> None:
    passage = (
        "Though Lorenzo was forecast to diminish from a hurricane to a tropical storm, gusts of "
        "wind were forecast to reach 60-80 mph."
    )
    ((status, _reason),) = _verdicts(
        "Lorenzo has diminished from a hurricane to a tropical storm, though gusts of wind were "
        "forecast to reach 60-80 mph [1].",
        passage,
    )
    assert status == "unsupported"
    assert _verdicts(
        "Lorenzo was forecast to weaken to a tropical storm, though gusts of wind were forecast "
        "to reach 60-80 mph [1].",
        passage,
    ) == [("verified", None)]


def test_a_miscited_quotation_moves_to_the_source_holding_its_words() -> None:
    # The quote's own source matches fewer of the claim's other words ("Chicago", "Brigid")
    # than another passage of the article; the words quoted decide, and are what is shown.
    kosgei = (
        'The women-only record remained intact. "I was not expecting this", said Kosgei after '
        "the race. She was joined by Paula Radcliffe at the finish line."
    )
    race = (
        "Yesterday, Brigid Kosgei of Kenya won the 2019 Chicago Marathon. The race was held in "
        "the United States city of Chicago, Illinois."
    )
    warholm = 'Speaking to BBC Sport, Warholm said, "This was a very tough race."'
    sources = [
        Source(n, f"c{n}", name, text, 0, len(text), 1.0, title, "2019")
        for n, text, name, title in (
            (1, race, "k.txt", "Kenya's Brigid Kosgei sets new world record at Chicago Marathon"),
            (2, warholm, "w.txt", "Norway's Warholm wins gold"),
            (3, kosgei, "k.txt", "Kenya's Brigid Kosgei sets new world record at Chicago Marathon"),
        )
    ]
    verified = verify(
        'After the Chicago race, Brigid Kosgei said, "I was not expecting this" [2].', sources
    )
    (verdict,) = verified.verdicts
    assert verdict.status == "corrected"
    assert any("I was not expecting this" in c.quote for c in verified.citations)
