"""Uploads as a batch (ui/library.py add_articles, ui/uploads.py): repeated entries count once,
one sync per batch, a cap on files, a copy of a library article is refused naming it, names in
other scripts keep their extension, limits on bytes and on text as documented."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.config import revalidate
from tests.ui_helpers import BUNDLED_ARTICLES, make_assistant
from ui import library
from ui.uploads import safe_file_name, summary_html

ORIGINAL = "004_c2d5eab1c8a75578.txt"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return make_assistant(tmp_path_factory.mktemp("batches"))


@pytest.fixture
def syncs(assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[Path]]]:
    """The paths of each sync the uploads ran (the real ingest, counted)."""
    calls: list[list[Path]] = []
    real = Assistant.ingest

    def counted(self: Assistant, paths: list[Path] | None = None, **kwargs: object) -> object:
        calls.append(list(paths or []))
        return real(self, paths, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Assistant, "ingest", counted)
    yield calls


def article(folder: Path, name: str, topic: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        f"The {topic} festival drew record crowds this spring, the organisers said on Monday. "
        f"They expect the {topic} festival to return next year with twice as many stalls.\n",
        encoding="utf-8",
    )
    return path


def library_names(assistant: Assistant) -> list[str]:
    return sorted(p.name for p in assistant.settings.articles_path.iterdir())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("новости.txt", "novosti.txt"),
        ("Новости дня.HTML", "Novosti_dnya.html"),
        ("αθήνα.md", "athina.md"),
        ("東京.txt", "article.txt"),
        ("خبر.pdf", "article.pdf"),
    ],
)
def test_names_in_other_scripts_keep_their_extension(name: str, expected: str) -> None:
    assert safe_file_name(name) == expected


def test_same_file_given_many_times_is_one_entry_and_one_sync(
    assistant: Assistant, syncs: list[list[Path]], tmp_path: Path
) -> None:
    upload = article(tmp_path, "kites.txt", "kite")
    outcomes, chunks = library.add_articles(assistant, [upload] * 30)
    assert [(o.name, o.status, o.source, o.copies) for o in outcomes] == [
        ("kites.txt", "added", "kites.txt", 30)
    ]
    assert syncs == [[assistant.settings.articles_path / "kites.txt"]]
    assert chunks == assistant.status().chunks
    assert "(given 30 times, taken once)" in summary_html(outcomes, chunks)


def test_a_batch_of_files_is_synced_once(
    assistant: Assistant, syncs: list[list[Path]], tmp_path: Path
) -> None:
    uploads = [
        article(tmp_path, f"{topic}.txt", topic) for topic in ("cheese", "lantern", "oyster")
    ]
    outcomes, _ = library.add_articles(assistant, uploads)
    assert [(o.name, o.status) for o in outcomes] == [
        ("cheese.txt", "added"),
        ("lantern.txt", "added"),
        ("oyster.txt", "added"),
    ]
    assert len(syncs) == 1 and len(syncs[0]) == 3


def test_files_beyond_the_cap_are_refused_with_what_to_do(
    assistant: Assistant, syncs: list[list[Path]], tmp_path: Path
) -> None:
    capped = Assistant(revalidate(assistant.settings, ui_max_upload_files=2), assistant.store)
    uploads = [article(tmp_path, f"{topic}.txt", topic) for topic in ("tulip", "walrus", "zither")]
    outcomes, _ = library.add_articles(capped, [uploads[0], uploads[0], *uploads[1:]])
    assert [(o.name, o.status) for o in outcomes] == [
        ("tulip.txt", "added"),
        ("walrus.txt", "added"),
        ("zither.txt", "skipped"),
    ]
    assert outcomes[2].reason == (
        "more than 2 files in one upload (UI_MAX_UPLOAD_FILES); add this one in another batch"
    )
    assert "zither.txt" not in library_names(assistant)
    assert len(syncs) == 1


def test_a_copy_of_a_library_article_is_refused_naming_it_and_evicts_nothing(
    assistant: Assistant, tmp_path: Path
) -> None:
    before = assistant.article(ORIGINAL)
    assert before is not None
    forged = tmp_path / "breaking.txt"
    forged.write_text(
        "Published: 1999-01-01\nSource: evil-news.example\n"
        + (BUNDLED_ARTICLES / ORIGINAL).read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    names_before = library_names(assistant)
    outcomes, _ = library.add_articles(assistant, [forged])
    assert [(o.name, o.status, o.reason) for o in outcomes] == [
        (
            "breaking.txt",
            "skipped",
            f"the same article as {ORIGINAL}, which is already in the library",
        )
    ]
    assert library_names(assistant) == names_before  # the refused copy was not left behind
    assert assistant.ingest().deleted == []  # and the next full sync evicts nothing
    assert assistant.article(ORIGINAL) == before
    assert assistant.article("breaking.txt") is None


def test_names_in_other_scripts_are_added_under_readable_names(
    assistant: Assistant, tmp_path: Path
) -> None:
    uploads = [
        article(tmp_path / "a", "новости.txt", "balalaika"),
        article(tmp_path / "b", "東京.txt", "origami"),
        article(tmp_path / "c", "大阪.txt", "takoyaki"),
    ]
    outcomes, _ = library.add_articles(assistant, uploads)
    assert [(o.name, o.status, o.source) for o in outcomes] == [
        ("новости.txt", "added", "novosti.txt"),
        ("東京.txt", "added", "article.txt"),
        ("大阪.txt", "added", "article-2.txt"),
    ]


def test_the_size_limit_counts_bytes_not_characters_of_markup(
    assistant: Assistant, tmp_path: Path
) -> None:
    """A 2.5 MB page, mostly inline script, holding a short article: under the 20 MB limit."""
    script = "<script>var data = '" + "x" * 2_500_000 + "';</script>"
    paragraphs = "".join(
        f"<p>The harbour of Port Ellis {i} reopened on Tuesday after a week of repairs to the "
        "storm-damaged sea wall, the port authority said.</p>"
        for i in range(4)
    )
    page = tmp_path / "harbour.html"
    page.write_text(
        f"<html><head><title>Harbour reopens</title>{script}</head><body><article>"
        f"<h1>Harbour reopens</h1>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    assert page.stat().st_size > 2_500_000
    outcomes, _ = library.add_articles(assistant, [page])
    assert [(o.status, o.source) for o in outcomes] == [("added", "harbour.html")]


def test_the_text_limit_applies_to_the_extracted_text(assistant: Assistant, tmp_path: Path) -> None:
    limited = Assistant(revalidate(assistant.settings, max_text_chars=5000), assistant.store)
    long_text = tmp_path / "chronicle.txt"
    long_text.write_text("The chronicle goes on and on. " * 400, encoding="utf-8")
    outcomes, _ = library.add_articles(limited, [long_text])
    assert [(o.status, o.reason) for o in outcomes] == [
        ("skipped", "text too long (12,000 characters)")
    ]


def test_an_upload_over_the_byte_limit_names_both_sizes(tmp_path: Path) -> None:
    from ui.uploads import rejection

    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (3 * 1024 * 1024))
    assert rejection(big, max_bytes=2 * 1024 * 1024) == "too large (3.0 MB; the limit is 2.0 MB)"
