"""Which retrieved sentences answer the question, and whether any does: the three outcomes
"answered", "related" (the articles touch the subject but don't say what was asked) and
"unrelated" (nothing in them is about it)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

import numpy as np

from assistant.citations import Passage, passages, quote_balance, without_language_marks
from assistant.facts import (
    _MONTHS,
    _NUMBER_WORD,
    GROUP_ADJECTIVES,
    Entity,
    _common_words,
    entities,
    entity_found,
    facts,
    known_names,
    same_person,
    speaker,
)
from assistant.questions import Intent
from assistant.records import Source
from assistant.text import _stem, matched, normalise, related, soft_share, synonyms, terms, words

Weight = Callable[[str], float]
Known = Callable[[str], bool]
Embed = Callable[[list[str]], np.ndarray]  # texts -> (n, d) unit vectors

# --- scoring: a small linear model over each sentence's features -----------------------------
# The weights were fitted on the dev split of the Wikinews gold set by
# eval/tune_answerability.py (a pairwise logistic regression, then a coordinate search on the
# share of questions whose top sentence holds a key fact: 0.647 on dev); its output is in
# eval/wikinews/README.md ("Tuning"). The held-out split was never used.
FEATURES = ("coverage", "property", "property_near", "entities", "typed", "closeness", "lead",
            "length", "proximity", "head", "article")  # fmt: skip
RANK_WEIGHTS = (0.14, 1.06, 2.88, 0.33, 2.79, 5.96, -0.61, -0.02, 0.0, -0.63, 3.0)
# Question-to-sentence similarity (MiniLM cosine) added to the score of the EMBEDDED_CANDIDATES
# lexically best sentences. Dev split, 297 articles, k=5 (eval/wikinews/README.md, "Tuning"):
# weight 0 -> 1 raised the answers' first sentence holding a key fact from 0.534 to 0.571 and
# key-fact coverage from 0.597 to 0.629; weight 2 gave the same first-sentence share with one more
# false answer; 4 candidates embedded gave the same shares as 8 with one more false refusal.
SIMILARITY_WEIGHT = 1.0
# The same similarity with the names taken out of the question and the sentence (see `judge`),
# added for the same sentences, the other weights kept. On 695 dev questions (both gold sets'
# dev splits and the graded questions' dev split, eval/wikinews-graded/README.md) the top
# sentence holds the answer for 0.562 at weight 0, 0.576 / 0.595 / 0.597 / 0.603 at 1 / 2 / 3 /
# 4; on the graded ones alone, which no weight had been fitted on, 0.502 -> 0.534 at 2. Whole
# answers, weight 0 / 2 / 3 / 4: first set's dev key facts 0.806 / 0.817 / 0.812 / 0.796 (first
# sentence 0.677 / 0.677 / 0.677 / 0.669); second set's dev 0.704 / 0.761 / 0.775 / 0.747 (first
# sentence 0.562 / 0.562 / 0.542 / 0.542); graded dev (split at ". " before a capital, not yet
# as eval/graded.py reads it), first sentence holding the answer 0.454 /
# 0.467 / 0.462 / 0.462, anywhere 0.620 / 0.633 / 0.641 / 0.644. No refusal moved by more than
# one question. Refitting every weight with it (pairwise logistic) scored 0.598 out of fold
# (two-fold by article, five seeds), no better than these weights with it.
NAMELESS_WEIGHT = 2.0
NEIGHBOUR_CREDIT = 0.5  # a concept found only in the next or previous sentence
EMBEDDED_CANDIDATES = 8  # sentences embedded per question (the best), for ranking and evidence
EVERYDAY_UNKNOWN_WEIGHT = 1.0  # about the IDF of a word in a quarter of the chunks
# The outcome. A question is answered when one of its TYPED_POOL best sentences holds the kind
# of fact it asks for (a date for "when") and shares at least MIN_EVIDENCE of the question, in
# words (coverage) or meaning (similarity); related when some sentence reaches MIN_RELATED;
# unrelated below, or when every name it hinges on is missing. On the dev split no threshold on
# any feature told answerable from unanswerable questions apart better than answering (see
# eval/wikinews/README.md, "Tuning"): these thresholds only catch the clearly unanswerable.
TYPED_POOL = 4
MIN_EVIDENCE = 0.3  # dev: refusal accuracy 0.783 (9 false refusals, 27 false answers)
MIN_RELATED = 0.2
# "What did X say ...?": a sentence giving X's words gains this much (about the weight of a
# chunk that is a perfect match, the largest feature weight above).
SPEAKER_BONUS = 3.0
# "Who is Zvi Magen?", "What is youtube-dl?": a sentence that says what the subject is
# ("Leonov, a Soviet cosmonaut, ...", "youtube-dl is a free ... program") gains this much, as a
# sentence of the asked-for speaker does above (the same weight, not tuned). Graded dev
# (2026-12-07): the first sentence holds the answer for 2 more of its 4 such questions ("Who is
# Hamza bin Laden?", "What is youtube-dl?"), none lost; the gold sets' dev splits unchanged.
DEFINITION_BONUS = 3.0
# A question naming something nothing retrieved mentions is not answered. On the dev split this
# refused 2 answerable questions ("Olympian religion", "Hollywood actors") and caught none of
# its unanswerable ones (they are about things the articles do name, by design); it is kept
# for questions off the library's subject ("What did Putin say about the Olympics?"). A name
# that only describes what is asked ("Which Hollywood actors ...", see `_describes`) is not
# required: dev false refusals 2 -> 1, first sentence 0.594 -> 0.602.
ANY_NAME_MISSING_REFUSES = True

# "How many minutes ...?": a sentence whose number counts minutes gains this much over one
# whose number counts something else (see `counted_unit`). Dev split: 0 -> 2 raised key-fact
# coverage from 0.704 to 0.720 and first sentences holding a fact from 0.587 to 0.594; 3 added
# a false answer. (A like bonus for a day of a month in "when" answers gained nothing at 1-3.)
UNIT_BONUS = 2.0

Outcome = Literal["answered", "related", "unrelated"]
SENTENCE_CACHE = 8192  # sentence vectors kept per process: a conversation meets the same ones


class _Embeddings(Protocol):
    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...


class SentenceVectors:
    """Embeddings of sentences, remembered: the embedding model is the slow part of answering,
    and the same source sentences come back question after question."""

    def __init__(self, embeddings: _Embeddings, size: int = SENTENCE_CACHE) -> None:
        self.embeddings = embeddings
        self.size = size
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def __call__(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            embedded = self.embeddings.embed_documents(missing)
            with self._lock:
                for text, vector in zip(missing, embedded, strict=True):
                    if len(self._vectors) >= self.size:
                        self._vectors.pop(next(iter(self._vectors)))
                    known[text] = self._vectors[text] = np.asarray(vector, dtype=np.float32)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([known[t] for t in texts])

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two texts' embeddings."""
        first, second = self([a, b])
        return float(first @ second)


# Words that give a reason. Temporal ones ("after", "following", "since") are left out: most
# news sentences have one.
_CAUSAL = re.compile(
    # (not the "due to" of a plan: "was due to stand down in August")
    r"\b(?:because|(?<!\bwas )(?<!\bis )(?<!\bare )(?<!\bwere )(?<!\bbe )due to"
    r"|(?:was|is|are|were|be) due to (?=(?:the|a|an|his|her|its|their|this|that|these|those)\b)"
    r"|owing to|thanks to|as a result|result(?:ed|s)? (?:of|from)|in order to"
    r"|so that|so as to|to avoid|to prevent|to ensure|to protect|to safeguard|to preserve"
    r"|to maintain|aim(?:ed|s|ing)? (?:at|to)|reasons?|caused|causes|causing|led to|leads to"
    r"|lead to|prompted|prompting|blamed|driven (?:by|less by|more by)|motivated|for fear"
    r"|fear(?:s|ed)? (?:of|that)|concerns? (?:about|over|that)|concerned (?:about|that)"
    r"|worr(?:y|ies|ied) (?:about|that)|wary of|in response to|in protest|argued that"
    r"|considerations?|imperative|therefore|thus|hence|stems? from|attributed to|triggered"
    r"|sparked|after (?:being|a|an|the) \w+ (?:by|of)"
    # a purpose: "in a bid to gain jackal meat", "in an effort to", "with the aim of"
    r"|in (?:a|an) (?:bid|effort|attempt) to|with the (?:aim|goal|intention) of"
    r"|for the purpose of|in retaliation|in revenge"
    # a stated ground: "postponed it, citing the health crisis", "as his motivation"
    r"|citing|motivations?|motives?|rationale|justification"
    # a circumstance: "delayed its voting in the face of the national emergency", "amid"
    r"|in the face of|amid|amidst"
    # what someone died of: "died of Parkinson's disease", "complications from a stroke"
    r"|(?:die|died|dies|dying) (?:of|from)|death from|complications (?:of|from)|succumbed to"
    r"|cause of (?:his |her |their )?death)\b",
    re.IGNORECASE,
)
_RELATIVE_TIME = re.compile(
    r"\b(?:yesterday|today|tonight|tomorrow|last (?:week|month|year|night)|this (?:week|month"
    r"|year|morning)|next (?:week|month|year)|ago|earlier this|later this|since \d|in \d{4}"
    r"|(?:morning|afternoon|evening|night) of"
    # "eligible for parole in 25 years", "within two weeks"
    rf"|(?:in|within|after) (?:\d+|a|an|{_NUMBER_WORD}) (?:years?|months?|weeks?|days?|hours?))\b",
    re.IGNORECASE,
)
_TIME_OF_DAY_ASKED = re.compile(r"\b(?:what|which) (?:time|hour)\b|\btime of (?:the )?day\b")
_PART_OF_DAY = re.compile(
    r"\b(?:(?:in|during|early|late) (?:the )?(?:morning|afternoon|evening|night)|at (?:night|dawn"
    r"|dusk|noon|midnight|midday)|overnight|o'clock)\b",
    re.IGNORECASE,
)
_PLACE_PHRASE = re.compile(
    r"\b(?:in|at|from|near|outside|inside|to|into|of) (?:the )?(?:[\w\-]+ ){0,3}"
    r"(?i:city|town|village|resort|port|capital|province|state|region|county|district|island"
    r"|airport|hospital|stadium|prison|base|camp|border|hotel|school|university|museum"
    r"|church|mosque|cathedral|station)\b|\b(?:in|at|near|outside) [A-Z]\w+",
)
# A list: "X, Y and Z", "X and Y", "including X", "such as X". The items are bounded in length,
# so the pattern stays linear.
_ENUMERATION = re.compile(
    r"[^,;:.!?]{1,60}, [^,;:.!?]{1,60},? (?:and|or) \w"
    r"|\b(?:including|such as|among them|namely|as well as)\b"
    r"|\b[A-Z][\w\-’']+(?: [A-Z][\w\-’']+){0,5} (?:and|or) [A-Z]\w",
)
# Adverbs that stress a question without adding to what it asks ("When did they actually ...",
# "while he was still making films"): not the question's head word. Dev (2026-12-07): fourth
# set's "actually" no longer its head, first set's key facts 0.823 -> 0.828 ("still"); with
# "originally", "initially" and "currently" too, which tell one time from another, a graded dev
# question ("Where was the officer originally from?") was refused.
_EMPTY_ADVERBS = frozenset(
    "actually really exactly finally ever eventually ultimately still already even precisely "
    "basically".split()
)
# Words of the question's frame rather than its subject.
_FRAME = re.compile(
    r"(?:happen|occur|name|call|report|say|state|mention|describ|accord|take|place|get|make"
    r"|do|go|come|use|kind|type|sort|way|thing|much|mani|long|far|old)\w*"
)
_ANSWER_KINDS = {
    "date",
    "number",
    "person",
    "organisation",
    "place",
    "reason",
}


@dataclass(frozen=True)
class Candidate:
    """A source sentence (or a quote spanning several) scored against the question."""

    passage: Passage
    features: tuple[float, ...]  # as FEATURES names them
    similarity: float  # cosine similarity to the question (0 when not embedded)
    score: float
    # False when its article lacks a name of the question that another retrieved article has
    # (see `judge`): such a sentence may support an answer but never lead it.
    on_subject: bool = True

    def feature(self, name: str) -> float:
        return self.features[FEATURES.index(name)]

    @property
    def coverage(self) -> float:
        return self.feature("coverage")

    @property
    def evidence(self) -> float:
        """How much of the question it shares, in words or in meaning."""
        return max(self.coverage, self.similarity)

    @property
    def typed(self) -> bool:
        return self.feature("typed") > 0.5


@dataclass(frozen=True)
class Judgement:
    outcome: Outcome
    candidates: list[Candidate]  # best first
    missing: list[str] = field(default_factory=list)  # named things no retrieved text mentions
    probability: float = 0.0  # the evidence (coverage or similarity) the outcome rests on
    question_features: tuple[float, ...] = ()  # unmatched, names_missing, head_anywhere
    head: str | None = None  # the question's head word (stem), see `judge`


# Phrasal verbs people ask with, in the word articles use for them ("When was the company set
# up?" is answered by "It was founded in 1992").
_PHRASAL = {
    "pass away": "die", "set up": "found", "put off": "postpone", "call off": "cancel",
    "step down": "resign", "turn down": "reject", "break out": "begin", "carry out": "conduct",
    "blow up": "explode", "shut down": "close", "find out": "discover", "give up": "surrender",
}  # fmt: skip
_PHRASAL_FORMS = {
    "pass": ("pass", "passed", "passes", "passing"), "set": ("set", "sets", "setting"),
    "put": ("put", "puts", "putting"), "call": ("call", "called", "calls", "calling"),
    "step": ("step", "stepped", "steps", "stepping"), "turn": ("turn", "turned", "turns"),
    "break": ("break", "broke", "breaks", "broken"), "carry": ("carry", "carried", "carries"),
    "blow": ("blow", "blew", "blows", "blown"), "shut": ("shut", "shuts", "shutting"),
    "find": ("find", "found", "finds"), "give": ("give", "gave", "gives", "given"),
}  # fmt: skip
_PHRASAL_VERB = re.compile(
    r"\b(" + "|".join(f for forms in _PHRASAL_FORMS.values() for f in forms) + r") "
    r"(away|up|off|down|out)\b",
    re.IGNORECASE,
)


def _plain_verbs(question: str) -> str:
    """`question` with its phrasal verbs in the words articles use ("set up" -> "found")."""

    def plain(match: re.Match[str]) -> str:
        verb = next(v for v, forms in _PHRASAL_FORMS.items() if match.group(1).lower() in forms)
        return _PHRASAL.get(f"{verb} {match.group(2).lower()}", match.group(0))

    return _PHRASAL_VERB.sub(plain, question)


def concepts(intent: Intent, known: Known) -> tuple[list[set[str]], list[bool]]:
    """The question's content terms grouped into concepts (a multi-word name is one concept,
    found only when all its words are), and whether each is essential: a name, or a word the
    library has never seen, must be found; other words may be paraphrased."""
    groups: list[set[str]] = []
    essential: list[bool] = []
    named: set[str] = set()
    for entity in intent.entities:
        group = set(terms(entity.name))
        if group and group not in groups:
            groups.append(group)
            essential.append(True)
            named |= group
    common = _common_words()
    common_here: set[str] = set()
    surface: dict[str, set[str]] = {}
    # "When did he pass away?" is asked in words no article uses for it: "die".
    question = _plain_verbs(intent.question)
    for word in words(question):
        parts = [p for p in word.split("-") if p]
        # A hyphenated word is everyday when its parts are ("pre-tax").
        everyday = word in common or (len(parts) > 1 and all(p in common for p in parts))
        for part in [word, *parts]:
            surface.setdefault(_stem(part), set()).add(part if not everyday else part.lower())
            if everyday:
                common_here.add(part)
    for term in dict.fromkeys(terms(question)):
        if surface.get(term) and surface[term] <= _EMPTY_ADVERBS:
            continue  # "When did they actually make ...": no concept the answer must hold
        if term not in named:
            groups.append({term})
            # A word the library lacks matters only when it is a name-like word, not an
            # everyday one ("kind", "trying") or a number.
            plain = surface.get(term, set())
            essential.append(
                not known(term)
                and not term.isdigit()
                and len(term) > 1  # the "q" of "Q&A"
                and not any(w in common or w in common_here for w in plain)
            )
    return groups, essential


def units(source: Source) -> list[Passage]:
    """The source's sentences as answer units: a quotation that runs over several sentences is
    one unit, and a sentence that starts inside a quotation opened before the chunk is left
    out (it would read as a quote with no beginning)."""
    items = passages(source)
    out: list[Passage] = []
    # Sentences up to the first that closes a quotation opened before the chunk are inside it:
    # someone's words with no speaker ("She was all woman, as well as being the girl next
    # door." from Mary Quant's quotation, read as the article's own).
    running = 0
    for k, item in enumerate(items):
        running += quote_balance(item.text)
        if running > 0:
            break
        if running < 0:
            items = items[k + 1 :]
            break
    i = 0
    while i < len(items):
        balance = quote_balance(items[i].text)
        if balance < 0:
            i += 1  # closes a quote opened before this chunk
            continue
        j = i
        while balance > 0 and j + 1 < len(items) and j - i < 3:
            j += 1
            balance += quote_balance(items[j].text)
        if balance != 0:  # the quotation never closes within the chunk
            i += 1
            continue
        first, last = items[i], items[j]
        text = source.text[first.start - source.start : last.end - source.start]
        dateline = _DATELINE.match(text)
        if dateline:  # "Monday, August 3, 2020  On Thursday, ...": the page's date, not said
            text = text[dateline.end() :]
        if without_language_marks(text).strip():  # (not a translation's original words alone)
            out.append(Passage(source, last.end - len(text), last.end, text))
        i = j + 1
    return out


# A date alone opening a sentence, before its first word: a page's dateline run into the text.
_DATELINE = re.compile(
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? )?(?:January|February|March|April|May"
    r"|June|July|August|September|October|November|December) \d{1,2}, \d{4}\s+(?=[A-Z])"
)
_DEPENDENT = re.compile(
    r"^(?:It|Its|They|Their|Them|Such|The latter|The former|Both|Here|He|She|His|Her|Also"
    r"|However|But|And|Meanwhile|Instead|Still|Yet"
    # connectives that go on from the sentence before: "For this reason, he was not granted
    # bail", "In that role ...", "Additionally, ..."
    r"|Additionally|Furthermore|Moreover|Nevertheless|Nonetheless|Therefore|Thus|Hence"
    r"|Consequently|Likewise|Similarly|Besides|In addition|As a result|For (?:this|that) reason"
    r"|(?:In|At|By|After|Before|Despite|Because of|During) (?:this|that|these|those|then)"
    r"|Despite (?:this|that|it))\b"
    # ... and "This", "There", but not "This morning Jacques Chirac died" (a time, not a
    # pointer) or "There were fifteen" (nothing pointed at).
    r"|^(?:This|That|These|Those)\b(?!\s+(?:morning|afternoon|evening|night|week|weekend"
    r"|month|year|season|spring|summer|autumn|fall|winter|days)\b)"
    r"|^There\b(?!\s+(?:is|are|was|were|has|have|had|will|would|could|may|might)\b)"
)


def needs_context(text: str) -> bool:
    """Whether a sentence leans on the one before it ("He said ...", "They did say ...")."""
    return bool(_DEPENDENT.match(text))


def previous_unit(passage: Passage) -> Passage | None:
    """The answer unit just before `passage` in its chunk, if any."""
    earlier = [u for u in units(passage.source) if u.end <= passage.start]
    return earlier[-1] if earlier else None


# A question asking "who", after an opening phrase if any ("With poll workers quitting, who
# ...?"), rather than "which official".
_WHO = re.compile(r"^(?:[^,?]{1,60},\s*)?(?:and\s+)?(?:who|whom)\b")


def answer_spans(text: str, asks: str, question: str = "") -> list[tuple[int, int]]:
    """Where `text` holds the kind of fact `asks` names (a date for "when", a person for
    "who"), leaving out what the question itself says ("in 2019", the person asked about).
    For questions without a kind (description, yes/no) the whole text."""
    if asks == "list":
        return [m.span() for m in _ENUMERATION.finditer(text)]
    if asks not in _ANSWER_KINDS:
        return [(0, len(text))]
    if asks == "reason":
        return [m.span() for m in _CAUSAL.finditer(text)]
    asked = question.lower()
    if asks in ("date", "number"):
        spans: list[tuple[int, int]] = []
        found = facts(text)
        items: list[str] = []
        if asks == "date" and _TIME_OF_DAY_ASKED.search(asked):
            # "At what time of day ...?": a clock time or a part of the day, not a date.
            items += [q.text for q in found.quantities if q.kind == "time"]
            items += [m.group(0) for m in _PART_OF_DAY.finditer(text)]
        elif asks == "date":
            items += [d.text for d in found.dates]
            items += [q.text for q in found.quantities if q.kind == "time"]
            items += [m.group(0) for m in _RELATIVE_TIME.finditer(text)]
        else:
            # "How many offences ...?" is answered by a count, not by "a tenth defendant"; but
            # "how many times" is, by "the third time".
            counted = counted_unit(question)
            ordinal = not counted or counted[0] == "time"
            items += [
                q.text
                for q in found.quantities
                if q.kind != "time" and (ordinal or q.kind != "ordinal")
            ]
        # ("How long has he led the city?" is answered "since 1998".)
        counting = asks == "number" and re.search(r"\bhow (?:many|much)\b", asked) is not None
        if asks == "number" and _ASKS_MONEY.search(asked) and not _ASKS_SHARE.search(asked):
            # "What did it cost ...?", "How much was he fined?": an amount of money, not "two
            # hours" or "55 countries".
            money = [m.span() for m in _MONEY.finditer(text[:4000])]
            items = [
                item
                for item in items
                if any(start <= text.find(item) < end for start, end in money)
            ]
        if asks == "number" and _ASKS_PERCENT.search(asked):
            # "What share of the vote did she get?": a share ("80.1%", "half", "17 of 18
            # districts"), not "all 50 states" or "in 2016".
            items = [q.text for q in (*found.quantities, *found.equivalents) if q.kind == "percent"]
            items += [m.group(1) for m in _RATIO.finditer(text[:4000])]
        elif (
            (first := _HOW_MANY_NOUN.search(asked))
            and not _ASKS_MONEY.search(asked)
            and (counted := counted_unit(question))
            and not counted[0].startswith(_MEASURE_STEMS)
            and not _stem(first.group(1)).startswith(_MEASURE_STEMS)  # "how many years behind bars"
        ):
            # "How many people were killed ...?" counts people: not "winds of 75 mph", "three
            # hours later", "71%" or "$5 million".
            money = [m.span() for m in _MONEY.finditer(text[:4000])]
            items = [
                item
                for item in items
                if (at := text.find(item)) >= 0
                and not _MEASURED.match(text, at + len(item))
                and not any(start <= at < end for start, end in money)
            ]
        if asks == "number" and _HOW_OLD.search(asked):
            return [m.span() for m in _AGE.finditer(text)]
        for item in items:
            if item.lower() in asked:
                continue
            at = text.find(item)
            if at < 0:
                continue
            before = text[max(0, at - 30) : at + len(item)]
            if (
                counting
                and _A_YEAR.search(before)
                or asks == "number"
                and _IN_A_NAME.search(before)
            ):
                continue  # "moving to California in 1939", "Route 2": no count
            spans.append((at, at + len(item)))
        return spans
    question_names = [e.name for e in entities(question)]
    in_text = entities(text, known_names(text))
    named = [
        e
        for e in in_text
        if not any(_same_name(e.name, q) for q in question_names)
        and e.name.lower() not in asked
        # "the Arab world", "Islamic law": a word of a faith or a people, no one's name
        and not (asks != "place" and e.name.lower() in GROUP_ADJECTIVES)
    ]
    if asks == "place":
        # ... and a name of no known kind written before a place as a town is before its state
        # or country: "from Marksville, Louisiana". (Dev, 2026-12-07: third set's key facts
        # 0.770 -> 0.784; the other sets unchanged.)
        places = [e.name for e in in_text if e.kind == "place"]
        wanted = [
            e.name
            for e in named
            if e.kind == "place"
            or (e.kind == "other" and any(f"{e.name}, {place}" in text for place in places))
        ]
        # ... but not a place that only describes someone: "U.S. heiress Gloria Vanderbilt
        # died" says nothing of where (seventh set's dev z043).
        wanted = [name for name in wanted if not _only_describes(name, text)]
        # "from the hospital" is no answer to "Which hospital ...?": a place phrase naming
        # nothing but the kind of place the question asks for.
        spans = [
            m.span()
            for m in _PLACE_PHRASE.finditer(text)
            if any(w[:1].isupper() for w in m.group(0).split()[1:])
            or m.group(0).split()[-1].lower() not in asked
        ]
    elif asks == "organisation":
        wanted = [e.name for e in named if e.kind in ("organisation", "other")]
        spans = []
    else:  # person
        # "Who did Wisconsin bring in?", "Who is suing Montana?": a "who" is answered by an
        # organisation as often as by a person; "Which official ...?" only by a person. Dev
        # (2026-12-07): first set's first sentence 0.699 -> 0.692 (one lost, "Who addressed
        # the rally?"), second set's key facts 0.747 -> 0.775 (the National Guard, a
        # foundation), graded dev first sentence 0.496 -> 0.499 and anywhere 0.650 -> 0.659.
        kinds = ("person", "other", "organisation") if _WHO.match(asked) else ("person", "other")
        wanted = [e.name for e in named if e.kind in kinds]
        spans = []
    for name in wanted:
        at = text.find(name)
        if at >= 0:
            spans.append((at, at + len(name)))
            continue
        # A name read across a possessive ("Demosisto's Nathan Law") is written with it.
        spelt = re.search(r"(?:['’]s)?\s+".join(re.escape(w) for w in name.split()), text)
        if spelt:
            spans.append(spelt.span())
    return spans


def _only_describes(place: str, text: str) -> bool:
    """Whether every mention of `place` in `text` is a word describing a named person or thing:
    "U.S. heiress Gloria Vanderbilt", "French president Emmanuel Macron"."""
    found = list(re.finditer(rf"(?<!\w){re.escape(place)}(?!\w)", text[:4000]))
    return bool(found) and all(_DESCRIBES_NAMED.match(text, m.end()) for m in found)


_DESCRIBES_NAMED = re.compile(r"\s+[a-z][\w\-]*\s+[A-Z][a-z]")


# A question for an amount of money, and an amount of money written out ("$280bn", "€5
# million", "2,000 million dollars", "SEK 9m"). Not tuned.
_ASKS_MONEY = re.compile(
    r"\b(?:cost|costs|costing|price|priced|paid|pay|pays|paying|spend|spends|spent|spending"
    r"|worth|fined?|budget|salary|fee|fees|money|funding|compensation|ransom|bail)\b"
)
# ... but "What share of its GDP did Hungary spend ...?" asks for a share (graded dev h12-8).
_ASKS_SHARE = re.compile(r"\b(?:share|percent|percentage|proportion|fraction|rate|ratio)\b")
# A question for a share, answered only by one ("What percentage of ...?", "What share of the
# vote ...?"). Not tuned.
_ASKS_PERCENT = re.compile(r"\b(?:share|percent|per cent|percentage|proportion|fraction)\b")
_RATIO = re.compile(r"\b(\d[\d,]*\s+(?:out\s+)?of\s+(?:the\s+)?\d[\d,]*|\d+\s+in\s+\d+)\b")
# What a number measures rather than counts, written right after it ("75 mph", "3.5-metre",
# "three hours", "71 per cent"), and the counted words that are themselves measures ("How many
# miles ...?", "How many years ...?"). Not tuned.
_MEASURED = re.compile(
    r"\s?-?\s?(?:mph|km/h|kph|kmh|km|kilomet\w*|miles?|metres?|meters?|ft|feet|foot|inch\w*"
    r"|yards?|degrees?|°|kg|kilograms?|grams?|tonnes?|tons?|lbs?|pounds?|%|percent|per cent"
    r"|seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies))(?![\w])",
    re.IGNORECASE,
)
_MEASURE_STEMS = ("mile", "kilomet", "km", "metr", "meter", "feet", "foot", "yard", "inch",
                  "degre", "kilogram", "kg", "gram", "tonn", "ton", "pound", "dollar", "euro",
                  "percent", "second", "minut", "hour", "day", "week", "month", "year", "decad",
                  "centur", "money", "cash", "fund")  # fmt: skip
_MONEY = re.compile(
    r"(?:[$€£¥₹]|\b(?:US|A|C|NZ|HK)\$|\b(?:USD|EUR|GBP|SEK|NOK|DKK|CHF|AUD|CAD|NZD|INR|JPY|CNY|"
    r"ZAR|RUB|BRL|MXN|PHP|Rs\.?))\s?\d[\d,.]*(?:\s?(?:million|billion|trillion|bn|mn|m|k))?"
    # (a number is read from its first digit only, so a long run of digits costs linear time)
    r"|(?:(?<![\d,.])\d[\d,.]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|a))"
    r"(?:\s?(?:million|billion|trillion|bn|mn|m|k))?\s?(?:US\s)?(?:dollars?|euros?"
    r"|pounds?(?: sterling)?|yen|yuan|renminbi|rupees?|francs?|kronor|kroner|krona|krone|rand"
    r"|pesos?|rubles?|roubles?|reais|real|won|ringgit|baht|shekels?|lira|dinars?|riyals?"
    # "75 cents" (seventh set's dev z052 was refused: "the cost of the kit was 75 cents")
    r"|cents?|pence|p)\b",
)


# "How many minutes/offences/people ...", "how much money": the words up to the verb, a
# preposition or the third word; the counted thing is the last of them.
# A number that counts nothing: a year after a preposition ("in 1939", "since 2016"; but "How
# long has he led the city?" is answered "since 1998") ...
_A_YEAR = re.compile(
    r"\b(?:in|since|by|from|until|till|before|after|during|of|on)\s+(?:1[5-9]\d\d|20\d\d)$"
)
# How old someone or something is: "aged 28", "at the age of 80", "a 60-year-old man",
# "eighteen-years-old", "Amman, 20, was ...", "He was 101 and ...", "five million years old",
# "range in age from 21 to 78". A "how old" question is answered by nothing else ("three years
# in prison", "born in 1939").
_AGE = re.compile(
    rf"\b(?:aged|age of|ages of|in age from)\s+(?:about |around )?(?:\d+|{_NUMBER_WORD})"
    rf"|(?:\d+|{_NUMBER_WORD})(?:\s+(?:million|billion|thousand))?[\s\-]+(?:years?|months?|weeks?"
    rf"|days?)(?:[\s\-]+old\b|\s+of\s+age\b)"
    rf"|\b(?-i:[A-Z])[\w\-’']*\)?, (?:\d{{1,3}}|{_NUMBER_WORD}),"
    # ... or a person by what they are: "the princess, 67, announced"
    rf"|\b(?:the|a|an) [a-z][\w\-’']*, \d{{1,3}},"
    rf"|\b(?:was|is|were|are) (?:\d{{1,3}}|{_NUMBER_WORD})(?=\s*(?:[.,;]|and\b|when\b|at\b|$))",
    re.IGNORECASE,
)
# ... or a number in a name ("on Route 2", "said Apollo 11").
_IN_A_NAME = re.compile(
    r"(?<=[a-z,] )(?!(?:"
    + "|".join(m.capitalize() for m in _MONTHS)
    + r"|About|Around|Over|Nearly|Almost|Some|Only|All|The)\b)[A-Z][a-z]+\s+\d{1,3}$"
)
_HOW_MANY = re.compile(
    r"\bhow (?:many|much) ((?:[\w\-’']+ ){1,3}?)(?:is|are|was|were|do|does|did|has|have|had|will"
    r"|would|can|could|in|of|at|on|for|from|by|with|to|still)\b",
    re.IGNORECASE,
)
_HOW_UNITS = {
    "far": ("mile", "kilometr", "km", "light", "metr", "meter", "feet", "foot", "yard"),
    "old": ("year", "age", "aged"),
    "long": ("second", "minut", "hour", "day", "week", "month", "year", "mile", "kilometr",
             "km", "metr", "meter", "feet", "foot"),
    "tall": ("metr", "meter", "feet", "foot", "cm", "inch"),
    "high": ("metr", "meter", "feet", "foot", "km", "kilometr", "mile"),
    "deep": ("metr", "meter", "feet", "foot", "km", "kilometr", "mile"),
}  # fmt: skip
# "How many states later sued over ...": no word the pattern above stops at follows; the
# counted thing is then the word right after "how many". Dev (2026-12-06): key facts 0.747 ->
# 0.753 (one two-part question), nothing else changed.
_HOW_MANY_NOUN = re.compile(r"\bhow many ([a-z][\w\-’']*)", re.IGNORECASE)
_HOW_ADJECTIVE = re.compile(r"\bhow (far|old|long|tall|high|deep)\b", re.IGNORECASE)
_HOW_OLD = re.compile(r"\bhow old\b|\bwhat age\b|\bat what age\b", re.IGNORECASE)
_NUMBER_TOKEN = re.compile(
    rf"^(?:\d[\d,.]*|one|{_NUMBER_WORD}|hundreds|thousands|dozens)(?:-|$)", re.IGNORECASE
)


_GLUED_UNIT = re.compile(r"(\d[\d,.]*)([a-z]{1,3})")


def counted_unit(question: str) -> tuple[str, ...]:
    """What a "how many/much/far/old/long" question counts, as stems ("minut"; "mile", "km"
    ... for "how far"); empty for other questions."""
    found = _HOW_MANY.search(question[:500])
    counted = found.group(1).split() if found else []
    if not found and (noun := _HOW_MANY_NOUN.search(question[:500])):
        counted = [noun.group(1)]
    if counted:
        stem_ = _stem(counted[-1].lower())
        return (stem_, *sorted(synonyms(stem_)))
    adjective = _HOW_ADJECTIVE.search(question[:500])
    if adjective:
        return _HOW_UNITS[adjective.group(1).lower()]
    # "What was the death toll ...?" counts the dead: "At least seventeen people died", not
    # "around 30 vehicles" (seventh set's dev z069).
    return _DEATH_TOLL_UNITS if _DEATH_TOLL.search(question[:500]) else ()


_DEATH_TOLL = re.compile(r"\bdeath[\s\-]+tolls?\b|\btoll of (?:the )?dead\b", re.IGNORECASE)
_DEATH_TOLL_UNITS = ("die", "dead", "death", "kill", "live", "fatal", "victim", "bodi")


def counts_unit(text: str, unit: Sequence[str]) -> bool:
    """Whether a number in `text` counts `unit`: one of the three words after it ("22
    different crimes", "22-mile", "ten buffalo") or the word before it ("aged 80", "the age of
    80") has one of the stems."""
    if not unit:
        return False
    if tuple(unit) == _HOW_UNITS["old"]:
        return _AGE.search(text[:2000]) is not None  # an age, not "three years in prison"
    tokens: list[str] = []
    for m in _WORD_SPAN.finditer(text):
        # A unit written against its number ("139km", "5ft") is a word of its own.
        glued = _GLUED_UNIT.fullmatch(m.group(0).lower())
        tokens += [glued.group(1), glued.group(2)] if glued else [m.group(0).lower()]
    for i, token in enumerate(tokens):
        if not _NUMBER_TOKEN.match(token):
            continue
        after = [p for t in tokens[i + 1 : i + 4] for p in t.split("-")]
        after += token.split("-")[1:]
        # ... or the word before it: "aged 80", "at the age of 80"
        after += tokens[max(0, i - 2) : i - 1] if i > 1 and tokens[i - 1] == "of" else []
        after += tokens[i - 1 : i] if i > 0 else []
        if any(_stem(w).startswith(u) or w.startswith(u) for w in after for u in unit):
            return True
    return False


def has_answer_kind(text: str, asks: str, question: str = "") -> bool:
    """Whether `text` holds the kind of fact `asks` names, beyond what the question says."""
    return bool(answer_spans(text, asks, question))


_WORD_SPAN = re.compile(r"[\w][\w'’\-]*")


def proximity(text: str, spans: Sequence[tuple[int, int]], wanted: Sequence[set[str]]) -> float:
    """How close the answer (`spans`) sits to the words of the question (`wanted`, one set of
    stems per concept) in `text`: 1 when adjacent, falling with the words between; 0 when the
    sentence has none of them or no answer."""
    if not spans or not wanted:
        return 0.0
    positions: list[int] = []
    starts: list[int] = []
    for index, match in enumerate(_WORD_SPAN.finditer(text)):
        starts.append(match.start())
        stem_ = _stem(match.group(0).lower().replace("’", "'"))
        if any(matched(group, {stem_}) for group in wanted):
            positions.append(index)
    if not positions:
        return 0.0
    answer_tokens = [i for i, start in enumerate(starts) if any(a <= start < b for a, b in spans)]
    if not answer_tokens:
        return 0.0
    distance = min(abs(a - p) for a in answer_tokens for p in positions)
    return 1.0 / (1.0 + distance / 4.0)


def _as_asked(group: set[str], question: str) -> str:
    """A concept as the question words it ("pagodas"), not as its stem ("pagoda")."""
    return next((w for w in words(question) if _stem(w) in group), " ".join(sorted(group)))


def _same_name(a: str, b: str) -> bool:
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return bool(wa & wb)


def judge(
    intent: Intent,
    sources: Sequence[Source],
    weight: Weight,
    known: Known,
    closeness: Mapping[str, float],
    embed: Embed | None = None,
    query_vector: np.ndarray | None = None,
    embed_all: bool = False,
    article: Callable[[str], str | None] | None = None,
    topic: Sequence[Entity] = (),
    conversation: Collection[str] = (),
) -> Judgement:
    """Score every sentence of the sources against the question and decide the outcome.

    `closeness`: chunk id -> the chunk's dense similarity to the question. `embed` and
    `query_vector` add question-to-sentence similarity for the lexically best sentences (all
    of them with `embed_all`, as the tuning script does). `article`: a source's whole text, where
    a name the retrieved chunks only call "he" is looked for, and who "he" is. `topic`: the
    names of the conversation a follow-up naming nothing is about ("who is the suspect?" after
    a question about the El Paso shooting), which keep the answer to their article as the
    question's own names would. `conversation`: the sentences the last answer quoted (as
    `normalise` writes them); their article is the one such a follow-up is about."""
    if not sources:
        return Judgement("unrelated", [])
    groups, essential = concepts(intent, known)
    describing = set()
    for index, entity in enumerate(intent.entities):
        if _describes(entity.name, intent.question):
            essential[index] = False  # "Which Hollywood actors": the actors must be found
            describing.add(index)
    named = [i < len(intent.entities) for i in range(len(groups))]
    # An everyday word the library never uses ("kind", "trying") says little about which
    # sentence answers; a name-like one the library lacks is essential (see `concepts`).
    weights = [
        max(weight(t) if known(t) or is_essential else EVERYDAY_UNKNOWN_WEIGHT for t in g)
        for g, is_essential in zip(groups, essential, strict=True)
    ]
    total = sum(weights) or 1.0
    article_text = _article_texts(sources)
    found_anywhere = [False] * len(groups)
    names_in: dict[str, set[int]] = {}  # article -> the question's names its text holds
    article_match: dict[str, float] = {}
    for name, text in article_text.items():
        text_terms = set(terms(text))
        # How much of the question the article's retrieved text holds: answers come from
        # the article the question is about, not from a neighbour on a similar story.
        article_match[name] = (
            sum(w * soft_share(g, text_terms) for g, w in zip(groups, weights, strict=True)) / total
        )
        for index, group in enumerate(groups):
            hit = (
                soft_share(group, text_terms) > 0.5
                if not named[index]
                else (len(matched(group, text_terms)) == len(group))
            )
            if not hit and named[index]:
                hit = entity_found(intent.entities[index], text, entities(text, known_names(text)))
            found_anywhere[index] = found_anywhere[index] or hit
            if hit and named[index] and (essential[index] or index in describing):
                names_in.setdefault(name, set()).add(index)
    # A name the retrieved chunks leave to "he" or "the company" is still the article's subject:
    # "according to Zvi Magen" is answered by a chunk that quotes him two paragraphs on.
    whole = {name: (article(name) if article else None) or "" for name in article_text}
    for index, entity in enumerate(intent.entities):
        if named[index] and not found_anywhere[index]:
            found_anywhere[index] = any(
                # (a place may be named by its people: "British" for "Britain")
                (entity.name.split()[-1] in text or entity.kind == "place")
                and entity_found(entity, text, entities(text, known_names(text)))
                for text in whole.values()
            )
    missing = [
        intent.entities[i].name if named[i] else _as_asked(groups[i], intent.question)
        for i in range(len(groups))
        if essential[i] and not found_anywhere[i]
    ]

    # Every sentence, and how rare each question word is among them: a word most retrieved
    # sentences share is the topic; a rare one is what the question asks about.
    sentences: list[tuple[Source, list[Passage], list[set[str]]]] = []
    for source in sources:
        items = units(source)
        sentences.append((source, items, [set(terms(p.text)) for p in items]))
    all_terms = [t for _, _, own in sentences for t in own]
    count = max(1, len(all_terms))
    local = []
    for group in groups:
        df = sum(1 for own in all_terms if soft_share(group, own) > 0)
        local.append(float(np.log((count + 1) / (df + 0.5))))
    property_weights = [
        w * loc if not named[i] else 0.0 for i, (w, loc) in enumerate(zip(weights, local))
    ]
    # The question's head word: the unnamed word most specific to it here ("funeral" in
    # "When is Tony Mendez's funeral?"), found or not.
    head = max(
        (
            i
            for i in range(len(groups))
            if not named[i] and not _FRAME.fullmatch(" ".join(groups[i]))
        ),
        key=lambda i: property_weights[i],
        default=None,
    )
    head_anywhere = 1.0 if head is None or found_anywhere[head] else 0.0
    # ... and whether the library has ever used it (or a synonym): "GDP", "born", "Olympics"
    # in a library that never speaks of them.
    head_known = head is None or any(
        known(t) or any(known(s) for s in synonyms(t)) for t in groups[head]
    )

    unnamed_groups = [g for i, g in enumerate(groups) if not named[i]]
    property_total = sum(property_weights) or 1.0
    unmatched = (
        sum(w for w, f, is_named in zip(weights, found_anywhere, named) if not f and not is_named)
        / total
    )
    names_missing = sum(1 for i in range(len(groups)) if named[i] and not found_anywhere[i]) / max(
        1, sum(named)
    )

    # A person the question names in full is meant by the surname alone, as news writes them
    # after the first mention ("Atwood, a Booker Prize-winner, was there to launch ..."). Dev
    # (2026-12-06): first sentence 0.647 -> 0.654, key facts unchanged, bundled unchanged; the
    # same for names of unknown kind ("Bruce McArthur") changed no answer, so it is left out.
    surnames = [
        set(terms(intent.entities[i].name.split()[-1]))
        if named[i] and intent.entities[i].kind == "person" and len(groups[i]) > 1
        else set()
        for i in range(len(groups))
    ]
    unit = counted_unit(intent.question) if intent.asks == "number" else ()
    defined = intent.subject if intent.asks == "description" else None
    first_sentence = {
        source.chunk_id: next((i for i, p in enumerate(items) if _is_sentence(p.text)), -1)
        for source, items, _ in sentences
    }
    scored: list[Candidate] = []
    for source, items, own_terms in sentences:
        near_close = closeness.get(source.chunk_id, 0.0)
        for i, passage in enumerate(items):
            own = own_terms[i]
            # A sentence of two content words can answer ("It was founded in 1992."); dev,
            # at least 3 before: key facts 0.742 -> 0.747, first sentence 0.639 -> 0.647.
            if len(own) < 2 or not _is_sentence(passage.text):
                continue
            near = set().union(*(own_terms[j] for j in (i - 1, i + 1) if 0 <= j < len(items)))
            credit = prop = prop_near = 0.0
            entity_hits = 0
            for index, group in enumerate(groups):
                inside = soft_share(group, own)
                around = soft_share(group, own | near)
                if surnames[index] and surnames[index] <= own:
                    inside = around = 1.0
                elif surnames[index] and surnames[index] <= near:
                    around = 1.0
                credit += weights[index] * max(inside, NEIGHBOUR_CREDIT * around)
                prop += property_weights[index] * inside
                prop_near += property_weights[index] * max(inside, NEIGHBOUR_CREDIT * around)
                entity_hits += named[index] and around > 0
            spans = answer_spans(passage.text, intent.asks, intent.question)
            features = (
                credit / total,
                prop / property_total,
                prop_near / property_total,
                entity_hits / max(1, sum(named)) if any(named) else 1.0,
                1.0 if spans else 0.0,
                near_close,
                1.0 if source.start == 0 and i == first_sentence.get(source.chunk_id, -1) else 0.0,
                min(1.0, len(own) / 30),
                proximity(passage.text, spans, unnamed_groups or groups)
                if intent.asks in _ANSWER_KINDS
                else 0.0,
                1.0 if head is None or soft_share(groups[head], own) > 0 else 0.0,
                article_match.get(source.source, 0.0),
            )
            score = _rank(features, 0.0, False)
            if unit and counts_unit(passage.text, unit):
                score += UNIT_BONUS
            if intent.speaker and _quotes(passage, intent.speaker, whole.get(source.source, "")):
                # "What did Bennett say ...?": Bennett's own words come first.
                score += SPEAKER_BONUS
            if defined and defines(defined, passage.text):
                score += DEFINITION_BONUS
            scored.append(Candidate(passage, features, 0.0, score))
    # When one article holds every name the question is about, the answer comes from such an
    # article: a sentence of another article that happens to hold the kind of fact asked for
    # ("Who opened fire at the party in Clairton?" answered with a name from a boat fire) is
    # about something else. Dev split: first sentence 0.602 -> 0.617, false answers 29 -> 28,
    # false refusals 1 -> 2, key facts 0.737 -> 0.726 (two two-part questions lost a fact).
    # (Not for a question about several, "How old were Guy and Conway?": each has an article.)
    # (A name that describes, "the Lion Air plane", counts when some article has it: then the
    # answer is not about another airline's plane.)
    wanted = {
        i
        for i in range(len(groups))
        if named[i] and (essential[i] or (i in describing and found_anywhere[i]))
    }
    several = len(wanted) > 1 and intent.about_several
    covering = {
        name for name, held in names_in.items() if wanted and held >= wanted and not several
    }
    followed = False  # a follow-up whose story some retrieved article is
    if not wanted and not intent.entities and (topic or conversation):
        # A follow-up naming nothing ("how many showed up?") is about the article the last
        # answer quoted, else the one naming what the question before it named.
        quoted = [s for s in conversation if s.count(" ") >= 4]  # (not "Yes.")
        plain = {n: normalise(whole.get(n) or text) for n, text in article_text.items() if quoted}
        shown_in = {name for name in plain if any(s in plain[name] for s in quoted)}
        # (When no article holds every name, the ones holding the most: "Where was the bus
        # headed?" after a question about "the pileup on I-75 near Gainesville" is about the
        # article naming Gainesville and "Interstate 75", not a bus crash in Cuba.)
        on_topic_ = _holding_most(topic, article_text) if topic else set()
        # ... and another article on that story: one naming the same and whose title shares
        # a word besides those names ("Samoan government ends state of emergency over
        # measles outbreak" and "... shuts down for measles vaccination drive"; not "Delhi
        # hotel fire" for "Cow urine party held in Delhi").
        titles = {s.source: _common_terms(s.title or "") for s in sources}
        story = set().union(*(titles[n] for n in shown_in)) if shown_in else set()
        covering = shown_in | {n for n in on_topic_ if titles[n] & story} or on_topic_
        followed = bool(covering)
        if len(covering) == len(article_text):
            covering = set()
    if covering:
        scored = [
            c if c.passage.source.source in covering else replace(c, on_subject=False)
            for c in scored
        ]
    scored.sort(key=lambda c: -c.score)
    if embed is not None and query_vector is not None and scored:
        top = scored if embed_all else scored[:EMBEDDED_CANDIDATES]
        # ... and what is said, names aside: the question and each sentence with their names
        # taken out, so that "suffering from prostate cancer" meets "What health problems did
        # Bishop Gutierrez have?" although every sentence of the article names Gutierrez.
        # (One batch for both: the model's cost is mostly per call.)
        asked = without_names(intent.question, [e.name for e in intent.entities])
        vectors = embed(
            [c.passage.text for c in top] + [asked] + [without_names(c.passage.text) for c in top]
        )
        sims = vectors[: len(top)] @ np.asarray(query_vector, dtype=np.float32)
        nameless = vectors[len(top) + 1 :] @ vectors[len(top)]
        for index, (candidate, sim, bare) in enumerate(zip(top, sims, nameless, strict=True)):
            value = max(0.0, float(sim))
            score = SIMILARITY_WEIGHT * value + NAMELESS_WEIGHT * max(0.0, float(bare))
            scored[index] = replace(candidate, similarity=value, score=candidate.score + score)
    scored.sort(key=lambda c: (-c.score, c.passage.source.n, c.passage.start))
    question_features = (unmatched, names_missing, head_anywhere)
    # Every name (or unknown word) the question hinges on is absent from what was retrieved.
    essential_missing = any(essential) and all(
        not f for f, e in zip(found_anywhere, essential, strict=True) if e
    )
    # ... but a name that only describes what is asked ("the Mindanao earthquake") is there:
    # the library is about this, and lacks only the asked word ("How many pagodas were
    # damaged in the Mindanao earthquake?"): the articles don't say, and the closest they come
    # is shown. (No dev question of any set takes this path; it was "Nothing in the library is
    # about pagoda".)
    about_this = essential_missing and any(found_anywhere[i] for i in describing)
    essential_missing = essential_missing and not about_this
    # A name the question hinges on that nothing retrieved mentions ("Olympics" in "What did
    # Putin say about the Olympics?"): what was retrieved is about something else. Acronyms
    # are left out: articles often spell them out ("EPA", "Environmental Protection Agency").
    name_missing = ANY_NAME_MISSING_REFUSES and any(
        named[i]
        and not found_anywhere[i]
        and not _acronym(intent.entities[i].name)
        and essential[i]
        for i in range(len(groups))
    )
    # A "why" is answered by a sentence without "because" as often as with one ("they were
    # going to a dance competition"): on the dev split requiring a causal word refused 6 of 19
    # answerable why-questions; not requiring it refuses none and adds 1 false answer of 33.
    outcome, probability = _outcome(
        scored,
        essential_missing,
        head_known and not name_missing,
        intent.asks not in ("reason", "list"),
        intent.asks,
        intent.question,
    )
    if outcome == "answered" and intent.asks == "person":
        # "Who was the captain of the Conception?": a name in a sentence that doesn't say
        # "captain" (or "captained") is someone else's. First set's dev split: false answers
        # 26 -> 23 (a tenant, a captain, pilots), no false refusal, second set's unchanged; the
        # 570 questions of six new-user probes: 3 of 90 unanswerable ones refused, 1 answerable
        # one (whose lead did not hold the answer either).
        role = role_asked(intent.question)
        lead = lead_candidate(scored, intent.asks)
        if role and lead is not None and not _says_role(role, lead.passage):
            outcome = "related"
    if about_this:
        outcome = "related"
    if outcome == "unrelated" and followed and not essential_missing:
        # The conversation's article is here: the library is about this; it just may not say.
        outcome = "related"
    head_word = " ".join(sorted(groups[head])) if head is not None else None
    return Judgement(outcome, scored, missing, probability, question_features, head_word)


_ROLE = re.compile(
    r"^(?:and\s+)?(?:who|what)\s+(?:is|was|were|are)\s+the\s+(?:(?:first\s+)?names?\s+of\s+"
    r"(?:the\s+)?)?(?:(?:[a-z\-]+\s+){0,2}?[\w\-]+['’]s\s+)?(?:[a-z\-]+\s+){0,2}?([a-z]{3,}?)s?"
    r"(?:\s+(?:of|in|for|at|on|behind|aboard|who|that|when)\b|\s*\??$)",
    re.IGNORECASE,
)
_GENERIC_ROLES = frozenset(
    {"person", "people", "man", "woman", "one", "name", "names", "guy", "group", "new", "current",
     "last", "first", "main"}
)  # fmt: skip


def role_asked(question: str) -> str | None:
    """The role a "who is the X of ..." question asks to fill: "owner", "captain", "pilot"."""
    found = _ROLE.match(question.strip()[:300])
    if not found:
        return None
    word = found.group(1).lower()
    return None if word in _GENERIC_ROLES or word.endswith("ed") else word


def _says_role(role: str, passage: Passage) -> bool:
    """Whether the sentence (or the one before it) names the role, in any form: "owner",
    "owned", "owns"; "pilot", "piloted"."""
    text = passage.text
    before = previous_unit(passage)
    if before is not None:
        text = f"{before.text} {text}"
    wanted = set(terms(role))
    for w in list(wanted):
        wanted |= set(synonyms(w))
        if w.endswith(("er", "or")) and len(w) >= 5:
            wanted.add(w[:-2])
    own = set(terms(text))
    return any(related(a, b) for a in wanted for b in own)


def _quotes(passage: Passage, speaker_name: str, article_text: str = "") -> bool:
    """Whether the sentence gives `speaker_name`'s words ("X said", "... he said" for X), who
    "he" is read from the whole article when it is at hand."""
    source = passage.source
    if article_text[passage.start : passage.end] == passage.text:
        before, context = article_text[: passage.start], article_text
    else:
        before, context = source.text[: max(0, passage.start - source.start)], source.text
    found = speaker(passage.text, before, known_names(context))
    return found is not None and same_person(found, speaker_name)


# What follows a name in a sentence that says what it is: an apposition ("Leonov, a Soviet
# cosmonaut", "Magen, who heads ...", "Biljon, owner of the lodge"), a copula with its article
# or a word of renown ("youtube-dl is a free ...", "Leonov was famous for ..."), or a bracket.
_DEFINITION = re.compile(
    r"(?:['’]s)?(?:\s*,\s*(?:a|an|the|who|which|one|also known as|known as|now|then|formerly"
    r"|[a-z][\w\-]*\s+(?:of|for|at|in|to)\b)"
    r"|\s+(?:is|was|are|were|has been|had been)\s+(?:a|an|the|one|also|widely|best|known|famous"
    r"|considered|regarded|remembered|noted)\b|\s*\()",
)
# Characters before the name: the sentence's subject after an opening phrase ("On Saturday, in
# a brief but official statement, US President Donald Trump said Hamza bin Laden, son of ...",
# 75), not a later mention. Not tuned.
DEFINED_WITHIN = 80


def defines(subject: str, text: str) -> bool:
    """Whether `text` says what `subject` is (see `_DEFINITION`); a person may be named by
    the surname alone ("Leonov was famous for ...")."""
    subject = subject.strip(" ?.!")
    names = [subject]
    if len(subject.split()) > 1 and subject[:1].isupper():
        names.append(subject.split()[-1])
    for name in names:
        at = text.find(name)
        if 0 <= at <= DEFINED_WITHIN and _DEFINITION.match(text, at + len(name)):
            return True
    return False


def without_names(text: str, names: Sequence[str] | None = None) -> str:
    """The text with the names in it (or `names`) taken out; the text itself if nothing is
    left."""
    if names is None:
        names = [e.name for e in entities(text)]
    bare = text
    for name in sorted(names, key=len, reverse=True):
        bare = bare.replace(name, " ")
    return " ".join(bare.split()) or text


def _rank(features: tuple[float, ...], similarity: float, embedded: bool) -> float:
    score = sum(w * f for w, f in zip(RANK_WEIGHTS, features, strict=True))
    return score + (SIMILARITY_WEIGHT * similarity if embedded else 0.0)


# Questions whose lead is simply the best sentence: a reason is given without "because" as often
# as with it ("After Sulík failed to procure test kits, the Prime Minister apologised"), and a
# list without its commas. On 695 dev questions (three sets' dev splits, every sentence scored
# as at run time but without the bonuses), the best sentence held the answer for 0.400 of
# the "why" questions and 0.409 of the lists, the best causal (or listing) one of the four
# best for 0.345 and 0.364; other kinds were as good or better with the kind required.
UNTYPED_LEAD = frozenset({"reason", "list"})


def lead_candidate(
    ranked: Sequence[Candidate], asks: str = "", question: str = ""
) -> Candidate | None:
    """The sentence an answer leads with: the best of the TYPED_POOL best that holds the kind
    of fact asked for, else the best (for UNTYPED_LEAD questions, the best that shares enough of
    the question). For "Which god ...?", "What network ...?", the best of those that name one as
    such ("the god Thoth", "the Jamaah Ansharut Daulah network"); for "Where ... from?", of those
    that say where from."""
    ranked = [c for c in ranked if c.on_subject] or list(ranked)
    if asks in UNTYPED_LEAD:
        # The best of the TYPED_POOL best that shares enough of the question to answer it
        # (MIN_EVIDENCE): "Why did the home minister say officials were to blame?" leads with
        # the minister's words, not a fire officer's on the cause. Dev (2026-12-07): two
        # seventh-set answers gained (z085 was refused), nothing else changed; graded dev
        # answerable refused 22 -> 20, anywhere 0.664 -> 0.667, first sentence 0.504 -> 0.501.
        # (For every kind, the typed ones alike: 4 more false answers, "When was he diagnosed?"
        # answered with the date he died.)
        pool = ranked[:TYPED_POOL]
        return next((c for c in pool if c.evidence >= MIN_EVIDENCE), pool[0] if pool else None)
    typed = [c for c in ranked[:TYPED_POOL] if c.typed]
    which = _WHICH_NOUN.match(question[:300]) if asks in _NAMED_KINDS else None
    if which:
        noun = re.escape(which.group(1).lower())
        named_as = re.compile(
            rf"[A-Z][\w\-’']*\s+(?:[a-z]+\s+)?{noun}s?\b|\b{noun}s?,?\s+(?:[a-z]+\s+)?[A-Z]"
        )
        typed = _preferring(typed, named_as)
    if asks == "place" and _ASKS_ORIGIN.search(question[:300]):
        # "Where is Kyle Rittenhouse from?": the sentence saying where someone or something is
        # from ("A resident of Antioch, Illinois"), not one naming where it happened.
        typed = _preferring(typed, _ORIGIN)
    return typed[0] if typed else (ranked[0] if ranked else None)


def _preferring(candidates: list[Candidate], pattern: re.Pattern[str]) -> list[Candidate]:
    """The candidates whose sentence `pattern` finds, else all of them."""
    return [c for c in candidates if pattern.search(c.passage.text[:2000])] or candidates


_NAMED_KINDS = frozenset({"person", "organisation", "place"})
# A question for where someone or something comes from, and a sentence saying it. Not tuned.
_ASKS_ORIGIN = re.compile(r"\bfrom\s*\??\s*$|\bhometown\b|\bcome from\b", re.IGNORECASE)
_ORIGIN = re.compile(
    r"\b(?:from|resident of|residents of|native of|natives of|born in|hometown of|hails from)"
    r"\s+(?:the\s+)?(?:[a-z]+\s+){0,2}[A-Z]"
)


# A sentence saying that what is asked was not made known: "The NBA did not release the
# identity of the player", "While not naming any other bidders", "as yet unnamed managers".
# News states this often, and such a sentence is what a search for the question finds first.
_WITHHELD = re.compile(
    r"\b(?:(?:did|do|does|has|have|had|was|were|is|are)(?:n[’']t| not)"
    r"(?: yet| immediately| been| publicly| officially| formally)*"
    r" (?:release|reveal|disclose|name|identif|specif|confirm|known|clear|determin|establish"
    r"|made public|publish|announce|mention|decide)\w*"
    # "No cause of death was announced", "no details were given"
    r"|\bno (?:cause|reason|motive|details?|names?|information|figures?)(?: of \w+)?"
    r" (?:was|were|has been|have been|had been) (?:immediately |yet |officially |publicly )?"
    r"(?:given|released|announced|disclosed|made public|provided|reported|offered"
    # "No cause was immediately known" (seventh set's dev z092)
    r"|known|determined|established|identified)"
    r"|not (?:yet )?(?:been )?(?:named|identified|released|disclosed|known|determined|revealed"
    r"|made public)"
    r"|unnamed|unidentified|undisclosed|unknown|unclear|without naming|not naming"
    r"|(?:declined|refused) to (?:name|say|disclose|reveal|identify|comment|give|specify)"
    # "has yet to be calculated"
    r"|(?:has|have|had|is|are|was|were) yet to be \w+ed)\b",
    re.IGNORECASE,
)
# ... and what withholds only a reason: "Volker resigned without public explanation" says why
# is not known, not who resigned (for every question, it refused "Which envoy resigned?" on the
# first set's dev split).
_NO_REASON_GIVEN = re.compile(
    r"\bwithout (?:any |a |public |giving a |giving any )?(?:explanation|reason)\b"
    # "no official statement had been made on the man's motivation" (fourth set's dev split)
    r"|\bno (?:official |public )?(?:statement|explanation|comment|word)s? (?:(?:had|has) been "
    r"|was |were )?(?:made |given |issued |released )?(?:on|about|regarding|as to) (?:the |his "
    r"|her |their |its )?(?:[\w\-]+['’]s )?(?:motiv|reason|cause)",
    re.IGNORECASE,
)


def withheld(text: str, asks: str = "") -> bool:
    """Whether `text` says that something was not made known (see `_WITHHELD`), or, for a
    "why" question, that no reason was given."""
    # (Not in someone's quoted words: "a decree that bars any person with an undisclosed face"
    # is what was signed, not something kept back.)
    text = _QUOTED.sub(" ", text[:2000])
    if asks == "reason" and _NO_REASON_GIVEN.search(text):
        return True
    return _WITHHELD.search(text) is not None


_QUOTED = re.compile(r"“[^“”]{0,1500}”|\"[^\"]{0,1500}\"")


# "Which X ...?"/"What X ...?": the noun that says what kind of thing is to be named.
_WHICH_NOUN = re.compile(
    r"^(?:\w+ )?(?:which|what) (?:[\w\-]+ ){0,3}?([a-z]{3,}?)s? (?:did|does|do|is|was|were|are"
    r"|has|have|had|will|would)\b",
    re.IGNORECASE,
)
# ... told of without a name: "a farm animal sanctuary", "a prolonged illness".
_A_KIND = r"\b(?:a|an|another|one|some)\s+(?:[\w\-]+\s+){{0,3}}?{noun}s?\b"
# A name beside it, which names it after all: "Cream, an early supergroup", "RAF Croughton
# which is an intelligence base", "a company, spotLESS Materials", "an illness, cancer."
_NAMED_BEFORE = re.compile(r"[A-Z][\w\-’']*[)\"”]?\s*(?:,|\bwhich is|\bwho is|\bis|\bwas)?\s*$")
_NAMED_AFTER = re.compile(
    r"\s*(?:,\s*|\s+(?:called|named|known as)\s+)[\"“]?(?:[A-Z]|[a-z]+[A-Z])"
    r"|\s*,\s*(?!according\b|said\b|says\b|reportedly\b|which\b|who\b)[a-z]+(?:\s+[a-z]+)?\s*[,.]"
)
# ... and nothing more said of it: "for a farm animal sanctuary." (not "passed a milestone in
# September, becoming the only ...", which says what it was).
_NOTHING_MORE = re.compile(r"\s*(?:[.;!?\"”]|$|,\s*(?:according|said|says|reportedly)\b)")
NAME_WITHIN = 40  # characters either side of the "a X" where a name would be (not tuned)


def unnamed(text: str, question: str) -> bool:
    """Whether `text` tells of what a "which X" question asks for only as "a X", with no name
    beside it: the articles say there was one, not which."""
    which = _WHICH_NOUN.match(question[:300])
    if not which:
        return False
    pattern = re.compile(_A_KIND.format(noun=re.escape(which.group(1).lower())), re.IGNORECASE)
    for hit in pattern.finditer(text[:2000]):
        before = text[max(0, hit.start() - NAME_WITHIN) : hit.start()]
        after = text[hit.end() : hit.end() + NAME_WITHIN]
        if (
            not _NAMED_BEFORE.search(before)
            and not _NAMED_AFTER.match(after)
            and _NOTHING_MORE.match(after)
        ):
            return True
    return False


def _outcome(
    ranked: list[Candidate],
    essential_missing: bool,
    head_known: bool,
    need_kind: bool = True,
    asks: str = "",
    question: str = "",
) -> tuple[Outcome, float]:
    """The outcome, and the evidence of the sentence it rests on."""
    lead = lead_candidate(ranked, asks)
    if lead is None or essential_missing:
        return "unrelated", 0.0  # nothing retrieved names what the question is about
    evidence = lead.evidence
    said = lead.passage.text
    previous = previous_unit(lead.passage) if needs_context(said.lstrip()) else None
    if previous is not None:
        said = f"{previous.text} {said}"  # as the answer reads it, with the sentence before
    if withheld(said, asks) and not (lead.typed and asks in ("number", "date")) and asks != "yesno":
        # The sentence that best answers says the answer was not given: the articles don't
        # say (a number or date beside it still answers: "not named, he was 45"). First set's
        # dev split: false answers 28 -> 25 (which player, which bidders, which managers), no
        # answerable question's lead sentence says this; second set's dev split ("yet to be",
        # "without explanation"): 10 -> 8, nothing else changed. (Not for a yes/no question:
        # "the Senate had not confirmed him" answers "Did the Senate confirm him?" with no; dev
        # sets unchanged.)
        return "related", evidence
    # (A lead without the question's head word, or a synonym, is no sign of an unanswerable
    # question: on the three gold sets' dev splits (2026-12-07), refusing such leads below a
    # question similarity of 0.3 / 0.35 / 0.4 would refuse 7 / 12 / 24 answerable questions to
    # catch 0 / 4 / 6 unanswerable ones.)
    if (lead.typed or not need_kind) and evidence >= MIN_EVIDENCE and head_known:
        if unnamed(lead.passage.text, question):
            # "Which farm animal sanctuary did Furnal Equinox support?": "raised funds for a
            # farm animal sanctuary" tells of one without saying which. Dev (2026-12-07): false
            # answers 23 of 33 (first set, "a prolonged illness") and 8 of 13 (third set) from
            # 24 and 9; graded dev unanswerable refused 16 -> 17; no answerable one refused.
            return "related", evidence
        return "answered", evidence
    best = max(c.evidence for c in ranked)
    return ("related" if best >= MIN_RELATED else "unrelated"), evidence


_DETERMINER = frozenset(
    "which what the a an these those some any other his her their its our whose".split()
)


def _describes(name: str, question: str) -> bool:
    """Whether the name only describes what is asked about ("Which Hollywood actors ...",
    "the Olympian religion"), rather than being who or what it is about."""
    words = question.split()
    parts = name.split()
    for i in range(1, len(words) - len(parts)):
        if [w.strip("?,.") for w in words[i : i + len(parts)]] != parts:
            continue
        after = words[i + len(parts)]
        return words[i - 1].lower() in _DETERMINER and after[:1].islower()
    return False


def _acronym(name: str) -> bool:
    letters = name.replace(".", "").replace("&", "")
    return letters.isupper() and len(letters) <= 6


def _is_sentence(text: str) -> bool:
    """A whole sentence, not a heading or a label ("Avoiding Direct Condemnation –")."""
    stripped = text.rstrip()
    # A question in an article is a heading or a rhetorical device, never an answer.
    return stripped.endswith((".", "!", '"', "”", "’", "'", ")")) and len(stripped) > 20


def on_topic(topic: str, sources: Sequence[Source], weight: Weight) -> list[Source]:
    """The sources whose article is about an overview's `topic` ("Kobe Bryant", "the maker
    faire in Tyler"): the article's retrieved text and title hold every name the topic gives and
    its rarest other word. A search for any topic returns articles; most of them, for a topic
    one article covers, are about something else."""
    names = entities(topic[:MAX_TOPIC_CHARS], known_names(topic[:MAX_TOPIC_CHARS]))
    named = {t for e in names for t in terms(e.name)}
    rest = [t for t in terms(topic[:MAX_TOPIC_CHARS]) if t not in named]
    rarest = max(rest, key=weight, default=None)
    held_by = _article_texts(sources)
    texts = {name: set(terms(held)) for name, held in held_by.items()}
    with_names = {name for name, held in held_by.items() if _holds_all(names, held)}
    # Every other word of the topic ("coronavirus" and "outbreak": not an Ebola outbreak), or
    # when no article has them all, its rarest.
    about = {n for n in with_names if all(soft_share({t}, texts[n]) > 0 for t in rest)} or {
        n for n in with_names if rarest is None or soft_share({rarest}, texts[n]) > 0
    }
    return [s for s in sources if s.source in about]


def _common_terms(text: str) -> set[str]:
    """The terms of `text` outside its names ("hotel fire kills" of "Hotel fire kills at least
    seventeen in Karol Bagh, New Delhi")."""
    named = {t for e in entities(text, known_names(text)) for t in terms(e.name)}
    return set(terms(text)) - named


def _article_texts(sources: Sequence[Source]) -> dict[str, str]:
    """Each retrieved article's title and its retrieved chunks, in retrieval order."""
    texts: dict[str, str] = {}
    for source in sources:
        texts[source.source] = f"{texts.get(source.source, source.title or '')}\n{source.text}"
    return texts


def _holds_all(names: Sequence[Entity], text: str) -> bool:
    """Whether `text` names every one of `names`, by any name it gives them."""
    return _held(names, text) == len(names)


def _held(names: Sequence[Entity], text: str) -> int:
    """How many of `names` `text` names, by any name it gives them."""
    found = entities(text, known_names(text))
    return sum(entity_found(e, text, found) for e in names)


def _holding_most(names: Sequence[Entity], texts: Mapping[str, str]) -> set[str]:
    """The texts (by key) that name the most of `names`, at least one."""
    held = {key: _held(names, text) for key, text in texts.items()}
    most = max(held.values(), default=0)
    return {key for key, count in held.items() if count == most and most > 0}


MAX_TOPIC_CHARS = 300
