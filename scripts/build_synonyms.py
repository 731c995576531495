"""Build assistant/data/synonyms.tsv, opposites.tsv and english_stems.txt from the WordNet 3.0
database (a development step; the project ships the result, never reads WordNet at run time).

    apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb wordnet
    uv run python scripts/build_synonyms.py wordnet/usr/share/wordnet

For each single-word lemma, the other single-word lemmas of its most frequent senses (two for
nouns and verbs, one for adjectives and adverbs), as stems of the project's term analysis, so
"offence" meets "crime" and "illness" meets "sickness". And for each verb and adjective, the
antonyms of its most frequent sense ("accept" / "reject"), less those that only add a negative
prefix ("able" / "unable": the verifier reads "un-" itself, and a short stem such as "anim"
would match "animal"). See assistant/data/NOTICE.md.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

from assistant.text import STOPWORDS, _stem

SENSES = {"noun": 2, "verb": 2, "adj": 1, "adv": 1}
OPPOSITE_SENSES = {"verb": 1, "adj": 1}
DATA = Path(__file__).resolve().parent.parent / "assistant" / "data"
OUT = DATA / "synonyms.tsv"
OPPOSITES_OUT = DATA / "opposites.tsv"
# Every single-word lemma of WordNet, as stems of the project's term analysis: the English words
# a question's word is checked against before it is read as misspelt (assistant/spelling.py).
ENGLISH_OUT = DATA / "english_stems.txt"
_NEGATIVE_PREFIX = re.compile(r"^(?:un|in|im|il|ir|dis|non|a|an|anti|counter|de|mis)")


def _word(lemma: str) -> bool:
    return lemma.isalpha() and lemma not in STOPWORDS and len(lemma) >= 3


def read_antonyms(
    folder: Path, pos: str
) -> dict[str, tuple[list[str], list[tuple[int, str, int]]]]:
    """offset -> (the synset's words, its antonym pointers as (source word, target offset,
    target word); word numbers from 1, 0 for the whole synset)."""
    synsets = {}
    for line in (folder / f"data.{pos}").read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue
        fields = line.split()
        count = int(fields[3], 16)
        words = [fields[4 + 2 * i].lower().split("(")[0] for i in range(count)]
        at = 4 + 2 * count
        pointers = []
        for _ in range(int(fields[at])):
            symbol, offset, _pos, ends = fields[at + 1 : at + 5]
            at += 4
            if symbol == "!":
                pointers.append((int(ends[:2], 16), offset, int(ends[2:], 16)))
        synsets[fields[0]] = (words, pointers)
    return synsets


def _only_prefixed(a: str, b: str) -> bool:
    for plain, other in ((a, b), (b, a)):
        prefix = _NEGATIVE_PREFIX.match(other)
        rest = other[prefix.end() :] if prefix else ""
        if prefix and (
            rest == plain
            or rest.startswith(plain[: max(4, len(plain) - 1)])
            or (len(rest) >= 3 and plain.startswith(rest))  # "likely" / "unlikely"
        ):
            return True
    return False


def index_entries(folder: Path, pos: str) -> Iterator[list[str]]:
    """The fields of each entry of WordNet's index for `pos` (its lemma first)."""
    for line in (folder / f"index.{pos}").read_text(encoding="latin-1").splitlines():
        if not line.startswith("  "):  # (the licence header)
            yield line.split()


def senses_of(folder: Path, pos: str, senses: int) -> Iterator[tuple[str, list[str]]]:
    """Each single-word lemma of WordNet's index for `pos`, with the offsets of its `senses`
    most frequent senses."""
    for fields in index_entries(folder, pos):
        if _word(fields[0]):
            yield fields[0], fields[6 + int(fields[3]) :][:senses]


def build_opposites(folder: Path) -> list[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for pos, senses in OPPOSITE_SENSES.items():
        synsets = read_antonyms(folder, pos)
        for lemma, offsets in senses_of(folder, pos, senses):
            for offset in offsets:
                words, pointers = synsets[offset]
                for source, target_offset, target in pointers:
                    if source and words[source - 1] != lemma:
                        continue
                    others = synsets.get(target_offset, ([], []))[0]
                    other = others[target - 1] if target else (others or [""])[0]
                    if not _word(other):
                        continue
                    a, b = sorted((_stem(lemma), _stem(other)))
                    if a != b and not _only_prefixed(a, b):
                        pairs.add((a, b))
    return sorted(pairs)


def read_synsets(folder: Path, pos: str) -> dict[str, list[str]]:
    synsets: dict[str, list[str]] = {}
    for line in (folder / f"data.{pos}").read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue  # licence header
        fields = line.split()
        offset, count = fields[0], int(fields[3], 16)
        synsets[offset] = [fields[4 + 2 * i].lower() for i in range(count)]
    return synsets


def build_english_stems(folder: Path) -> list[str]:
    stems = {
        _stem(fields[0])
        for pos in SENSES
        for fields in index_entries(folder, pos)
        if fields[0].isalpha() and fields[0].isascii()
    }
    return sorted(stems)


def main() -> int:
    folder = Path(sys.argv[1])
    synonyms: dict[str, set[str]] = {}
    for pos, senses in SENSES.items():
        synsets = read_synsets(folder, pos)
        for lemma, offsets in senses_of(folder, pos, senses):
            for offset in offsets:
                for other in synsets.get(offset, []):
                    if other != lemma and other.isalpha() and other not in STOPWORDS:
                        a, b = _stem(lemma), _stem(other)
                        if a != b:
                            synonyms.setdefault(a, set()).add(b)
    lines = [f"{stem}\t{' '.join(sorted(others))}" for stem, others in sorted(synonyms.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} stems with synonyms -> {OUT}")
    opposites = build_opposites(folder)
    OPPOSITES_OUT.write_text("".join(f"{a}\t{b}\n" for a, b in opposites), encoding="utf-8")
    print(f"{len(opposites)} pairs of opposites -> {OPPOSITES_OUT}")
    english = build_english_stems(folder)
    ENGLISH_OUT.write_text("\n".join(english) + "\n", encoding="utf-8")
    print(f"{len(english)} stems of English words -> {ENGLISH_OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
