"""Seeded hostile files for ingest: real PDFs and HTML pages, mutated.

The PDF is a real one (`tests/data/article.pdf`, printed by Chromium's Skia from a bundled
article: Flate streams, an embedded CID font with a width array); the pages are real news pages
from `eval/extraction/html`. Mutations: bytes flipped, truncated, slices dropped or repeated,
tags shuffled, huge attributes, deep nesting, NUL and invalid UTF-8 bytes, other encodings;
for PDFs unknown or unsupported stream filters, broken font width arrays, deep nesting, wrong
lengths and counts, mangled page operators. Plus symlink loops. Used by the fuzz test (a few
hundred cases) and `benchmarks/fuzz_ingest.py` (thousands).
"""

from __future__ import annotations

import gzip
import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REAL_PDF = PROJECT_ROOT / "tests" / "data" / "article.pdf"
PAGES = PROJECT_ROOT / "eval" / "extraction" / "html"
# Small real pages (25-33 KB) keep a few hundred cases quick.
SEED_PAGES = [
    "85439e26c41c75901820d01a13e8cea7836abb58635ea3986f71a163ab0311d3",
    "ba07d1e64775f4090e39116c382111f5a2cfe9528dd179673f4e9bfcea370c15",
    "14cc2a0ca59c62a8c9f205a171e9ccf4ef4cf69b0c642f51c8c65c051b39024f",
    "359fee228518d55b921194561e9ca88e428df81940246f8fac7a75398377daea",
]

# The cases the issue reported, always included, with the reason each must be skipped for.
MATH_PAGE = (
    b"<!DOCTYPE html><html><head><meta charset=utf-8><title>Home</title></head><body>"
    b"<math>\xe2\x80\xa6</h1><h1><li><p>" + b" " * 120 + b"</body></html>"
)
NAMED_SKIPS = {
    "unknown-filter.pdf": "PDF uses a feature this reader lacks (Unsupported filter /FooDecode)",
    "font-widths.pdf": "corrupt or unreadable PDF (OverflowError)",
    "math.html": "no article text found (only navigation or boilerplate)",
    "self-link.html": "symlink loop",
    "ping.pdf": "symlink loop",
    "pong.pdf": "symlink loop",
}

Mutation = Callable[[bytes, random.Random], bytes]


@dataclass(frozen=True)
class Written:
    """What `write_cases` put in the folder."""

    files: list[str]  # regular files, by name
    links: list[str]  # symlinks (loops), by name


# --- mutations shared by both formats -------------------------------------------------------------


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 200)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def drop_slice(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, len(data) // 3 + 1) :]


def repeat_slice(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    piece = data[start : start + rng.randint(1, 400)]
    return data[:start] + piece * rng.randint(2, 2000) + data[start:]


def inject_junk(data: bytes, rng: random.Random) -> bytes:
    junk = rng.choice([b"\x00" * rng.randint(1, 64), b"\xff\xfe\xc3\x28", b"\x1b[31m", b"\r" * 50])
    at = rng.randrange(len(data))
    return data[:at] + junk + data[at:]


# --- HTML -----------------------------------------------------------------------------------------

_TAG = re.compile(rb"<[^<>]{0,300}>")


def shuffle_tags(data: bytes, rng: random.Random) -> bytes:
    parts = _TAG.split(data)
    tags = _TAG.findall(data)
    if len(tags) < 3:
        return data
    start = rng.randrange(len(tags))
    window = tags[start : start + rng.randint(2, 300)]
    rng.shuffle(window)
    tags[start : start + len(window)] = window
    out = bytearray(parts[0])
    for tag, text in zip(tags, parts[1:], strict=True):
        out += tag + text
    return bytes(out)


def huge_attribute(data: bytes, rng: random.Random) -> bytes:
    tags = list(_TAG.finditer(data))
    if not tags:
        return data
    tag = rng.choice(tags)
    value = rng.choice([b"A", b"&amp;", b"\"'", b"<p>"]) * rng.randint(10_000, 600_000)
    insert = b' data-x="' + value + b'"'
    return data[: tag.end() - 1] + insert + data[tag.end() - 1 :]


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    depth = rng.randint(300, 20_000)
    tag = rng.choice([b"div", b"span", b"li", b"table", b"b", b"math", b"svg"])
    at = rng.randrange(len(data))
    closing = b"</" + tag + b">" if rng.random() < 0.5 else b""
    return data[:at] + (b"<" + tag + b">") * depth + b"x" + closing * depth + data[at:]


def math_fragments(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + b"<math>\xe2\x80\xa6</h1><h1><li><p>" * rng.randint(1, 50) + data[at:]


def other_encoding(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", errors="replace")
    codec = rng.choice(["utf-16", "utf-32", "latin-1", "cp1251", "shift_jis"])
    return text.encode(codec, errors="replace")


def strip_to_navigation(data: bytes, rng: random.Random) -> bytes:
    links = re.findall(rb"<a [^>]{0,300}>[^<]{0,80}</a>", data)[: rng.randint(0, 40)]
    return b"<html><body><nav>" + b" | ".join(links) + b"</nav></body></html>"


HTML_MUTATIONS: list[Mutation] = [
    flip_bytes,
    truncate,
    drop_slice,
    repeat_slice,
    inject_junk,
    shuffle_tags,
    huge_attribute,
    deep_nesting,
    math_fragments,
    other_encoding,
    strip_to_navigation,
]


# --- PDF ------------------------------------------------------------------------------------------

_FILTERS = [
    b"/FooDecode",
    b"/LZWDecode",
    b"/JBIG2Decode",
    b"/CCITTFaxDecode",
    b"/DCTDecode",
    b"/RunLengthDecode",
    b"/ASCII85Decode",
    b"/Crypt",
    b"[/FlateDecode /FlateDecode]",
]
_WIDTHS = [
    b"/W [-99999999999 [5]",
    b"/W [0 999999999999999 500",
    b"/W [0 [1e999 -1e999 nan]",
    b"/W [0 [" + b"9" * 400 + b"]",
    b"/W [0 [" + b"[" * 2000,
    b"/W [0 [" + b" 1" * 200_000 + b"]",
    b"/W 7",
]


def unknown_filter(data: bytes, rng: random.Random) -> bytes:
    name = rng.choice(_FILTERS)
    count = rng.choice([1, -1])
    return data.replace(b"/Filter /FlateDecode", b"/Filter " + name, count)


def font_widths(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b"/W [0 [365.23438]", rng.choice(_WIDTHS), 1)


def pdf_deep_nesting(data: bytes, rng: random.Random) -> bytes:
    depth = rng.randint(100, 50_000)
    opener, closer = rng.choice([(b"[", b"]"), (b"<<", b">>")])
    return data.replace(b"/DW 250", b"/DW " + opener * depth + closer * depth, 1)


def wrong_numbers(data: bytes, rng: random.Random) -> bytes:
    target = rng.choice([rb"/Length \d+", rb"/Count \d+", rb"/Size \d+", rb"startxref\s+\d+"])
    value = rng.choice([b"0", b"-1", b"99999999999999999999", b"1e9"])
    return re.sub(target, lambda m: m.group(0).split()[0] + b" " + value, data, count=1)


def mangle_page_operators(data: bytes, rng: random.Random) -> bytes:
    """Inflate a content stream, break its operators, deflate it again."""
    streams = list(re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL))
    rng.shuffle(streams)
    for match in streams:
        try:
            content = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        if b"Tj" not in content and b"TJ" not in content:
            continue
        junk = rng.choice(
            [b" 1e308 Tz ", b" 99999999 TL ", b" [(x) -1e999] TJ ", b" BT BT BT ", b" q " * 5000]
        )
        at = rng.randrange(len(content))
        broken = zlib.compress(content[:at] + junk + content[at:])
        return data[: match.start(1)] + broken + data[match.end(1) :]
    return flip_bytes(data, rng)


PDF_MUTATIONS: list[Mutation] = [
    flip_bytes,
    truncate,
    drop_slice,
    repeat_slice,
    inject_junk,
    unknown_filter,
    font_widths,
    pdf_deep_nesting,
    wrong_numbers,
    mangle_page_operators,
]


def mutate(base: bytes, mutations: list[Mutation], rng: random.Random) -> tuple[str, bytes]:
    """One to three mutations in a row; returns their names and the result."""
    data = base
    names = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        mutation = rng.choice(mutations)
        data = mutation(data, rng) or b" "
        names.append(mutation.__name__)
    return "+".join(names), data


def seed_pages() -> list[bytes]:
    return [gzip.decompress((PAGES / f"{page}.html.gz").read_bytes()) for page in SEED_PAGES]


def write_cases(folder: Path, count: int, seed: int) -> Written:
    """The issue's named cases plus `count` seeded mutations (half PDF, half HTML) in `folder`."""
    rng = random.Random(seed)
    pdf = REAL_PDF.read_bytes()
    pages = seed_pages()
    files: list[str] = []
    named = {
        "unknown-filter.pdf": pdf.replace(b"/Filter /FlateDecode", b"/Filter /FooDecode"),
        "font-widths.pdf": pdf.replace(b"/W [0 [365.23438]", _WIDTHS[0], 1),
        "math.html": MATH_PAGE,
    }
    for name, data in named.items():
        (folder / name).write_bytes(data)
        files.append(name)
    for i in range(count):
        if i % 2 == 0:
            kinds, data = mutate(pdf, PDF_MUTATIONS, rng)
            suffix = ".pdf"
        else:
            kinds, data = mutate(rng.choice(pages), HTML_MUTATIONS, rng)
            suffix = rng.choice([".html", ".htm"])
        name = f"fuzz-{i:04d}-{kinds}{suffix}"[:120]
        (folder / name).write_bytes(data)
        files.append(name)
    (folder / "self-link.html").symlink_to(folder / "self-link.html")
    (folder / "ping.pdf").symlink_to(folder / "pong.pdf")
    (folder / "pong.pdf").symlink_to(folder / "ping.pdf")
    loop = folder / "loop-dir"
    loop.mkdir()
    (loop / "parent").symlink_to(folder, target_is_directory=True)  # never followed
    return Written(files, ["self-link.html", "ping.pdf", "pong.pdf"])
