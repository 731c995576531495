"""The offline answer: the sentence that answers leads and what supports it follows, as whole
readable sentences each cited [n]; overviews of the library; what to say when the articles
don't answer, and to a greeting. No model: the words are the articles' own."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answerability import (
    TYPED_POOL,
    Candidate,
    Embed,
    Judgement,
    Known,
    Weight,
    judge,
    lead_candidate,
    needs_context,
    previous_unit,
    units,
)
from assistant.citations import (
    Passage,
    parse_answer,
    plain_text,
    turn_speaker,
    with_markers,
    without_language_marks,
    without_turn,
)
from assistant.facts import entities, known_names, last_person, same_person
from assistant.phrasing import indirect
from assistant.prompts import status_line
from assistant.questions import Intent, analyse, parts
from assistant.records import Message, Source
from assistant.retrieval import _date_key as _stored_date_key
from assistant.rewriting import rewrite_offline
from assistant.text import normalise, terms

# How many sentences a question needs: one fact and one that supports it for "when"/"who";
# a few for "why" and "how". Set from the dev split: more sentences raised key-fact coverage
# by under 1 point while doubling the answer's length (eval/wikinews/README.md, "Tuning").
MAX_SENTENCES = {
    "date": 2,
    "number": 2,
    "person": 2,
    "organisation": 2,
    "place": 2,
    "yesno": 2,
    "reason": 3,
    "description": 3,
    "list": 4,
}
MAX_CHARS = 650
# A supporting sentence scores at least this share of the lead's score (dev split, "Tuning").
SUPPORT_CUTOFF = 0.7
# For a "when/who/how many" question it also holds at least this share of the question's words
# that the lead holds, so that a second date is about the same thing ("since he took power in
# 2000", not "Putin traveled to Iran on Tuesday"). Other questions have no such filter: on the dev
# split it cost them 2.7 points of key-fact coverage. Applied to typed questions only it costs
# 1.1 points overall (0.731 -> 0.720) and shortens their answers.
SUPPORT_COVERAGE = 0.6
# A supporting sentence from another article than the lead's must come from an article that
# matches the question (answerability's "article" feature) within this margin of the lead's, or
# the question asks about several names. Dev: key facts 0.726 -> 0.731, and answers lose
# sentences about other stories; no other article at all gave 0.742 on dev but cost the bundled
# set (five articles on one subject, where answers draw on several) 0.921 -> 0.868.
OTHER_ARTICLE_MARGIN = 0.05
# ... unless it scores within this share of the lead: a runner-up that close is as likely the
# answer ("The nine men were prosecuted for 22 different crimes" after "nine men were jailed").
# Dev (2026-12-06): key facts 0.753 -> 0.758 at 0.8 and 0.9; 0.95 gained nothing; first
# sentence unchanged.
CLOSE_RUNNER_UP = 0.9
# A sentence sharing more than this share of the shorter one's terms with a chosen sentence
# repeats it. Dev (2026-12-06): 0.5 -> 0.6 -> 0.7 raised key facts 0.758 -> 0.769 -> 0.774
# (the sentence that answers often shares the question's words with the lead: "all but one
# ... have signed on to the agreement, with Eritrea the only state unsigned"); 0.8 and 0.9
# gave the same as 0.7.
NEAR_DUPLICATE = 0.7
MERGED_CHARS = 400  # a dependent lead and the sentence before it, joined, at most
_TYPED = frozenset({"date", "number", "person", "organisation", "place"})
_ASKS_A_FACT = _TYPED | {"reason", "yesno"}
OVERVIEW_ARTICLES = 10
# Sentences per part of a question asking several things. Dev (2026-12-06): 1 -> 2 raised key
# facts 0.780 -> 0.790 (the part's fact is often in its second-best sentence: "members of the
# motorcycle club Marine JarHeads MC" after the memorial for the group); answers 14 characters
# longer on average; bundled unchanged.
PART_SENTENCES = 2
# Sentences added so that each of the names a question asks about together ("Guy and Conway")
# is answered: dev key-fact coverage of the two-article questions 0.353 -> 0.412 (all questions
# 0.720 -> 0.731); answers elsewhere unchanged.
EXTRA_PER_NAME = 2
CLOSEST_SENTENCES = 2

_SUBJECT_PRONOUN = re.compile(r"^(?P<p>He|She)\b(?P<rest>\s+\S)")
_POSSESSIVE = re.compile(r"^(?P<p>His|Her)\b(?P<rest>\s+\S)")
Article = Callable[[str], str | None]  # a source's whole article text, if at hand
_FIRST_PERSON = re.compile(
    r"\b(?:I|I['’](?:m|ve|d|ll)|[Ww]e|[Ww]e['’](?:re|ve|d|ll)|[Mm]y|[Oo]ur|me|us)\b"
)
_BULLET_LINE = re.compile(r"^\s*(?:[-–—•*▪►➡→]|\d+[.)])\s*")

GREETING = (
    "Hello! I answer questions about the news articles in the library, and every sentence of an "
    "answer cites the passage it comes from. Ask about a person, a place or an event in them, "
    "or ask “What are these articles about?” for an overview."
)
THANKS = "You're welcome! Ask me anything else about the articles."
GOODBYE = "Goodbye! Come back with more questions about the articles."
NOTHING = "Nothing in the library is about this."


@dataclass(frozen=True)
class Chosen:
    """A sentence picked for the answer, as it will read, and the passages it cites."""

    text: str
    passages: tuple[Passage, ...]
    speaker: str | None = None  # an interviewee whose "I" the text is (see `interviewee`)

    @property
    def passage(self) -> Passage:
        return self.passages[-1]


def display(passage: Passage) -> str:
    """A source sentence as it reads in an answer: no bullet, emoji or "Label –" prefix, its
    first letter capitalised, a leading "He"/"His" replaced by the person the text means, and
    no transcript's "((Name))" or translation's "((it))"."""
    text = " ".join(without_turn(without_language_marks(plain_text(passage.text))).split())
    person = _antecedent(passage)
    if person:
        text = _SUBJECT_PRONOUN.sub(lambda m: person + m.group("rest"), text, count=1)
        text = _POSSESSIVE.sub(lambda m: person + "’s" + m.group("rest"), text, count=1)
    return text[:1].upper() + text[1:]


def interviewee(passage: Passage, text: str, article: Article | None = None) -> str | None:
    """Who says `text` (the passage as the answer reads it) when it speaks in the first person
    in a turn of an interview transcript and holds no quotation of its own: the answer gives
    them its "I" or "we" ('Zara Kay said, “I have two other jobs ...”')."""
    if not _FIRST_PERSON.search(text) or '"' in text or "“" in text:
        return None
    whole = article(passage.source.source) if article else None
    if whole is not None and whole[passage.start : passage.end] == passage.text:
        before = whole[: passage.start]
    else:
        before = passage.source.text[: max(0, passage.start - passage.source.start)]
    return turn_speaker(before + passage.text)


def _antecedent(passage: Passage) -> str | None:
    """Who a leading "He"/"She" is, only when it is beyond doubt: the person `last_person`
    finds is the one person the sentence just before names. Otherwise the pronoun stays and
    the answer brings that sentence along: a wrong name put in an article's mouth is worse than
    a "he" with its sentence before it (on the dev split the wider rule wrote "Greek Orthodox
    announced ..." for Erdogan and named a runner-up as the winner)."""
    previous = previous_unit(passage)
    if previous is None or _THIRD_PERSON.search(previous.text):
        # "His death was announced by his son Abhijit Mukherjee. He died at ...": the sentence
        # before has a "he" of its own, so the one person it names need not be this one.
        return None
    before = passage.source.text[: max(0, passage.start - passage.source.start)]
    person = last_person(before, strict=True)
    if person is None:
        return None
    # Anyone the sentence before may name, of a kind the name alone doesn't settle: in
    # "Mukherjee was elected to the Rajya Sabha" the one "person" is a house of parliament.
    named = [
        e
        for e in entities(previous.text, known_names(before[-1500:]))
        if e.kind in ("person", "other")
    ]
    distinct: list[str] = []
    for entity in named:
        if not any(same_person(entity.name, other) for other in distinct):
            distinct.append(entity.name)
    if len(distinct) != 1 or not same_person(distinct[0], person):
        return None
    words = person.split()
    if len(words) > 1:
        # "Vanderbilt was born into the Vanderbilt family, great-great granddaughter of
        # Cornelius Vanderbilt. Her father ...": the surname alone is someone else than the
        # person named in full (seventh set's dev z043 read "Cornelius Vanderbilt's father").
        surname = len(re.findall(rf"\b{re.escape(words[-1])}\b", previous.text))
        in_full = len(re.findall(rf"\b{re.escape(person)}\b", previous.text))
        if surname > in_full:
            return None
    return person


_MORE = re.compile(
    r"\b(?:else|more|other|others|another|besides|further|additional|apart from|aside from)\b",
    re.IGNORECASE,
)
_THIRD_PERSON = re.compile(r"\b(?:he|she|him|his|her|hers)\b", re.IGNORECASE)


def _unresolvable(candidate: Candidate) -> bool:
    """A sentence that leans on one before it ("He said ...", "This is why ...") when the
    chunk has no sentence before it to bring along."""
    return needs_context(display(candidate.passage)) and _context_of(candidate.passage) is None


def _context_of(passage: Passage) -> Passage | None:
    """The sentence before `passage`, to read out with it: a statement, never a question (an
    interviewer's "How many employees were there?" is no part of an answer)."""
    previous = previous_unit(passage)
    if previous is None or previous.text.rstrip().endswith("?"):
        return None
    return previous


def answer(
    intent: Intent,
    judgement: Judgement,
    shown: frozenset[str] = frozenset(),
    article: Article | None = None,
) -> str:
    """The answer for outcome "answered": the lead, then its support, each with its [n]."""
    chosen = choose(intent, judgement.candidates, shown, article=article)
    return compose(chosen)


def choose(
    intent: Intent,
    candidates: Sequence[Candidate],
    shown: frozenset[str] = frozenset(),
    limit: int | None = None,
    article: Article | None = None,
) -> list[Chosen]:
    """The lead sentence and the sentences that support it, as they will read. `article`: a
    source's whole text, where an interview's turn that a chunk starts inside of is read."""
    pool = list(candidates)
    seen = {id(c) for c in pool if shown and normalise(display(c.passage)) in shown}
    if seen and (intent.asks not in _ASKS_A_FACT or _MORE.search(intent.question)):
        # "Why else ...?", "Tell me more", "What do we know about X?" again: what the
        # conversation showed is no answer. (A question for one fact may be answered by a
        # sentence shown before: see `seen` below.)
        pool = [c for c in pool if id(c) not in seen] or pool
        seen = set()
    if not pool:
        return []
    # The lead: the sentence the outcome rests on (one that needs the sentence before it gets
    # that sentence joined to it, see below), unless nothing can tell what its "he" or "this"
    # means: then the next of the best few that reads on its own.
    lead = lead_candidate(pool, intent.asks, intent.question) or pool[0]
    if _unresolvable(lead):
        lead = next(
            (c for c in pool[:TYPED_POOL] if c.typed == lead.typed and not _unresolvable(c)),
            lead,
        )
    limit = limit or MAX_SENTENCES.get(intent.asks, 3)
    picked: list[Candidate] = [lead]
    length = len(lead.passage.text)
    for item in pool:
        if len(picked) >= limit:
            break
        if item is lead or item.score < SUPPORT_CUTOFF * lead.score:
            continue
        if id(item) in seen:
            # A follow-up's support is new; its lead may be a sentence shown before ("What did
            # he die of?" is answered by the "died of Parkinson's disease" the first answer had).
            continue
        if lead.on_subject and not item.on_subject:
            # Not from another article than those naming everything the question names (the
            # lead's rule, answerability.judge): "Where is X going to be buried?" gets no other
            # person's burial. Dev: 1 of 166 answers changed (three sentences about other
            # crashes left an unanswerable question's answer), key facts and bundled unchanged.
            continue
        if (
            item.passage.source.source != lead.passage.source.source
            and not intent.about_several
            and item.feature("article") < lead.feature("article") - OTHER_ARTICLE_MARGIN
        ):
            continue  # another article's sentence only when that article is as much on subject
        if intent.asks in _TYPED and not item.typed:
            continue  # "when": a supporting sentence without a date adds nothing
        if (
            intent.asks in _TYPED
            and item.coverage < SUPPORT_COVERAGE * lead.coverage
            and item.score < CLOSE_RUNNER_UP * lead.score
        ):
            continue  # ... and one with a date about something else is noise
        if _unresolvable(item):
            continue
        if length + len(item.passage.text) > MAX_CHARS:
            continue
        own = set(terms(item.passage.text))
        if any(_overlap(own, set(terms(c.passage.text))) > NEAR_DUPLICATE for c in picked):
            continue
        if any(_spans_overlap(item.passage, c.passage) for c in picked):
            continue
        picked.append(item)
        length += len(item.passage.text)
    picked += _for_each_name(intent, [c for c in pool if id(c) not in seen], picked)
    # Supporting sentences follow the lead in reading order (by article, then position).
    support = sorted(picked[1:], key=lambda c: (c.passage.source.n, c.passage.start))
    out: list[Chosen] = []
    for item in [lead, *support]:
        if any(_spans_overlap(item.passage, p) for c in out for p in c.passages):
            continue  # already read out as the sentence an earlier one leans on
        text = display(item.passage)
        previous = _context_of(item.passage) if needs_context(text) else None
        if (
            previous is not None
            and normalise(display(previous)) not in shown
            and not any(_spans_overlap(previous, p) for c in out for p in c.passages)
            and not needs_context(display(previous))
        ):
            before = display(previous)
            if item is lead and len(before) + len(text) <= MERGED_CHARS:
                # The lead must carry the answer: "Putin traveled to Iran on Tuesday; this
                # was the third time ..." reads as one sentence, not context then answer.
                merged = f"{before.rstrip(' .')}; {text[:1].lower()}{text[1:]}"
                out.append(_chosen(merged, (previous, item.passage), article))
                continue
            out.append(_chosen(before, (previous,), article))
        out.append(_chosen(text, (item.passage,), article))
        for entry in _list_items(item.passage):
            out.append(_chosen(display(entry), (entry,), article))
    return out


def _chosen(text: str, passages: tuple[Passage, ...], article: Article | None) -> Chosen:
    return Chosen(text, passages, interviewee(passages[0], text, article))


def _for_each_name(
    intent: Intent, pool: Sequence[Candidate], picked: Sequence[Candidate]
) -> list[Candidate]:
    """For a question about several people or things ("How old were Guy and Conway?"), the
    best sentence about each one the chosen sentences leave out, at most EXTRA_PER_NAME in
    all: an answer about two of them says something of both."""
    if not intent.about_several:
        return []
    chosen = list(picked)
    extra: list[Candidate] = []
    for entity in intent.entities:
        if len(extra) == EXTRA_PER_NAME:
            break
        surname = entity.name.split()[-1].lower()
        if any(surname in c.passage.text.lower() for c in chosen):
            continue
        for item in pool:
            if surname not in item.passage.text.lower() or _unresolvable(item):
                continue
            if intent.asks in _TYPED and not item.typed:
                continue
            if any(_spans_overlap(item.passage, c.passage) for c in chosen):
                continue
            extra.append(item)
            chosen.append(item)
            break
    return extra


def compose(chosen: Sequence[Chosen]) -> str:
    """Sentences joined into one paragraph, list items on lines of their own, each with its
    [n] before the closing punctuation."""
    text = ""
    previous_item = False
    previous_speaker = None
    named: set[str] = set()
    for item in chosen:
        is_item = bool(_BULLET_LINE.match(item.passage.text)) and text.endswith(":")
        said = item.text
        if item.speaker == previous_speaker and item.speaker:
            said = f"“{said}”"  # the same interviewee's words go on
        elif item.speaker:
            # Named in full the first time, by surname after: "Zara Kay said, ...", "Kay said".
            name = item.speaker.split()[-1] if item.speaker in named else item.speaker
            said = f"{name} said, “{said}”"
            named.add(item.speaker)
        previous_speaker = item.speaker
        line = with_markers(said, sorted({p.source.n for p in item.passages}))
        if text:
            text += "\n" if is_item or previous_item else " "
        text += line
        previous_item = is_item
    return text


def _list_items(intro: Passage, limit: int = 6) -> list[Passage]:
    """The bulleted lines right after a sentence that introduces them (ends with ':')."""
    if not intro.text.rstrip().endswith(":"):
        return []
    items: list[Passage] = []
    for unit in units(intro.source):
        if unit.start <= intro.start:
            continue
        if not _BULLET_LINE.match(unit.text):
            break
        items.append(unit)
        if len(items) == limit:
            break
    return items


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def _spans_overlap(a: Passage, b: Passage) -> bool:
    return a.source.source == b.source.source and a.start < b.end and b.start < a.end


def closest(intent: Intent, judgement: Judgement, article: Article | None = None) -> str:
    """Outcome "related": say what the articles don't say, then cite what comes closest."""
    # Never the question's own words in quotes: they may be an injection to echo.
    asked = indirect(intent.question)
    if judgement.missing and (asked is None or any(m[:1].isupper() for m in judgement.missing)):
        # A name nothing mentions: "anything about Olympian". A common word reads better in
        # the question ("why Arnav Gupta set himself alight ...", not "anything about alight").
        what = "anything about " + _join(judgement.missing)
    else:
        what = asked or "the answer to that question"
    picks: list[Chosen] = []
    # From the articles about what the question names (see `judge`), when there are such.
    pool = [c for c in judgement.candidates if c.on_subject] or judgement.candidates
    for item in pool:
        if len(picks) == CLOSEST_SENTENCES:
            break
        text = display(item.passage)
        if needs_context(text) or any(_spans_overlap(item.passage, c.passage) for c in picks):
            continue
        picks.append(_chosen(text, (item.passage,), article))
    lead = f"The articles don't say {what}"
    if not picks:
        return lead + "."
    return f"{lead}; the closest they come is: {compose(picks)}"


def nothing(judgement: Judgement) -> str:
    """Outcome "unrelated"."""
    if judgement.missing:
        return f"Nothing in the library is about {_join(judgement.missing)}."
    return NOTHING


def _join(names: Sequence[str]) -> str:
    names = list(dict.fromkeys(names))
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def smalltalk(question: str) -> str:
    lowered = question.lower()
    if re.search(
        r"\b(?:thank|thanks|thx|cheers|great|cool|nice|awesome|perfect|got it)\b", lowered
    ):
        return THANKS
    if re.search(r"\b(?:bye|goodbye|see you|good ?night)\b", lowered):
        return GOODBYE
    return GREETING


@dataclass(frozen=True)
class ArticleLead:
    """One article for an overview: the chunk its gist comes from, and the gist sentence."""

    source: Source
    gist: Passage | None


def overview(intent: Intent, leads: Sequence[ArticleLead], total: int) -> str:
    """One cited line per article, oldest first: "Title (date): gist [n]"."""
    dated = sorted(leads, key=lambda a: (_date_key(a.source.date), a.source.source))
    lines: list[str] = []
    for lead in dated[:OVERVIEW_ARTICLES]:
        gist = lead.gist or _first_sentence(lead.source)
        if gist is None:
            continue
        title = lead.source.title or ""
        head = title if title and title.rstrip(".") not in gist.text else ""
        if lead.source.date:
            head = f"{head} ({lead.source.date})" if head else f"({lead.source.date})"
        text = display(gist)
        line = f"{head}: {text}" if head else text
        lines.append(with_markers(line, [lead.source.n]))
    if not lines:
        return f"Nothing in the library is about {intent.topic}." if intent.topic else NOTHING
    about = f" about {intent.topic}" if intent.topic else ""
    intro = f"Here is what the articles{about} cover, by date:"
    more = total - len(lines)
    outro = f"\n(And {more} more; ask about any subject for details.)" if more > 0 else ""
    return intro + "\n" + "\n".join(lines) + outro


def _first_sentence(source: Source) -> Passage | None:
    """The chunk's first sentence that reads on its own (no "He said that ..." for a gist)."""
    for unit in units(source):
        text = display(unit)
        if needs_context(text):
            continue
        if len(terms(text)) >= 4 and text.rstrip().endswith((".", "!", "?", "”", '"')):
            return unit
    return None


def _date_key(date: str | None) -> str:
    """Sortable form of a date as stored ("2022-07-19", "July 19, 2022"); undated last."""
    return _stored_date_key(date) or "9999"


@dataclass(frozen=True)
class AnswerContext:
    """What a backend may use beyond the question and its sources."""

    closeness: Mapping[str, float]  # chunk id -> dense similarity to the question
    query_vector: Sequence[float] | None = None
    history: Sequence[Message] = ()
    question: str = ""  # the question the query vector is of
    article: Callable[[str], str | None] | None = None  # a source's whole article text


class OfflineAnswerer:
    """The offline backend: judges which sentences answer (see answerability) and composes the
    answer from them. Its stream opens with the same status line a model is asked for."""

    name = "offline"

    def __init__(self, weight: Weight, known: Known, embed: Embed | None = None) -> None:
        self.weight = weight
        self.known = known
        self.embed = embed

    def rewrite(self, question: str, history: Sequence[Message]) -> str:
        return rewrite_offline(question, history)

    def stream_answer(
        self, question: str, sources: Sequence[Source], context: AnswerContext
    ) -> Iterator[str]:
        shown = shown_sentences(context.history)
        questions = parts(question)
        # The second of two questions asked together may point back to the first ("Who is
        # Tom, and what did he say?").
        questions = questions[:1] + [
            rewrite_offline(q, [Message("user", questions[0])]) for q in questions[1:]
        ]
        judgements = [self._judge(q, sources, context) for q in questions]
        outcomes = {j.outcome for j in judgements}
        if len(judgements) == 1 or "answered" not in outcomes:
            judgement, intent = judgements[0], analyse(questions[0])
            if len(judgements) > 1:  # none answered: the whole question is the one not answered
                intent = analyse(question)
                judgement = max(judgements, key=lambda j: j.probability)
            yield status_line(judgement.outcome)
            if judgement.outcome == "answered":
                yield answer(intent, judgement, shown, context.article)
            elif judgement.outcome == "related":
                yield closest(intent, judgement, context.article)
            else:
                yield nothing(judgement)
            return
        # Several questions, some answered: each answered part leads with its fact, and each
        # part the articles don't answer says so.
        yield status_line("answered")
        pieces = []
        used: set[tuple[str, int]] = set()
        for q, judgement in zip(questions, judgements, strict=True):
            intent = analyse(q)
            if judgement.outcome != "answered":
                what = indirect(q)
                pieces.append(f"The articles don't say {what or 'that'}.")
                continue
            chosen = [
                c
                for c in choose(
                    intent, judgement.candidates, shown, PART_SENTENCES, context.article
                )
                if (c.passage.source.source, c.passage.start) not in used
            ]
            used |= {(c.passage.source.source, c.passage.start) for c in chosen}
            pieces.append(compose(chosen))
        yield " ".join(p for p in pieces if p)

    def _judge(self, question: str, sources: Sequence[Source], context: AnswerContext) -> Judgement:
        vector = context.query_vector
        if vector is not None and len(vector) and question != context.question and self.embed:
            # A part of the question: its own embedding, not the whole question's.
            vector = self.embed([question])[0]
        return judge(
            analyse(question),
            sources,
            self.weight,
            self.known,
            context.closeness,
            embed=self.embed,
            article=context.article,
            # A follow-up naming nothing was searched with the question before it: that
            # question's names are what it is about.
            topic=analyse(context.question).entities if context.question != question else (),
            conversation=shown_sentences(
                [m for m in context.history if m.role == "assistant"][-1:]
            ),
            query_vector=np.asarray(vector, dtype=np.float32)
            if vector is not None and len(vector)
            else None,
        )


def shown_sentences(history: Sequence[Message]) -> frozenset[str]:
    """The source sentences earlier answers showed, as `normalise` writes them."""
    out: set[str] = set()
    for message in history:
        if message.role != "assistant":
            continue
        for sentence in parse_answer(message.content):
            out.add(normalise(sentence.text))
            quoted = _GIVEN_TO_INTERVIEWEE.match(sentence.text.strip())
            if quoted:  # as `compose` gives an interviewee's words
                out.add(normalise(quoted.group("words")))
    return frozenset(out)


_GIVEN_TO_INTERVIEWEE = re.compile(r"^(?:[^“”\n]{1,80} said, )?“(?P<words>[^“”]*)”\W*$")
