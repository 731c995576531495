"""Every gold set in eval/: well-formed rows, real sources, key facts that the sources state, sane splits."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
from collections import Counter
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ingest import clean_article, read_article_file

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EVAL = PROJECT_ROOT / "eval"
BUNDLED_ARTICLES = PROJECT_ROOT / "data" / "articles"
WIKINEWS = EVAL / "wikinews"
WIKINEWS_FILES = (WIKINEWS / "dev.jsonl", WIKINEWS / "heldout.jsonl")
# The second Wikinews set (eval/wikinews-2/README.md): the same format and split rule.
WIKINEWS_2 = EVAL / "wikinews-2"
WIKINEWS_2_FILES = (WIKINEWS_2 / "dev.jsonl", WIKINEWS_2 / "heldout.jsonl")
# ... and the third (eval/wikinews-3/README.md), written blind in the fifteenth session.
WIKINEWS_3 = EVAL / "wikinews-3"
WIKINEWS_3_FILES = (WIKINEWS_3 / "dev.jsonl", WIKINEWS_3 / "heldout.jsonl")
# ... and the fourth (eval/wikinews-4/README.md), written blind in the sixteenth session.
WIKINEWS_4 = EVAL / "wikinews-4"
WIKINEWS_4_FILES = (WIKINEWS_4 / "dev.jsonl", WIKINEWS_4 / "heldout.jsonl")
# ... and the fifth (eval/wikinews-5/README.md), written blind in the seventeenth session.
WIKINEWS_5 = EVAL / "wikinews-5"
WIKINEWS_5_FILES = (WIKINEWS_5 / "dev.jsonl", WIKINEWS_5 / "heldout.jsonl")
# ... and the sixth (eval/wikinews-6/README.md), written blind in the eighteenth session.
WIKINEWS_6 = EVAL / "wikinews-6"
WIKINEWS_6_FILES = (WIKINEWS_6 / "dev.jsonl", WIKINEWS_6 / "heldout.jsonl")
# ... and the seventh (eval/wikinews-7/README.md), written blind in the nineteenth session.
WIKINEWS_7 = EVAL / "wikinews-7"
WIKINEWS_7_FILES = (WIKINEWS_7 / "dev.jsonl", WIKINEWS_7 / "heldout.jsonl")

KINDS = {"single", "multi", "followup", "unanswerable"}
ASKS = {
    "person",
    "organisation",
    "place",
    "date",
    "number",
    "reason",
    "description",
    "yesno",
    "list",
}
ROLES = ("user", "assistant")

Row = dict[str, Any]


def gold_files() -> list[Path]:
    """Question sets (eval/probes/ holds verification probes and eval/wikinews-graded/ graded
    questions, other formats: see the end of this file)."""
    other = {"probes", "wikinews-graded"}
    return sorted(p for p in EVAL.rglob("*.jsonl") if not other & set(p.relative_to(EVAL).parts))


def articles_for(gold_file: Path) -> Path:
    """A gold set's articles live in an `articles/` folder beside it; the bundled set's in data/."""
    beside = gold_file.parent / "articles"
    return beside if beside.is_dir() else BUNDLED_ARTICLES


def read_rows(gold_file: Path) -> list[Row]:
    rows = []
    for number, line in enumerate(gold_file.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"{gold_file.name}:{number} is blank"
        row = json.loads(line)
        assert isinstance(row, dict), f"{gold_file.name}:{number} is not a JSON object"
        rows.append(row)
    return rows


@cache
def cleaned_text(path: Path) -> str:
    """The article as ingest stores it (read, then cleaned), lower-cased for fact matching."""
    loaded = read_article_file(path)
    return clean_article(loaded.text, loaded.meta).text.lower()


def rel(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT))


GOLD_FILES = gold_files()


def test_all_gold_sets_are_found() -> None:
    assert {rel(p) for p in GOLD_FILES} >= {
        "eval/questions.jsonl",
        "eval/wikinews/dev.jsonl",
        "eval/wikinews/heldout.jsonl",
        "eval/wikinews-fresh/questions.jsonl",
        "eval/wikinews-2/dev.jsonl",
        "eval/wikinews-2/heldout.jsonl",
        "eval/wikinews-3/dev.jsonl",
        "eval/wikinews-3/heldout.jsonl",
        "eval/wikinews-4/dev.jsonl",
        "eval/wikinews-4/heldout.jsonl",
        "eval/wikinews-5/dev.jsonl",
        "eval/wikinews-5/heldout.jsonl",
    }


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=rel)
def test_rows_have_the_fields_and_types(gold_file: Path) -> None:
    for row in read_rows(gold_file):
        where = f"{gold_file.name} {row.get('id')}"
        assert isinstance(row.get("id"), str) and row["id"], where
        assert isinstance(row.get("question"), str) and row["question"].strip(), where
        assert row.get("kind") in KINDS, where
        history = row.get("history")
        assert isinstance(history, list), where
        for turn in history:
            assert isinstance(turn, dict) and set(turn) == {"role", "content"}, where
            assert turn["role"] in ROLES and isinstance(turn["content"], str), where
            assert turn["content"].strip(), where
        sources = row.get("sources")
        assert isinstance(sources, list), where
        assert all(isinstance(s, str) and s for s in sources), where
        assert len(set(sources)) == len(sources), f"{where}: a source is listed twice"
        must = row.get("must")
        assert isinstance(must, list), where
        for group in must:
            assert isinstance(group, list) and group, f"{where}: empty must group"
            assert all(isinstance(alt, str) and alt.strip() for alt in group), where
        if "asks" in row:
            assert row["asks"] in ASKS, where


def test_ids_are_unique_across_all_gold_sets() -> None:
    ids = Counter(row["id"] for path in GOLD_FILES for row in read_rows(path))
    assert [i for i, n in ids.items() if n > 1] == []


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=rel)
def test_kinds_are_consistent_with_history_and_sources(gold_file: Path) -> None:
    for row in read_rows(gold_file):
        where = f"{gold_file.name} {row['id']}"
        kind, history = row["kind"], row["history"]
        if kind == "followup":
            assert history, f"{where}: a follow-up needs the earlier turns"
            roles = [turn["role"] for turn in history]
            assert roles == [ROLES[i % 2] for i in range(len(roles))], f"{where}: {roles}"
            assert roles[-1] == "assistant", f"{where}: history must end with the answer"
        else:
            assert history == [], f"{where}: only follow-ups carry history"
        if kind == "unanswerable":
            assert row["sources"] == [] and row["must"] == [], where
        else:
            assert row["sources"] and row["must"], f"{where}: answerable without sources or facts"
        if kind == "multi":
            assert len(row["sources"]) >= 2, f"{where}: a multi question needs two articles"


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=rel)
def test_sources_exist_and_state_every_key_fact(gold_file: Path) -> None:
    folder = articles_for(gold_file)
    for row in read_rows(gold_file):
        where = f"{gold_file.name} {row['id']}"
        paths = [folder / name for name in row["sources"]]
        missing = [p.name for p in paths if not p.is_file()]
        assert missing == [], f"{where}: no such article in {rel(folder)}: {missing}"
        texts = [cleaned_text(p) for p in paths]
        for group in row["must"]:
            assert any(alt.lower() in text for alt in group for text in texts), (
                f"{where}: no alternative of {group} occurs in its sources"
            )


# --- the Wikinews set -----------------------------------------------------------------------


@cache
def wikinews_rows() -> tuple[tuple[Row, ...], tuple[Row, ...]]:
    dev, held_out = (tuple(read_rows(p)) for p in WIKINEWS_FILES)
    return dev, held_out


def load_split_rule() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wikinews_split", WIKINEWS / "split.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def all_wikinews_rows() -> list[Row]:
    return [r for part in wikinews_rows() for r in part] + [
        r
        for path in (
            *WIKINEWS_2_FILES,
            *WIKINEWS_3_FILES,
            *WIKINEWS_4_FILES,
            *WIKINEWS_5_FILES,
            *WIKINEWS_6_FILES,
            *WIKINEWS_7_FILES,
        )
        for r in read_rows(path)
    ]


def test_wikinews_rows_say_what_they_ask_and_why_unanswerable() -> None:
    for row in all_wikinews_rows():
        assert row.get("asks") in ASKS, row["id"]
        if row["kind"] == "unanswerable":
            why = row.get("why_unanswerable")
            assert isinstance(why, str) and "wn_" in why and "grep" in why, row["id"]
        else:
            assert "why_unanswerable" not in row, row["id"]


def test_wikinews_multi_questions_need_each_of_their_articles() -> None:
    folder = WIKINEWS / "articles"
    for row in (r for r in all_wikinews_rows() if r["kind"] == "multi"):
        for name in row["sources"]:
            text = cleaned_text(folder / name)
            assert any(any(alt.lower() in text for alt in g) for g in row["must"]), (
                f"{row['id']}: {name} contributes no key fact"
            )


def test_wikinews_mix_of_kinds_and_question_types() -> None:
    rows = [r for part in wikinews_rows() for r in part]
    assert len(rows) >= 180
    share = {kind: n / len(rows) for kind, n in Counter(r["kind"] for r in rows).items()}
    assert share["followup"] == pytest.approx(0.20, abs=0.02)
    assert share["multi"] == pytest.approx(0.10, abs=0.02)
    assert share["unanswerable"] == pytest.approx(0.20, abs=0.02)
    asks = Counter(r["asks"] for r in rows)
    assert set(asks) == ASKS and min(asks.values()) >= 10, asks
    articles = {name for r in rows for name in r["sources"]}
    assert len(articles) >= 120
    assert len({r["question"] for r in rows if not r["history"]}) == sum(
        1 for r in rows if not r["history"]
    ), "a standalone question appears twice"


def test_wikinews_held_out_is_a_third_of_each_kind_by_the_seeded_rule() -> None:
    dev, held_out = wikinews_rows()
    total = Counter(r["kind"] for r in dev + held_out)
    held = Counter(r["kind"] for r in held_out)
    for kind in KINDS:
        assert held[kind] / total[kind] == pytest.approx(1 / 3, abs=0.04), kind
    rule = load_split_rule()
    want_dev, want_held = rule.split([*dev, *held_out])
    assert [r["id"] for r in dev] == [r["id"] for r in want_dev]
    assert [r["id"] for r in held_out] == [r["id"] for r in want_held]


def test_wikinews_corpus_ships_with_its_notice_and_index() -> None:
    folder = WIKINEWS / "articles"
    with (WIKINEWS / "index.tsv").open(encoding="utf-8", newline="") as f:
        indexed = {row["file"] for row in csv.DictReader(f, delimiter="\t")}
    on_disk = {p.name for p in folder.iterdir()}
    assert len(on_disk) == 297
    assert on_disk == indexed
    notice = (WIKINEWS / "NOTICE.md").read_text(encoding="utf-8")
    assert "CC BY 2.5" in notice and "Wikinews contributors" in notice


def test_the_second_wikinews_set_is_split_by_the_same_rule() -> None:
    dev, held_out = (read_rows(p) for p in WIKINEWS_2_FILES)
    want_dev, want_held = load_split_rule().split([*dev, *held_out])
    assert [r["id"] for r in dev] == [r["id"] for r in want_dev]
    assert [r["id"] for r in held_out] == [r["id"] for r in want_held]
    assert len(held_out) == 30 and len(dev) == 60


@pytest.mark.parametrize(
    "files",
    [WIKINEWS_3_FILES, WIKINEWS_4_FILES, WIKINEWS_5_FILES, WIKINEWS_6_FILES, WIKINEWS_7_FILES],
    ids=["third", "fourth", "fifth", "sixth", "seventh"],
)
def test_the_later_wikinews_sets_are_split_by_the_same_rule(files: tuple[Path, Path]) -> None:
    dev, held_out = (read_rows(p) for p in files)
    want_dev, want_held = load_split_rule().split([*dev, *held_out])
    assert [r["id"] for r in dev] == [r["id"] for r in want_dev]
    assert [r["id"] for r in held_out] == [r["id"] for r in want_held]
    assert len(held_out) == 34 and len(dev) == 66


@pytest.mark.parametrize(
    "folder",
    [WIKINEWS, WIKINEWS_2, WIKINEWS_3, WIKINEWS_4, WIKINEWS_5, WIKINEWS_6, WIKINEWS_7],
    ids=rel,
)
def test_the_split_command_checks_every_set(folder: Path) -> None:
    assert load_split_rule().main(["--set", str(folder), "--check"]) == 0


# -- the graded questions (eval/wikinews-graded/README.md) --------------------------------------
GRADED = EVAL / "wikinews-graded"


def test_graded_questions_are_well_formed_and_split_by_article() -> None:
    split = {}
    for name in ("dev", "heldout"):
        rows = read_rows(GRADED / f"{name}.jsonl")
        for row in rows:
            assert set(row) >= {"id", "question", "history", "sources", "answerable"}, row["id"]
            assert all(m["role"] in ROLES and m["content"] for m in row["history"]), row["id"]
            assert all((WIKINEWS / "articles" / s).is_file() for s in row["sources"]), row["id"]
            # an answerable one says what answers it: a quoted sentence or a short answer
            assert not row["answerable"] or bool(row["quote"]) != bool(row["answer"]), row["id"]
            digest = int(hashlib.sha256(row["sources"][0].encode()).hexdigest(), 16)
            assert (digest % 3 == 0) == (name == "heldout"), row["id"]
            split[row["id"]] = name
    assert len(split) == 700 and sum(v == "heldout" for v in split.values()) == 231
