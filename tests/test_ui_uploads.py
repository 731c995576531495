"""ui/uploads.py: safe upload names, checks, saving into the library, the summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.uploads import (
    Outcome,
    article_href,
    parse_article_href,
    rejection,
    safe_file_name,
    save_upload,
    summary_html,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("report.txt", "report.txt"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\win\\evil.MD", "evil.md"),
        ("/abs/path/x.html", "x.html"),
        ("évian <b>news<b>.pdf", "evian_b_news_b.pdf"),
        ("..txt", "txt"),
        (".hidden.txt", "hidden.txt"),
        ("spaces   and\ttabs.txt", "spaces_and_tabs.txt"),
        ("", "article"),
        ("....", "article"),
        ("a" * 300 + ".txt", "a" * 96 + ".txt"),
    ],
)
def test_safe_file_name(name: str, expected: str) -> None:
    assert safe_file_name(name) == expected


def test_rejection_names_type_size_and_empty(tmp_path: Path) -> None:
    ok = tmp_path / "ok.txt"
    ok.write_text("News.")
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 2001)
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    assert rejection(ok, max_bytes=2000) is None
    assert rejection(big, max_bytes=2000) == "too large (2.0 KB; the limit is 2.0 KB)"
    assert rejection(empty, max_bytes=2000) == "empty file"
    assert rejection(exe, max_bytes=2000) == (
        "unsupported file type '.exe'; upload one of .txt, .md, .markdown, .html, .htm, .pdf"
    )
    assert (
        rejection(tmp_path / "gone.txt", max_bytes=2000) == "the upload did not arrive; try again"
    )


def test_save_upload_never_overwrites_a_different_file(tmp_path: Path) -> None:
    library = tmp_path / "articles"
    library.mkdir()
    (library / "news.txt").write_text("The original article.")
    upload = tmp_path / "upload" / "news.txt"
    upload.parent.mkdir()
    upload.write_text("A different article.")

    saved, written = save_upload(upload, library)

    assert (saved.name, written) == ("news-2.txt", True)
    assert (library / "news.txt").read_text() == "The original article."
    assert saved.read_text() == "A different article."
    assert sorted(p.name for p in library.iterdir()) == ["news-2.txt", "news.txt"]


def test_save_upload_reuses_an_identical_file(tmp_path: Path) -> None:
    library = tmp_path / "articles"
    library.mkdir()
    (library / "news.txt").write_text("Same.")
    upload = tmp_path / "news.txt"
    upload.write_text("Same.")
    assert save_upload(upload, library) == (library / "news.txt", False)
    assert [p.name for p in library.iterdir()] == ["news.txt"]


def test_save_upload_stays_inside_the_library(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    upload = tmp_path / "up" / "..evil name!.TXT"
    upload.parent.mkdir()
    upload.write_text("x")
    saved, _ = save_upload(upload, library)
    assert saved == library / "evil_name.txt"


def test_article_href_round_trips_odd_names() -> None:
    for source in ["001_a.txt", "sub dir/ü & <x>.md"]:
        assert parse_article_href(article_href(source)) == source
    assert parse_article_href("#cite-1-2") is None


def test_summary_names_each_file_escaped_and_links_library_articles() -> None:
    html = summary_html(
        [
            Outcome("new.txt", "added", source="new.txt"),
            Outcome("<b>x</b>.exe", "skipped", reason="unsupported file type '.exe'"),
            Outcome("my news.txt", "unchanged", source="my_news.txt"),
        ],
        chunks=57,
    )
    assert html == (
        '<div class="na-upload"><p>1 added, 1 already in the library, 1 skipped · 57 chunks in '
        "the library</p><ul>"
        '<li class="na-added"><b>added</b>: <a href="#article-new.txt">new.txt</a></li>'
        '<li class="na-skipped"><b>skipped</b>: &lt;b&gt;x&lt;/b&gt;.exe — unsupported file type '
        "&#x27;.exe&#x27;</li>"
        '<li class="na-unchanged"><b>already in the library</b>: '
        '<a href="#article-my_news.txt">my_news.txt</a> (uploaded as my news.txt)</li></ul></div>'
    )
