"""A deterministic synthetic news corpus grown from the bundled articles, for ingest and scale figures.

Each synthetic article takes a bundled article's opening line as its headline, shuffles that
article's paragraphs, swaps about a third of them for paragraphs of other articles, pads or cuts
to a few KB, then renames the countries, capitals and people it mentions from fixed lists (one
consistent mapping per article). A dateline makes every article unique, so no two share a
content hash. Same seed, same bytes.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "articles"
DEFAULT_SEED = 20240611
MIN_CHARS, MAX_CHARS = 2000, 6000
DONOR_SHARE = 0.35

# (country, demonym, capital): a mentioned country is renamed with all three, consistently.
COUNTRIES = (
    ("Israel", "Israeli", "Jerusalem"),
    ("Russia", "Russian", "Moscow"),
    ("Iran", "Iranian", "Tehran"),
    ("Syria", "Syrian", "Damascus"),
    ("Ukraine", "Ukrainian", "Kyiv"),
    ("Turkey", "Turkish", "Ankara"),
    ("Egypt", "Egyptian", "Cairo"),
    ("Poland", "Polish", "Warsaw"),
    ("Japan", "Japanese", "Tokyo"),
    ("India", "Indian", "New Delhi"),
    ("Brazil", "Brazilian", "Brasilia"),
    ("Canada", "Canadian", "Ottawa"),
    ("Norway", "Norwegian", "Oslo"),
    ("Kenya", "Kenyan", "Nairobi"),
    ("Chile", "Chilean", "Santiago"),
    ("Vietnam", "Vietnamese", "Hanoi"),
)
# (full name, surname) of people in the bundled articles, and invented people to swap in.
PEOPLE = (
    ("Vladimir Putin", "Putin"),
    ("Benjamin Netanyahu", "Netanyahu"),
    ("Naftali Bennett", "Bennett"),
    ("Ebrahim Raisi", "Raisi"),
    ("Zvi Magen", "Magen"),
    ("Donald Trump", "Trump"),
    ("Joe Biden", "Biden"),
)
INVENTED_PEOPLE = (
    ("Daniel Okafor", "Okafor"),
    ("Marta Lindqvist", "Lindqvist"),
    ("Ravi Menon", "Menon"),
    ("Helena Vasquez", "Vasquez"),
    ("Tomasz Wrobel", "Wrobel"),
    ("Aiko Tanabe", "Tanabe"),
    ("Samuel Adeyemi", "Adeyemi"),
    ("Claire Dubois", "Dubois"),
    ("Lucas Ferreira", "Ferreira"),
    ("Nadia Haddad", "Haddad"),
    ("Erik Solberg", "Solberg"),
    ("Priya Raman", "Raman"),
)
SECTIONS = ("Latest International News", "World", "Politics", "Middle East", "Analysis")


@dataclass(frozen=True)
class SourceArticle:
    name: str
    paragraphs: list[str]


def load_bundled(folder: Path = BUNDLED) -> list[SourceArticle]:
    """The bundled articles as lists of paragraphs (non-empty lines)."""
    articles = []
    for path in sorted(folder.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        articles.append(SourceArticle(path.name, [line for line in lines if line]))
    if not articles:
        raise FileNotFoundError(f"no .txt articles in {folder}")
    return articles


def _entity_mapping(rng: random.Random) -> dict[str, str]:
    """One article's renaming: each known entity kept or swapped (about half), consistently."""
    mapping: dict[str, str] = {}
    targets = list(COUNTRIES)
    rng.shuffle(targets)
    for source, target in zip(COUNTRIES[:5], targets):
        if rng.random() < 0.5 and source != target:
            mapping.update(zip(source, target))
    people = list(INVENTED_PEOPLE)
    rng.shuffle(people)
    for person, invented in zip(PEOPLE, people):
        if rng.random() < 0.5:
            mapping.update(zip(person, invented))
    return mapping


def _rename(text: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return text
    # One pass over an alternation (longest first), so a swapped-in name is never swapped again.
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)) + r")\b"
    )
    return pattern.sub(lambda m: mapping[m.group(1)], text)


def synthetic_article(
    index: int, sources: list[SourceArticle], seed: int = DEFAULT_SEED
) -> tuple[str, str]:
    """The `index`-th synthetic article as (file name, text); a pure function of its arguments."""
    rng = random.Random(f"{seed}:{index}")
    base = sources[rng.randrange(len(sources))]
    pool = [p for article in sources if article is not base for p in article.paragraphs]
    headline, body = base.paragraphs[0], list(base.paragraphs[1:])
    rng.shuffle(body)
    body = [rng.choice(pool) if pool and rng.random() < DONOR_SHARE else p for p in body]
    target = rng.randint(MIN_CHARS, MAX_CHARS)
    chosen: list[str] = []
    size = len(headline)
    for paragraph in body:
        if size >= target:
            break
        chosen.append(paragraph)
        size += len(paragraph) + 1
    while size < target and pool:
        paragraph = rng.choice(pool)
        chosen.append(paragraph)
        size += len(paragraph) + 1
    date = dt.date(2015, 1, 1) + dt.timedelta(days=index)
    dateline = f"by | {date:%b %d, %Y} | {rng.choice(SECTIONS)} | {rng.randint(0, 40)} comments"
    separator = "\n\n" if rng.random() < 0.5 else "\n"
    text = separator.join([headline, dateline, *chosen]) + "\n"
    return f"synth_{index:06d}.txt", _rename(text, _entity_mapping(rng))


def generate_articles(
    count: int, seed: int = DEFAULT_SEED, sources: list[SourceArticle] | None = None
) -> Iterator[tuple[str, str]]:
    """The first `count` synthetic articles as (file name, text)."""
    sources = sources if sources is not None else load_bundled()
    for index in range(count):
        yield synthetic_article(index, sources, seed)


def write_corpus(folder: Path, count: int, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the first `count` synthetic articles into `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in generate_articles(count, seed):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
