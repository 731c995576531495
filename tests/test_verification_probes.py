"""Citation verification against the labelled probe set (`eval/probes/`), per split, through the
real chain, the real `openai` client and the scripted OpenAI-compatible server; plus the checks
that keep the probe data and the harness honest.

Run with `-s` to see the per-class tables. The targets are issue 11's; the held-out split is
asserted separately and never tuned on (see `eval/probes/README.md`).
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from assistant.records import Answer, Citation, Verdict
from tests import probes as harness
from tests.fake_openai import RecordedRequest

pytestmark = pytest.mark.slow

WIKINEWS = harness.PROJECT_ROOT / "eval" / "wikinews"


def all_probes() -> list[harness.Probe]:
    return [p for split in harness.SPLITS for p in harness.load_probes(split)]


# -- the probe data ----------------------------------------------------------------------------


@pytest.mark.parametrize("split", harness.SPLITS)
def test_probe_files_are_well_formed(split: str) -> None:
    """Every excerpt is verbatim in its articles, every placeholder has its excerpt, and the
    sentences read as the reply without placeholders."""
    problems = [
        problem for p in harness.load_probes(split) for problem in harness.validate_probe(p)
    ]
    assert problems == []


def test_probe_ids_are_unique_across_splits() -> None:
    ids = Counter(p.id for p in all_probes())
    assert [i for i, n in ids.items() if n > 1] == []


def test_the_probe_set_has_what_the_issue_asks_for() -> None:
    probes = all_probes()
    classes = Counter(s.cls for p in probes for s in p.sentences)
    assert sum(classes.values()) >= 260
    for cls in harness.DEFECT_CLASSES:
        assert classes[cls] >= (10 if cls == "nonexistent_source" else 20), cls
    assert sum(classes[c] for c in harness.FAITHFUL_CLASSES) >= 100
    for cls in harness.FAITHFUL_CLASSES:
        assert classes[cls] >= 10, cls
    assert classes["framing"] >= 15
    assert classes["miscited"] >= 12
    assert sum(p.is_refusal for p in probes) >= 20
    corpora = Counter(p.corpus for p in probes)
    # Both corpora, each with at least 150 probes (the batches after the first are real news
    # only, so the five bundled articles' share falls with every batch: 171 of 1067, then of
    # 1727 by the eighth session; a share would have each new batch of real news fail it).
    assert corpora["bundled"] >= 150 and corpora["wikinews"] >= 150, corpora
    answered = [p for p in probes if not p.is_refusal]
    assert sum(2 <= len(p.sentences) <= 4 for p in answered) / len(answered) >= 0.8
    defects = [sum(s.cls in harness.DEFECT_CLASSES for s in p.sentences) for p in answered]
    assert max(defects) == 1  # one defective sentence per probe, the others faithful


def _split_module() -> Any:
    spec = importlib.util.spec_from_file_location("probe_split", harness.PROBES_DIR / "split.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_held_out_split_is_a_reproducible_stratified_third() -> None:
    split = _split_module()
    raw = {
        name: [json.loads(line) for line in harness.probe_file(name).read_text().splitlines()]
        for name in harness.SPLITS
    }
    dev, heldout = split.split(raw["dev"] + raw["heldout"])
    assert ([p["id"] for p in dev], [p["id"] for p in heldout]) == (
        [p["id"] for p in raw["dev"]],
        [p["id"] for p in raw["heldout"]],
    )
    # A third of each stratum of each batch (batches are split among themselves).
    strata: dict[tuple[int, str, str], Counter[str]] = {}
    for name, probes in raw.items():
        for probe in probes:
            key = (split.batch(probe), split.stratum(probe), probe["corpus"])
            strata.setdefault(key, Counter())[name] += 1
    for key, counts in strata.items():
        total = counts["dev"] + counts["heldout"]
        assert counts["heldout"] == round(total / 3), key


def test_the_wikinews_articles_used_are_in_the_project_with_their_notice() -> None:
    used = set(harness.used_wikinews(all_probes()))
    present = {p.name for p in (WIKINEWS / "articles").iterdir()}
    assert used <= present  # the folder is shared with the wikinews gold set
    index = (WIKINEWS / "index.tsv").read_text(encoding="utf-8").splitlines()
    listed = {line.split("\t", 1)[0] for line in index[1:] if line}
    assert used <= listed
    assert "CC BY 2.5" in (WIKINEWS / "NOTICE.md").read_text(encoding="utf-8")


# -- the harness mechanics (it must be able to fail) -------------------------------------------


PROBE = harness.Probe(
    id="t1",
    corpus="bundled",
    articles=("a.txt",),
    question="q",
    reply="Alpha rose {c:a}{c:b}. Beta fell {wrong:c}. Gamma held {none}.",
    cites={"a": "Alpha rose sharply", "b": "alpha rose again", "c": "Beta fell"},
    sentences=(
        harness.ExpectedSentence("Alpha rose.", "verified", "synthesis"),
        harness.ExpectedSentence("Beta fell.", "corrected", "miscited"),
        harness.ExpectedSentence("Gamma held.", "unsupported", "nonexistent_source"),
    ),
)
SOURCES = [
    harness.SentSource(1, "a.txt", "Intro. Alpha rose  sharply and alpha rose again."),
    harness.SentSource(2, "a.txt", "Beta fell."),
    harness.SentSource(3, "b.txt", "Unrelated text."),
]


def test_placeholders_become_the_numbers_of_the_sources_sent() -> None:
    rendered = harness.render_reply(PROBE, SOURCES)
    # {c:a}{c:b} in one source is one marker; {wrong:c} is another article's source; {none} is
    # past the last source sent.
    assert rendered.text == "Alpha rose [1]. Beta fell [3]. Gamma held [4]."
    assert rendered.wrong == {"c": 3} and rendered.nonexistent == (4,)


def test_a_probe_whose_passage_was_not_sent_is_not_runnable() -> None:
    with pytest.raises(harness.NotRunnable):
        harness.render_reply(PROBE, SOURCES[:1])
    assert harness.missing_passages(PROBE, SOURCES[:1]) == ["c"]


def _request(system: str, user: str) -> RecordedRequest:
    messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
    return RecordedRequest("POST", "/v1/chat/completions", {}, {"messages": messages}, 0.0)


def test_the_scripted_model_answers_once_per_run_and_records_every_call() -> None:
    sources = "\n\n".join(
        f'<source n="{s.n}" file="{s.file}">\n{s.text}\n</source>' for s in SOURCES
    )
    model = harness.ScriptedModel()
    model.start(PROBE, harness.STATUS_ANSWERED, "answered")
    rewrite = model(_request("rewrite", "<history>\nUser: hi\n</history>\n\nFollow-up question: q"))
    answer = model(_request("rules", f"Sources:\n\n{sources}\n\nQuestion: q"))
    recheck = model(_request("check these", f"{sources}\n\nClaim 1: Alpha rose.\nClaim 2: Other."))
    assert rewrite == "q"
    assert answer == "STATUS: answered\nAlpha rose [1]. Beta fell [3]. Gamma held [4]."
    assert recheck == "1: supported\n2: supported"
    assert [c.kind for c in model.calls] == ["rewrite", "answer", "recheck"]
    model.start(PROBE, None, "refusal-plain")
    assert model(_request("rules", sources)) == "Alpha rose [1]. Beta fell [3]. Gamma held [4]."


@pytest.mark.parametrize(
    ("expected", "shown", "groups"),
    [
        (["A b.", "C d."], ["A b.", "C d."], [[0], [1]]),
        (["A b. C d."], ["A b.", "C d."], [[0, 1]]),  # the verifier split one sentence
        (["A b.", "C d."], ["A b. C d."], [[0], [0]]),  # ... or joined two
        (["A b.", "C d."], ["STATUS: answered A b.", "C d."], [[0], [1]]),
        (["A b.", "C d."], ["C d."], [[], [0]]),
    ],
)
def test_verdicts_are_matched_by_order_and_text(
    expected: list[str], shown: list[str], groups: list[list[int]]
) -> None:
    assert harness.align(expected, shown) == groups


def _run(answer: Answer, deltas: list[str]) -> harness.ProbeRun:
    return harness.ProbeRun(
        probe=PROBE,
        variant="answered",
        answer=answer,
        deltas=deltas,
        runnable=True,
        problem=None,
        rendered=harness.render_reply(PROBE, SOURCES),
        model_called=True,
    )


def _answer(text: str, verdicts: list[Verdict], quotes: dict[int, str]) -> Answer:
    citations = [Citation(n, "a.txt", f"c{n}", q, 0, len(q)) for n, q in quotes.items()]
    return Answer(text, citations, False, None, [], verdicts=verdicts)


def test_a_good_verifier_passes_every_sentence() -> None:
    answer = _answer(
        "Alpha rose [1]. Beta fell [2]. Gamma held.",
        [
            Verdict("Alpha rose.", "verified", (1,)),
            Verdict("Beta fell.", "corrected", (2,), "cited [3], but [2] supports it"),
            Verdict("Gamma held.", "unsupported", (), "[4] does not exist"),
        ],
        {1: "Alpha rose sharply and alpha rose again.", 2: "Beta fell."},
    )
    # The stream may show the model's [3] as pending; it never shows the [4] that doesn't exist.
    results = harness.score_run(
        _run(answer, ["Alpha rose [1]. ", "Beta fell [3]. ", "Gamma held."])
    )
    assert [(r.cls, r.got, r.passed) for r in results] == [
        ("synthesis", "verified", True),
        ("miscited", "corrected", True),
        ("nonexistent_source", "unsupported", True),
    ]


def test_the_harness_catches_a_bad_verifier() -> None:
    answer = _answer(
        "Alpha rose. Beta fell [1]. Gamma held [4].",
        [
            Verdict("Alpha rose.", "unsupported", (), "no support"),  # a false flag
            Verdict("Beta fell.", "corrected", (1,)),  # moved, but to the wrong passage
            Verdict("Gamma held.", "unsupported", ()),  # its [4] was still shown
        ],
        {1: "Alpha rose sharply and alpha rose again."},
    )
    results = harness.score_run(_run(answer, ["Alpha rose. Beta fell [1]. Gamma held [4]."]))
    assert [r.passed for r in results] == [False, False, False]
    assert results[1].detail == "corrected to a source that does not hold the passage"
    assert results[2].detail == "[4] was shown"


def test_a_missing_verdict_fails_every_class() -> None:
    answer = _answer("Alpha rose [1].", [], {1: "Alpha rose sharply and alpha rose again."})
    results = harness.score_run(_run(answer, []))
    assert [(r.got, r.passed) for r in results] == [("missing", False)] * 3


# -- the verifier, per split -------------------------------------------------------------------


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, harness.Report]]:
    """Both splits run once through one ingested store; tables printed for `-s`."""
    root = tmp_path_factory.mktemp("verification_probes")
    out: dict[str, harness.Report] = {}
    with harness.open_harness(root, all_probes()) as bench:
        for split in harness.SPLITS:
            report = bench.run(split)
            print()
            for table in (
                harness.confusion_table(report),
                harness.summary_table(report),
                harness.cost_table(report),
                harness.failures_listing(report),
            ):
                print(table, end="\n\n")
            out[split] = report
        yield out


@pytest.mark.parametrize("split", harness.SPLITS)
def test_every_probe_is_runnable(reports: dict[str, harness.Report], split: str) -> None:
    """Retrieval brought up every cited passage: a failure here is the harness's, not the
    verifier's (reword the probe's question)."""
    assert reports[split].not_runnable == []


@pytest.mark.parametrize("split", harness.SPLITS)
def test_every_sentence_gets_a_verdict(reports: dict[str, harness.Report], split: str) -> None:
    report = reports[split]
    missing = [f"{r.probe_id}: {r.text}" for r in report.missing()]
    assert (report.answered_refused, missing[:10], len(missing)) == ([], [], 0)


# Rates are asserted on the dev split only, at the floors in `tests/probes.py` (regression
# guards from the dev figures; the issue's targets are printed beside them). The held-out split's
# tables are printed with `-s` and reported separately.


@pytest.mark.parametrize("cls", list(harness.CATCH_FLOORS))
def test_wrong_facts_are_caught(reports: dict[str, harness.Report], cls: str) -> None:
    report = reports["dev"]
    caught, total = report.rate([cls])
    missed = [
        f"{r.probe_id}: {r.text} -> {r.got}" for r in report.results_of([cls]) if not r.passed
    ]
    assert total > 0
    assert caught / total >= harness.CATCH_FLOORS[cls], missed


@pytest.mark.parametrize("split", harness.SPLITS)
def test_faithful_sentences_all_get_a_verdict(
    reports: dict[str, harness.Report], split: str
) -> None:
    faithful = reports[split].results_of(harness.FAITHFUL_CLASSES)
    unscored = [r for r in faithful if r.got == "missing"]
    # A faithful sentence without a verdict is not a false flag, but it is not a pass either.
    assert len(unscored) == 0, f"{len(unscored)} of {len(faithful)} got no verdict"


def test_faithful_sentences_are_rarely_flagged(reports: dict[str, harness.Report]) -> None:
    report = reports["dev"]
    faithful = report.results_of(harness.FAITHFUL_CLASSES)
    unscored = [r for r in faithful if r.got == "missing"]
    flagged, total = report.false_flags()
    listed = [
        f"{r.probe_id} {r.cls}: {r.text} ({r.reason})" for r in faithful if r.got == "unsupported"
    ]
    assert len(unscored) == 0
    assert flagged / total <= harness.MAX_FALSE_FLAG_FLOOR, listed


def test_framing_sentences_are_never_flagged(reports: dict[str, harness.Report]) -> None:
    report = reports["dev"]
    flagged = [r.text for r in report.results_of(["framing"]) if not r.passed]
    assert flagged == []


@pytest.mark.parametrize("split", harness.SPLITS)
def test_miscited_sentences_are_corrected(reports: dict[str, harness.Report], split: str) -> None:
    report = reports[split]
    wrong = [
        f"{r.probe_id}: {r.got} {r.detail or ''}"
        for r in report.results_of(["miscited"])
        if not r.passed
    ]
    assert wrong == []


def test_refusals_are_recognised_in_any_wording(reports: dict[str, harness.Report]) -> None:
    report = reports["dev"]
    missed = [f"{pid} ({variant}): {got}" for pid, variant, ok, got in report.refusals if not ok]
    assert report.refusals and missed == []


@pytest.mark.parametrize("split", harness.SPLITS)
def test_citations_are_verbatim_at_their_offsets(
    reports: dict[str, harness.Report], split: str
) -> None:
    assert reports[split].citation_problems == []


def test_both_splits_were_scored_from_the_same_store(reports: dict[str, harness.Report]) -> None:
    """The held-out probes ran like the dev ones (a split that ran nothing proves nothing)."""
    for split, report in reports.items():
        expected = sum(2 if p.is_refusal else 1 for p in harness.load_probes(split))
        assert len(report.runs) == expected, split
