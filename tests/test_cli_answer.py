"""The `assistant` command's answering side end to end: ask, chat and eval as subprocesses on a temp store."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest import clean_article, read_article_file
from tests.conftest import _SETTINGS_ENV, BUNDLED_ARTICLES, GOLD_SET

EXECUTABLE = Path(sys.executable).parent / "assistant"
QUESTION = "Why did Israel avoid sanctioning Russia?"
FOLLOW_UP = "And what did Bennett say about it?"


@dataclass(frozen=True)
class Workspace:
    root: Path
    env: dict[str, str]

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(EXECUTABLE), *args],
            check=False,
            cwd=self.root,  # no stray .env from the project folder
            env=self.env,
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
        )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A copy of the bundled articles and a store in a temp folder, ingested with `assistant ingest`."""
    root = tmp_path_factory.mktemp("cli")
    shutil.copytree(BUNDLED_ARTICLES, root / "articles")
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_ENV}
    env.update(
        CHROMA_PATH=str(root / "chroma"),
        ARTICLES_PATH=str(root / "articles"),
        ANONYMIZED_TELEMETRY="False",
        PYTHONIOENCODING="utf-8",
    )
    space = Workspace(root, env)
    ingest = space.run("ingest", "--json")
    assert ingest.returncode == 0, ingest.stderr
    assert json.loads(ingest.stdout)["added"] == 5
    return space


def test_ask_prints_the_answer_and_its_sources(workspace: Workspace) -> None:
    result = workspace.run("ask", QUESTION)
    assert result.returncode == 0, result.stderr
    answer, _, sources = result.stdout.partition("\nSources:\n")
    assert "[1]" in answer and "Syria" in answer
    lines = sources.rstrip().splitlines()
    assert lines[0].startswith("  [1] ") and ".txt, chars " in lines[0]
    assert [line.split()[0] for line in lines] == [f"[{n}]" for n in range(1, len(lines) + 1)]
    assert "Traceback" not in result.stderr


def test_ask_json_has_the_answer_record(workspace: Workspace) -> None:
    result = workspace.run("ask", QUESTION, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {
        "answer",
        "citations",
        "refused",
        "rewritten_question",
        "retrieved",
        "timings_ms",
    }
    assert data["refused"] is False and data["rewritten_question"] is None
    assert data["citations"] and data["citations"][0]["n"] == 1
    assert {"n", "source", "chunk_id", "quote", "start", "end", "title", "date"} == set(
        data["citations"][0]
    )
    assert data["outcome"] == "answered"
    assert [v["status"] for v in data["verdicts"]] == ["verified"] * len(data["verdicts"])
    assert len(data["retrieved"]) == 5 and set(data["retrieved"][0]) == {
        "chunk_id",
        "source",
        "score",
    }
    assert {"rewrite", "retrieve", "answer", "total"} <= set(data["timings_ms"])
    # Each quote is verbatim from its file's cleaned text, at the offsets given.
    for citation in data["citations"]:
        loaded = read_article_file(workspace.root / "articles" / citation["source"])
        text = clean_article(loaded.text, loaded.meta).text
        assert text[citation["start"] : citation["end"]] == citation["quote"]


@pytest.mark.parametrize("question", ["", "   ", "\t\n"])
def test_ask_with_an_empty_question_exits_2_with_a_message(
    workspace: Workspace, question: str
) -> None:
    result = workspace.run("ask", question)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == "error: the question is empty; ask something about the articles"


def test_ask_with_a_100kb_question_exits_2_with_a_message(workspace: Workspace) -> None:
    result = workspace.run("ask", "Why " * 25_000)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: The question is ")
    assert "the limit is 2,000 (MAX_QUESTION_CHARS)" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr) < 500  # the question is not echoed back


def test_ask_with_history_rewrites_the_follow_up(workspace: Workspace, tmp_path: Path) -> None:
    history = tmp_path / "history.json"
    history.write_text(
        json.dumps(
            [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": "..."}]
        ),
        encoding="utf-8",
    )
    result = workspace.run("ask", FOLLOW_UP, "--history", str(history), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["rewritten_question"] == (
        "What did Bennett say about Israel avoiding sanctioning Russia?"
    )
    assert data["refused"] is False
    assert "freedom of action" in data["answer"]


def test_ask_with_history_shows_how_the_question_was_understood(
    workspace: Workspace, tmp_path: Path
) -> None:
    history = tmp_path / "history.json"
    history.write_text(json.dumps([{"role": "user", "content": QUESTION}]), encoding="utf-8")
    result = workspace.run("ask", FOLLOW_UP, "--history", str(history))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "(understood as: What did Bennett say about Israel avoiding sanctioning Russia?)"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "Cannot read history file"),
        ("{not json", "is not valid JSON"),
        ('{"role": "user"}', "must hold a JSON list of messages"),
    ],
)
def test_ask_with_a_bad_history_file_exits_2_with_a_message(
    workspace: Workspace, tmp_path: Path, content: str | None, expected: str
) -> None:
    history = tmp_path / "history.json"
    if content is not None:
        history.write_text(content, encoding="utf-8")
    result = workspace.run("ask", FOLLOW_UP, "--history", str(history))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and expected in result.stderr
    assert "Traceback" not in result.stderr


def test_eval_json_reports_a_summary_and_every_result(workspace: Workspace) -> None:
    result = workspace.run("eval", "--json")  # no file: the bundled gold set
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"summary", "results", "by_kind", "by_asks"}
    summary = report["summary"]
    assert {
        "hit_at_k",
        "mrr",
        "key_fact_coverage",
        "citation_validity",
        "refusal_accuracy",
        "latency_p50_ms",
        "latency_p95_ms",
    } <= set(summary)
    assert summary["questions"] == 25 and len(report["results"]) == 25
    gold_ids = [
        json.loads(line)["id"]
        for line in GOLD_SET.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert [r["id"] for r in report["results"]] == gold_ids
    assert summary["citation_validity"] == 1.0  # every quote is verbatim in its file
    assert summary["hit_at_k"] == 1.0  # as tests/test_retrieval.py checks per question
    assert summary["refusal_accuracy"] == 1.0
    assert 0 < summary["mrr"] <= 1 and 0 < summary["key_fact_coverage"] <= 1
    assert 0 < summary["latency_p50_ms"] <= summary["latency_p95_ms"]
    refused = {r["id"] for r in report["results"] if r["refused"]}
    assert refused == {"p22", "p23"}
    followups = {r["id"]: r["rewritten_question"] for r in report["results"]}
    assert followups["p24"] == "What did Naftali Bennett warn about at the Cabinet meeting?"
    assert followups["p25"] == "Who has effective control of the S-400 in Syria?"


def test_eval_of_a_missing_file_exits_1_with_a_message(
    workspace: Workspace, tmp_path: Path
) -> None:
    result = workspace.run("eval", str(tmp_path / "missing.jsonl"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: Cannot read the eval file")
    assert "Traceback" not in result.stderr


def chat_answers(stdout: str) -> list[str]:
    """The text after each `assistant> ` prompt, up to its sources list."""
    return [part.split("\nSources:")[0].strip() for part in stdout.split("assistant> ")[1:]]


def test_chat_answers_each_question_and_follows_up(workspace: Workspace) -> None:
    result = workspace.run("chat", stdin=f"{QUESTION}\n{FOLLOW_UP}\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Chatting over 5 articles (")
    first, second = chat_answers(result.stdout)
    assert "[1]" in first and "Syria" in first
    # "sanctioning" is in no word of the follow-up: it came from the conversation.
    answer, understood = second.split("\n(understood as: ")
    assert "sanction" in understood and "Bennett" in understood
    assert "Bennett" in answer and "freedom of action" in answer
    assert result.stdout.count("Sources:") == 2
    assert "Traceback" not in result.stderr


def test_chat_reports_a_bad_question_and_carries_on(workspace: Workspace) -> None:
    result = workspace.run("chat", stdin=f"{'Why ' * 600}\n{QUESTION}\n")
    assert result.returncode == 0, result.stderr
    assert "error: The question is 2,399 characters long; the limit is 2,000" in result.stdout
    assert "Syria" in chat_answers(result.stdout)[-1]
