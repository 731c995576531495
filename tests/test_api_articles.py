"""assistant/api.py's library: `articles()` lists what is ingested, `remove_article` deletes an
article's file and chunks and refuses anything that is not a library article (real Chroma)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import LibraryError
from tests.ui_helpers import BUNDLED_ARTICLES, make_assistant

HARBOUR = "The harbour of Haifa opened a new terminal for container ships this week.\n"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ANONYMIZED_TELEMETRY", "False")
        yield make_assistant(tmp_path_factory.mktemp("api-articles"))


def test_articles_lists_each_ingested_article_with_its_metadata(assistant: Assistant) -> None:
    listed = {a.source: a for a in assistant.articles()}
    assert sorted(listed) == sorted(p.name for p in BUNDLED_ARTICLES.iterdir())
    status = assistant.status()
    assert sum(a.chunks for a in listed.values()) == status.chunks
    for source, info in listed.items():
        article = assistant.article(source)
        assert article is not None
        assert (info.title, info.date, info.original_source) == (
            article.title,
            article.date,
            article.original_source,
        )
        assert info.chars == len(article.text)
        assert article.text.startswith(info.opening) and info.opening
        assert info.removable
    assert listed["001_e39134460b26401a.txt"].date == "Mar 22, 2025"


def test_remove_article_deletes_the_file_and_its_chunks(assistant: Assistant) -> None:
    path = assistant.settings.articles_path / "harbour.txt"
    path.write_text(HARBOUR, encoding="utf-8")
    assistant.ingest([path])
    before = assistant.status().chunks
    assert "harbour.txt" in {a.source for a in assistant.articles()}

    removed = assistant.remove_article("harbour.txt")

    assert (removed.source, removed.chunks, removed.file_deleted) == ("harbour.txt", 1, True)
    assert not path.exists()
    assert assistant.article("harbour.txt") is None
    assert "harbour.txt" not in {a.source for a in assistant.articles()}
    assert assistant.status().chunks == before - 1
    assert "harbour.txt" not in {
        r.source for r in assistant.retrieve("Haifa harbour terminal").sources
    }
    # A later ingest of the folder does not bring it back.
    assistant.ingest()
    assert assistant.article("harbour.txt") is None


@pytest.mark.parametrize(
    "source",
    ["", "no-such.txt", "../articles/000_c8c3204a0dfea43f.txt", "/etc/passwd", "x" * 2000],
)
def test_remove_article_refuses_what_is_not_in_the_library(
    assistant: Assistant, source: str
) -> None:
    count = len(assistant.articles())
    with pytest.raises(LibraryError):
        assistant.remove_article(source)
    assert len(assistant.articles()) == count


def test_an_article_ingested_from_another_folder_is_listed_but_not_removed(
    assistant: Assistant, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "tram.txt").write_text(
        "The tram line to the university opened on Sunday after four years of work.\n"
    )
    assistant.ingest([elsewhere / "tram.txt"])
    [info] = [a for a in assistant.articles() if a.source == "tram.txt"]
    assert not info.removable
    with pytest.raises(LibraryError, match="another folder"):
        assistant.remove_article("tram.txt")
    assert (elsewhere / "tram.txt").exists() and assistant.article("tram.txt") is not None
