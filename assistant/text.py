"""Word-level text analysis shared by retrieval, the offline answerer and citation checks."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from functools import lru_cache

import Stemmer

# Function words and question framing: they say nothing about what is asked.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren't",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "can't",
        "cannot",
        "could",
        "couldn't",
        "did",
        "didn't",
        "do",
        "does",
        "doesn't",
        "doing",
        "don't",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "hadn't",
        "has",
        "hasn't",
        "have",
        "haven't",
        "having",
        "he",
        "he'd",
        "he'll",
        "he's",
        "her",
        "here",
        "here's",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "how's",
        "i",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "isn't",
        "it",
        "it's",
        "its",
        "itself",
        "let's",
        "me",
        "more",
        "most",
        "mustn't",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "ought",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "shan't",
        "she",
        "she'd",
        "she'll",
        "she's",
        "should",
        "shouldn't",
        "so",
        "some",
        "such",
        "than",
        "that",
        "that's",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "there's",
        "these",
        "they",
        "they'd",
        "they'll",
        "they're",
        "they've",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "wasn't",
        "we",
        "we'd",
        "we'll",
        "we're",
        "we've",
        "were",
        "weren't",
        "what",
        "what's",
        "when",
        "when's",
        "where",
        "where's",
        "which",
        "while",
        "who",
        "who's",
        "whom",
        "why",
        "why's",
        "will",
        "with",
        "won't",
        "would",
        "wouldn't",
        "you",
        "you'd",
        "you'll",
        "you're",
        "you've",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "s",
        "t",
        "d",
        "ll",
        "re",
        "ve",
        "m",
        "o",
        "y",
        "just",
        "now",
        "may",
        "might",
        "must",
        "shall",
        "according",
        "article",
        "articles",
        "say",
        "says",
        "said",
        "tell",
        "told",
        "mention",
        "mentioned",
        "mentions",
        "describe",
        "described",
        "explain",
        "explained",
        "discuss",
        "discussed",
        "give",
        "gives",
        "given",
        "according",
        "also",
        "many",
        "much",
        "else",
        "besides",
        "one",
        "two",
    ]
)
_WORD = re.compile(r"[\w][\w'’\-]*", re.UNICODE)
# Irregular verb forms the stemmer leaves alone ("led" is not "lead"), mapped to their base so a
# question's "leads" meets an article's "led". Forms that are also other words (left, found,
# saw, rose, fell, lay) are left out.
_IRREGULAR = {
    form: base
    for base, forms in {
        "lead": "led", "meet": "met", "take": "took taken", "give": "gave given",
        "go": "went gone", "come": "came", "make": "made", "tell": "told", "win": "won",
        "lose": "lost", "hold": "held", "keep": "kept", "bring": "brought", "buy": "bought",
        "sell": "sold", "send": "sent", "spend": "spent", "build": "built", "pay": "paid",
        "run": "ran", "begin": "began begun", "become": "became", "choose": "chose chosen",
        "drive": "drove driven", "fly": "flew flown", "fight": "fought", "grow": "grew grown",
        "know": "knew known", "mean": "meant", "speak": "spoke spoken", "steal": "stole stolen",
        "stand": "stood", "strike": "struck", "teach": "taught", "think": "thought",
        "throw": "threw thrown", "write": "wrote written", "withdraw": "withdrew withdrawn",
        "break": "broke broken", "catch": "caught", "flee": "fled", "deal": "dealt",
        "draw": "drew drawn", "eat": "ate eaten", "feel": "felt", "hear": "heard",
        "seek": "sought", "sink": "sank sunk", "sit": "sat", "sleep": "slept", "swim": "swam",
        "understand": "understood", "wear": "wore worn", "forbid": "forbade forbidden",
        "freeze": "froze frozen", "shake": "shook shaken", "arise": "arose arisen",
        "undergo": "underwent undergone", "overcome": "overcame", "forgive": "forgave forgiven",
    }.items()
    for form in forms.split()
}  # fmt: skip
_stemmer = Stemmer.Stemmer("english")
# Raise when `terms` changes in a way its tables below do not show (a new rule in `words`, a
# different stemmer): a persisted keyword index made by the old analysis is then rebuilt.
TOKENIZER_VERSION = 2


def tokenizer_fingerprint() -> str:
    """What `terms` depends on: the version above, the word pattern, the stopwords, the
    irregular forms and the stemmer. A keyword index records it and is rebuilt when it differs
    (a stemmer's new release is caught by the index's probe text, assistant/retrieval.py)."""
    import hashlib

    parts = [
        f"v{TOKENIZER_VERSION}",
        _WORD.pattern,
        " ".join(sorted(STOPWORDS)),
        " ".join(f"{form}>{base}" for form, base in sorted(_IRREGULAR.items())),
        "snowball-english",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def words(text: str) -> list[str]:
    """Lower-cased word tokens, apostrophes normalised, possessive 's dropped."""
    out = []
    for raw in _WORD.findall(text.lower()):
        word = raw.replace("’", "'").strip("'-")
        word = word.removesuffix("'s")
        if word:
            out.append(word)
    return out


def normalise(text: str) -> str:
    """`text` as its words in lower case, one space apart: the same sentence however it was
    punctuated or spaced."""
    return " ".join(re.findall(r"\w+", text.lower()))


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return str(_stemmer.stemWord(_IRREGULAR.get(word, word)))


def terms(text: str) -> list[str]:
    """Content terms: stemmed words without stopwords (hyphenated words also give their parts)."""
    return list(_terms(text))


@lru_cache(maxsize=32768)
def _terms(text: str) -> tuple[str, ...]:
    return tuple(terms_uncached(text))


def terms_uncached(text: str) -> list[str]:
    """`terms` without the cache, for indexing many texts once each (the cache is for questions
    and retrieved passages, which come back)."""
    out: list[str] = []
    for word in words(text):
        if word in STOPWORDS:
            continue
        out.append(_stem(word))
        if "-" in word:
            out.extend(_stem(part) for part in word.split("-") if part and part not in STOPWORDS)
    return out


MIN_PREFIX = 4


def related(a: str, b: str) -> bool:
    """Two stems name the same thing: equal, or one a prefix (>= 4 chars) of the other
    (israel/isra-eli, russia/russian, syria/syrian)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= MIN_PREFIX and long_.startswith(short)


@lru_cache(maxsize=32768)
def _prefixes(text_terms: frozenset[str]) -> frozenset[str]:
    return frozenset(t[:i] for t in text_terms for i in range(MIN_PREFIX, len(t)))


def matched(query_terms: AbstractSet[str], text_terms: AbstractSet[str]) -> set[str]:
    """The query terms that some text term is related to (see `related`)."""
    frozen = frozenset(text_terms)
    prefixes = _prefixes(frozen)
    return {
        q
        for q in query_terms
        if q in frozen
        or (len(q) >= MIN_PREFIX and q in prefixes)
        or any(q[:i] in frozen for i in range(MIN_PREFIX, len(q)))
    }


# A synonym (WordNet, see assistant/data/NOTICE.md) counts for this much of a word match.
SYNONYM_CREDIT = 0.7


@lru_cache(maxsize=1)
def _synonym_table() -> dict[str, frozenset[str]]:
    from importlib import resources

    raw = (resources.files("assistant") / "data" / "synonyms.tsv").read_text(encoding="utf-8")
    table: dict[str, frozenset[str]] = {}
    for line in raw.splitlines():
        stem_, _, others = line.partition("\t")
        if others:
            table[stem_] = frozenset(others.split())
    return table


def synonyms(term: str) -> frozenset[str]:
    """Stems of words meaning the same as `term` in its most common senses."""
    return _synonym_table().get(term, frozenset())


def soft_share(group: set[str], text_terms: set[str]) -> float:
    """The share of a concept's terms the text has: a word (or a related form) counts 1, a
    synonym SYNONYM_CREDIT."""
    if not group:
        return 0.0
    exact = matched(group, text_terms)
    credit = float(len(exact))
    for term in group - exact:
        if synonyms(term) & text_terms:
            credit += SYNONYM_CREDIT
    return credit / len(group)
