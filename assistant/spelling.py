"""Reading a question as it was meant: a question typed in capitals is read in sentence case,
and a misspelt word as the word one edit away that the library or English has ("pasengers" is
"passengers", "wher" is "where"), in the way of Norvig's spelling corrector. Without
this, such words read as names the library lacks, and the answer is "Nothing in the library is
about paseng or wer"."""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from assistant.facts import english_ranks
from assistant.text import STOPWORDS, _stem

Known = Callable[[str], bool]  # a term (stem) some chunk of the library has
Weight = Callable[[str], float]  # a term's IDF in the library

# A word, in any alphabet ("Rosselló" is one word, and not read: only English letters are).
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LETTERS = string.ascii_lowercase
# Misspelt words corrected, at most: a long question costs no more than a short one.
MAX_CHECKED = 12
# A word shorter than this is left as it is; one of SHORT_LETTERS is read only as missing a
# letter ("wer" as "were": among its other neighbours, "we", "her", the slip is least clear).
MIN_LETTERS = 3
SHORT_LETTERS = 3
MAX_LETTERS = 20  # a longer "word" is no typing slip, and its neighbours are many and long
# A question with at least this share of its letters in capitals was typed in capitals.
CAPITALS_SHARE = 0.8


# Words typed without their apostrophe, read as written out, also opening a question ("Whats
# going on with Lorenzo?" read as about "what"). (Not the ones that are words or names too:
# "its", "were", "well", "lets", "id", "Im".)
_CONTRACTED = {
    **{w: w[:-1] + "'s" for w in "whats thats whos wheres hows whens whys theres heres".split()},
    **{w: w[:-2] + "n't" for w in "dont doesnt didnt isnt arent wasnt werent hasnt havent hadnt"
       " couldnt wouldnt shouldnt".split()},
    **{w + suffix: f"{w} did" for w in "why how where what when".split()
       for suffix in ("'d", "’d")},
    "cant": "can't", "wont": "won't", "ive": "I've", "youre": "you're", "theyre": "they're",
}  # fmt: skip
# Chat shorthand, read as written out only in lower case ("enuf" was read as the library's
# "enur"; "R Kelly" and "Ur" are names).
_CHAT = {
    "enuf": "enough", "abt": "about", "wat": "what", "wht": "what", "u": "you", "ur": "your",
    "r": "are", "pls": "please", "plz": "please", "ppl": "people", "bc": "because",
    "cuz": "because", "coz": "because", "tho": "though", "thru": "through",
    "govt": "government", "gov": "government", "yrs": "years", "wanna": "want to",
    "gonna": "going to", "gotta": "got to", "bday": "birthday", "prez": "president",
    "guvnor": "governor", "pres": "president", "wen": "when", "yr": "year",
    "celebs": "celebrities", "celeb": "celebrity", "info": "information",
}  # fmt: skip
MIN_DROPPED_G = 5  # "handlin" -> "handling"; not "thin", "kin", "sin" (thing, king, sing)


@dataclass(frozen=True)
class Reading:
    """The question as it is read, and each word read otherwise (typed, read as)."""

    question: str
    changed: tuple[tuple[str, str], ...] = ()

    @property
    def note(self) -> str | None:
        if not self.changed:
            return None
        read = ", ".join(f"“{typed}” as “{meant}”" for typed, meant in self.changed)
        return f"Read {read}."


def read(question: str, known: Known, weight: Weight) -> Reading:
    """`question` in sentence case if typed in capitals, with misspelt words corrected."""
    letters = [c for c in question if c.isalpha()]
    if len(letters) >= 10 and sum(c.isupper() for c in letters) >= CAPITALS_SHARE * len(letters):
        question = question[:1].upper() + question[1:].lower()
    changed: list[tuple[str, str]] = []
    parts: list[str] = []
    position = 0
    checked = 0
    for match in _WORD.finditer(question):
        word = match.group(0)
        written = _CHAT.get(word) or (
            _CONTRACTED.get(word.lower())
            if word.islower() or (match.start() == 0 and word[1:].islower())
            else None
        )
        if not written and word.islower():
            written = _dropped_g(word)
        if written:
            written = written[:1].upper() + written[1:] if word[:1].isupper() else written
            parts += [question[position : match.start()], written]
            position = match.end()
            changed.append((word, written))
            continue
        if not _misspelt(word, known) or checked == MAX_CHECKED:
            continue
        checked += 1
        meant = _correction(word.lower(), known, weight)
        if meant:
            parts.append(question[position : match.start()])
            parts.append(meant)
            position = match.end()
            changed.append((word, meant))
    parts.append(question[position:])
    return Reading("".join(parts), tuple(changed))


def cased(question: str, texts: Sequence[str]) -> str:
    """A question typed all in lower case with its names written as `texts` (the passages
    retrieved for it) write them: "where was wiranto stabbed" as "where was Wiranto stabbed",
    "new hampshire" as "New Hampshire". A word (or pair of words) is a name when the texts write
    it with a capital inside a sentence and never in lower case ("us" stays: "told us")."""
    if any(c.isupper() for c in question[1:]):
        return question  # typed with capitals: taken as written
    forms: dict[str, Counter[str]] = {}
    for text in texts:
        previous: re.Match[str] | None = None
        counted = False  # whether the word before was counted (not a sentence's capital)
        for match in _WORD.finditer(text):
            word = match.group(0)
            gap = text[previous.end() : match.start()] if previous else "."
            inside = not gap.strip() or gap.strip()[-1] not in _OPENS_A_SENTENCE
            if word.islower() or inside:
                forms.setdefault(word.lower(), Counter())[word] += 1
                if previous is not None and gap == " " and counted:
                    pair = f"{previous.group(0)} {word}"
                    forms.setdefault(pair.lower(), Counter())[pair] += 1
            counted = word.islower() or inside
            previous = match
    words = list(_WORD.finditer(question))
    meant: dict[int, str] = {}  # the start of a word in the question -> its form in the texts
    for first, second in zip(words, words[1:], strict=False):
        pair = f"{first.group(0)} {second.group(0)}"
        if question[first.end() : second.start()] == " " and pair.islower():
            written = _name_form(pair, forms)
            if written and all(w[:1].isupper() for w in written.split(" ")):
                meant[first.start()], meant[second.start()] = written.split(" ")
    for match in words:
        word = match.group(0)
        common = english_ranks().get(word, COMMON_RANK) < COMMON_RANK
        if match.start() not in meant and word.islower() and word not in STOPWORDS and not common:
            written = _name_form(word, forms)
            if written:
                meant[match.start()] = written
    parts, position = [], 0
    for match in words:
        if match.start() in meant:
            parts += [question[position : match.start()], meant[match.start()]]
            position = match.end()
    return "".join(parts) + question[position:]


# The embedding model's vocabulary lists commoner words first; the thousand commonest ("new",
# "state", "home", "white") open names but are read as names only in a pair ("new hampshire").
COMMON_RANK = 3000
_OPENS_A_SENTENCE = ".!?:;\"“‘'(–—-•*"


def _name_form(lowered: str, forms: dict[str, Counter[str]]) -> str | None:
    """How the texts write `lowered`, if only ever with capitals (the commonest such form)."""
    seen = forms.get(lowered)
    if not seen or lowered in seen or len(lowered) < MIN_LETTERS:
        return None
    return seen.most_common(1)[0][0]


def _dropped_g(word: str) -> str | None:
    """ "handlin" as "handling", "nothin" as "nothing": an "-in" for "-ing" that English uses
    more often with its "g"."""
    if len(word) < MIN_DROPPED_G or not word.endswith("in"):
        return None
    ranks = english_ranks()
    full = ranks.get(word + "g")
    if full is None or (word in ranks and ranks[word] < full):
        return None
    return word + "g"


def _misspelt(word: str, known: Known) -> bool:
    """Whether `word` may be misspelt: a word in lower case that neither English nor the library
    has. A capitalised word is taken as written: a name the library lacks is more likely a name
    it lacks than a misspelling of one it has."""
    return (
        word.isascii()
        and word.islower()
        and "'" not in word
        and "’" not in word
        and MIN_LETTERS <= len(word) <= MAX_LETTERS
        and _stem(word) not in _english_stems()  # "backers": "backer" is an English word
        and not known(_stem(word))
    )


def _correction(lowered: str, known: Known, weight: Weight) -> str | None:
    """The word one edit away that `lowered` was meant to be, if there is one."""
    # Most likely first: an English word the library has, then an English word, then a word
    # only the library has; within each, a swapped pair of letters before a letter left out,
    # one mistyped, one too many; then the commoner word.
    ranks = english_ranks()
    unranked = len(ranks)
    found: list[tuple[int, int, float, str]] = []
    for candidate, kind in _edits(lowered).items():
        if len(lowered) <= SHORT_LETTERS and kind > 1:
            continue
        in_library = candidate in STOPWORDS or known(_stem(candidate))  # ("were": unindexed)
        english = ranks.get(candidate)
        if english is None and _stem(candidate) in _english_stems():
            english = unranked
        if english is not None:
            found.append((0 if in_library else 1, kind, english, candidate))
        elif in_library:
            found.append((2, kind, weight(_stem(candidate)), candidate))
    return min(found)[3] if found else None


def _edits(word: str) -> dict[str, int]:
    """Every string one edit from `word`, with the kind of edit: 0 a transposition, 1 an
    insertion or a doubled letter undone, 2 a replacement, 3 a deletion (the likelier kinds of
    typing slip first)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found: dict[str, int] = {}
    kinds = (
        {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1},
        # a letter left out, or one of a pair typed twice ("toilett")
        {a + c + b for a, b in splits for c in _LETTERS}
        | {a + b[1:] for a, b in splits if len(b) > 1 and b[0] == b[1]},
        {a + c + b[1:] for a, b in splits if b for c in _LETTERS},
        {a + b[1:] for a, b in splits if b},
    )
    for rank, candidates in enumerate(kinds):
        for candidate in candidates:
            found.setdefault(candidate, rank)
    found.pop(word, None)
    return found


@cache
def _english_stems() -> frozenset[str]:
    """Stems of English words: WordNet 3.0's (assistant/data/english_stems.txt, built by
    scripts/build_synonyms.py) and the embedding model's vocabulary."""
    raw = (resources.files("assistant") / "data" / "english_stems.txt").read_text(encoding="utf-8")
    return frozenset(raw.split()) | {_stem(w) for w in english_ranks()}
