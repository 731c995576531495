"""Build assistant/data/synonyms.tsv from the WordNet 3.0 database (a development step; the
project ships the result, never reads WordNet at run time).

    apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb wordnet
    uv run python scripts/build_synonyms.py wordnet/usr/share/wordnet

For each single-word lemma, the other single-word lemmas of its most frequent senses (two for
nouns and verbs, one for adjectives and adverbs), as stems of the project's term analysis, so
"offence" meets "crime" and "illness" meets "sickness". See assistant/data/NOTICE.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

from assistant.text import STOPWORDS, _stem

SENSES = {"noun": 2, "verb": 2, "adj": 1, "adv": 1}
OUT = Path(__file__).resolve().parent.parent / "assistant" / "data" / "synonyms.tsv"


def read_synsets(folder: Path, pos: str) -> dict[str, list[str]]:
    synsets: dict[str, list[str]] = {}
    for line in (folder / f"data.{pos}").read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue  # licence header
        fields = line.split()
        offset, count = fields[0], int(fields[3], 16)
        synsets[offset] = [fields[4 + 2 * i].lower() for i in range(count)]
    return synsets


def main() -> int:
    folder = Path(sys.argv[1])
    synonyms: dict[str, set[str]] = {}
    for pos, senses in SENSES.items():
        synsets = read_synsets(folder, pos)
        for line in (folder / f"index.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma = fields[0]
            if not lemma.isalpha() or lemma in STOPWORDS or len(lemma) < 3:
                continue
            pointer_count = int(fields[3])
            offsets = fields[6 + pointer_count :]
            for offset in offsets[:senses]:
                for other in synsets.get(offset, []):
                    if other != lemma and other.isalpha() and other not in STOPWORDS:
                        a, b = _stem(lemma), _stem(other)
                        if a != b:
                            synonyms.setdefault(a, set()).add(b)
    lines = [f"{stem}\t{' '.join(sorted(others))}" for stem, others in sorted(synonyms.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} stems with synonyms -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
