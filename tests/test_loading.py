"""Reading article files: each supported format yields its text; anything else is refused with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loading import LoadedText, UnreadableFile, read_article_file

ARTICLE = (
    "Harbour Reopens After Storm\n"
    "The harbour at Port Ellis reopened on Tuesday after a week of repairs to the sea wall.\n"
    "Fishing crews returned to the water before dawn, the harbour master said.\n"
)

PAGE = """<!DOCTYPE html>
<html><head>
<title>Harbour Reopens After Storm | Coastal Times</title>
<meta property="og:site_name" content="Coastal Times">
<meta name="date" content="2024-03-05">
<script>var tracking = "SCRIPT_MARKER"; console.log(tracking);</script>
<style>.nav { color: red; } /* STYLE_MARKER */</style>
</head><body>
<nav><ul><li><a href="/">Home NAV_MARKER</a></li><li><a href="/world">World</a></li></ul></nav>
<header><div class="menu">Subscribe MENU_MARKER</div></header>
<!-- COMMENT_MARKER: an HTML comment is markup, not text -->
<main><article>
<h1>Harbour Reopens After Storm</h1>
<p>The harbour at Port Ellis reopened on Tuesday after a week of repairs to the storm-damaged sea
wall, the port authority said in a statement.</p>
<p>Fishing crews returned to the water before dawn, and the first catch was landed by mid-morning,
according to the harbour master who oversaw the reopening.</p>
<p>Engineers said the new wall is designed to withstand waves two metres higher than those of last
month's storm, which flooded the quay.</p>
</article></main>
<section id="comments"><h3>Comments</h3>
<div class="comment"><p>READER_COMMENT_MARKER what a great day for the town!</p></div></section>
<footer><p>FOOTER_MARKER Copyright 2024 Coastal Times</p></footer>
<script>document.write("SCRIPT2_MARKER")</script>
</body></html>
"""


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF: one Helvetica text line per string, one page per list."""
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, lines in enumerate(pages):
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
        ops += [f"({line}) Tj T*" for line in lines]
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", ["story.txt", "story.md", "story.markdown", "STORY.TXT"])
def test_plain_text_files_are_read_verbatim(tmp_path: Path, name: str) -> None:
    assert read_article_file(write(tmp_path, name, ARTICLE)) == LoadedText(ARTICLE, {})


def test_utf8_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + "Café owners protest.".encode())
    assert read_article_file(path).text == "Café owners protest."


@pytest.mark.parametrize("name", ["page.html", "page.htm"])
def test_html_yields_main_text_only_with_page_metadata(tmp_path: Path, name: str) -> None:
    loaded = read_article_file(write(tmp_path, name, PAGE))
    assert loaded.text.splitlines() == [
        "Harbour Reopens After Storm",
        (
            "The harbour at Port Ellis reopened on Tuesday after a week of repairs to the "
            "storm-damaged sea wall, the port authority said in a statement."
        ),
        (
            "Fishing crews returned to the water before dawn, and the first catch was landed by "
            "mid-morning, according to the harbour master who oversaw the reopening."
        ),
        (
            "Engineers said the new wall is designed to withstand waves two metres higher than "
            "those of last month's storm, which flooded the quay."
        ),
    ]
    for marker in ("SCRIPT", "STYLE", "NAV", "MENU", "COMMENT", "READER_COMMENT", "FOOTER"):
        assert f"{marker}_MARKER" not in loaded.text
    assert loaded.meta == {
        "title": "Harbour Reopens After Storm",
        "date": "2024-03-05",
        "original_source": "Coastal Times",
    }


def test_pdf_text_is_extracted_page_by_page(tmp_path: Path) -> None:
    data = pdf_bytes(
        [["Ceasefire talks resume in Cairo.", "Delegates met on Monday."], ["Page two."]]
    )
    loaded = read_article_file(write(tmp_path, "report.pdf", data))
    assert loaded == LoadedText(
        "Ceasefire talks resume in Cairo.\nDelegates met on Monday.\n\nPage two.", {}
    )


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b" \n\t\n  \n", "empty file"),
        (
            "image.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            "binary file, not text",
        ),
        ("controls.txt", b"ok" + b"\x01\x02\x03\x04\x05" * 20, "binary file, not text"),
        (
            "latin1.txt",
            "Caf\u00e9 owners protest".encode("latin-1"),
            "not valid UTF-8 text (byte 3); re-save the file as UTF-8",
        ),
        ("empty.pdf", b"", "empty file"),
        ("blank.pdf", pdf_bytes([[]]), "PDF has no extractable text (scanned image?)"),
        ("notes.docx", b"PK\x03\x04 a word file", "unsupported file type '.docx'"),
        ("README", b"no suffix at all", "unsupported file type 'README'"),
        ("script.py", "print('hello')", "unsupported file type '.py'"),
        (
            "page.html",
            "<html><body><script>x = 1</script></body></html>",
            "no article text found in the HTML",
        ),
    ],
)
def test_unreadable_files_raise_with_reason(
    tmp_path: Path, name: str, data: bytes | str, reason: str
) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_article_file(write(tmp_path, name, data))
    assert str(caught.value) == reason


@pytest.mark.parametrize(
    "data",
    [
        pdf_bytes([["Ceasefire talks resume in Cairo."]])[:200],  # truncated mid-object
        b"%PDF-1.4\nthis is not a pdf body\n%%EOF\n",
        b"just text with a .pdf name, no PDF header at all",
    ],
)
def test_corrupt_pdf_raises_with_reason(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_article_file(write(tmp_path, "broken.pdf", data))
    assert str(caught.value).startswith("corrupt or unreadable PDF (")


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "long.txt", "word " * 300_000)
    with pytest.raises(UnreadableFile) as caught:
        read_article_file(path, max_bytes=1024 * 1024)
    assert str(caught.value) == "file too large (1.4 MB > 1.0 MB limit)"
    assert read_article_file(path, max_bytes=1_500_000).text == "word " * 300_000


def test_missing_file_and_directory_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="^file disappeared while reading$"):
        read_article_file(tmp_path / "gone.txt")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(UnreadableFile, match="^is a directory$"):
        read_article_file(tmp_path / "folder.txt")
