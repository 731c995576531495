"""ui/escaping.py, ui/rendering.py and ui/source_panel.py: what an Answer and an article look like."""

from __future__ import annotations

import re

import pytest

from assistant.api import ArticleView
from assistant.records import Answer, Citation
from ui.escaping import escape_html, escape_markdown
from ui.rendering import (
    CURSOR,
    REFUSED_NOTICE,
    answer_markdown,
    answer_text,
    cite_href,
    linked_answer_markdown,
    parse_cite_href,
    partial_markdown,
    short_quote,
)
from ui.source_panel import citation_html, highlight, locate, message_html

ARTICLE = (
    "Israel kept its distance. Officials said Israel needs freedom of action in Syria, "
    "where Russia controls the airspace. Sanctions were never imposed."
)
QUOTE = "Israel needs freedom of action in Syria"
START = ARTICLE.index(QUOTE)


def citation(
    n: int = 1, source: str = "001_a.txt", quote: str = QUOTE, start: int = START
) -> Citation:
    return Citation(n, source, f"chunk-{n}", quote, start, start + len(quote))


def answer(text: str, citations: list[Citation], **fields: object) -> Answer:
    values: dict[str, object] = {"refused": False, "rewritten_question": None, "retrieved": []}
    values.update(fields)
    return Answer(text, citations, **values)  # type: ignore[arg-type]


def article(text: str = ARTICLE, **fields: str | None) -> ArticleView:
    values: dict[str, str | None] = {
        "source": "001_a.txt",
        "title": "Israel and Russia",
        "date": "2025-03-02",
        "original_source": "https://example.org/a",
    }
    values.update(fields)
    return ArticleView(text=text, **values)  # type: ignore[arg-type]


HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    '<a href="javascript:alert(1)">x</a>',
    "${window.__pwned=3}",
    "{{constructor.constructor('window.__pwned=4')()}}",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_escape_html_leaves_no_tag_attribute_or_template(hostile: str) -> None:
    escaped = escape_html(hostile)
    assert "<" not in escaped and ">" not in escaped
    assert '"' not in escaped and "'" not in escaped
    assert "${" not in escaped and "{{" not in escaped and "`" not in escaped


def test_escape_html_of_script_and_img_exactly() -> None:
    assert escape_html("<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    assert escape_html('<img src=x onerror="a()">') == "&lt;img src=x onerror=&quot;a()&quot;&gt;"
    assert escape_html("${a} {{b}}") == "&#36;&#123;a&#125; &#123;&#123;b&#125;&#125;"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_escape_markdown_leaves_no_tag_or_link(hostile: str) -> None:
    escaped = escape_markdown(hostile)
    assert "<" not in escaped and ">" not in escaped
    assert re.search(r"(?<!\\)[\[\]()]", escaped) is None  # no unescaped link syntax


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a *b* _c_ `d`", r"a \*b\* \_c\_ \`d\`"),
        ("[x](http://e.org)", r"\[x\]\(http&#58;//e.org\)"),
        ("# heading\n- item\n1. first", "\\# heading\n\\- item\n1\\. first"),
        ("$$x$$ ~y~ a|b", r"\$\$x\$\$ \~y\~ a\|b"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
    ],
)
def test_escape_markdown(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see http://x.org/a", "see http&#58;//x.org/a"),
        ("or www.x.org/ferries", "or www&#46;x.org/ferries"),
        ("write to ferries@x.org", "write to ferries&#64;x.org"),
        ("HTTPS://X.ORG and mailto:a@b.c", "HTTPS&#58;//X.ORG and mailto&#58;a&#64;b.c"),
        ("ftp://h/f javascript:x", "ftp&#58;//h/f javascript&#58;x"),
        ("no link: 10:30 at the office", "no link: 10:30 at the office"),
    ],
)
def test_escape_markdown_leaves_no_bare_url_or_address(text: str, expected: str) -> None:
    # GFM autolinks need no brackets; as character references these read the same but link nothing
    # (the browser test in tests/test_ui_links.py checks the rendered page).
    assert escape_markdown(text) == expected


def test_escape_markdown_line_starts_after_blank_lines() -> None:
    assert escape_markdown("\n\n\n# h\n \t- item\n\n12) x") == "\n\n\n\\# h\n \t\\- item\n\n12\\) x"


def test_markers_become_citation_links_for_their_turn() -> None:
    text = "Israel needs freedom of action [1]. Russia holds the airspace [2]."
    assert linked_answer_markdown(text, 3, {1, 2}) == (
        "Israel needs freedom of action [\\[1\\]](#cite-3-1). "
        "Russia holds the airspace [\\[2\\]](#cite-3-2)."
    )


def test_grouped_markers_link_each_number_and_unknown_numbers_stay_text() -> None:
    assert linked_answer_markdown("A [1, 2]. B [7].", 0, {1, 2}) == (
        "A [\\[1\\]](#cite-0-1)[\\[2\\]](#cite-0-2). B \\[7\\]."
    )


def test_answer_text_around_markers_is_escaped() -> None:
    rendered = linked_answer_markdown("<b>bold</b> claim [1]", 0, {1})
    assert rendered == "&lt;b&gt;bold&lt;/b&gt; claim [\\[1\\]](#cite-0-1)"


@pytest.mark.parametrize(("turn", "n"), [(0, 1), (12, 3), (999, 50)])
def test_cite_href_round_trips(turn: int, n: int) -> None:
    assert parse_cite_href(cite_href(turn, n)) == (turn, n)


@pytest.mark.parametrize("href", ["", "#cite-1", "#cite-a-1", "#article-x.txt", "#cite-1-2-3"])
def test_parse_cite_href_refuses_other_targets(href: str) -> None:
    assert parse_cite_href(href) is None


def test_answer_markdown_lists_sources_with_file_title_and_quote() -> None:
    cited = [citation(2, "002_b.txt"), citation(1)]
    rendered = answer_markdown(
        answer("Freedom of action [1][2].", cited), 0, {"001_a.txt": "Israel *and* Russia"}
    )
    body, sources = rendered.split("\n\n")
    assert body == "Freedom of action [\\[1\\]](#cite-0-1)[\\[2\\]](#cite-0-2)."
    assert sources.split("  \n") == [
        "**Sources**",
        f"[\\[1\\]](#cite-0-1) 001\\_a.txt — *Israel \\*and\\* Russia*: “{QUOTE}”",
        f"[\\[2\\]](#cite-0-2) 002\\_b.txt: “{QUOTE}”",
    ]


def test_answer_markdown_shows_rewritten_question_refusal_and_notice() -> None:
    rendered = answer_markdown(
        answer(
            "The articles don't cover this question.",
            [],
            refused=True,
            rewritten_question="Why did Naftali Bennett say <that>?",
            notice="OpenAI failed; answered offline",
        ),
        4,
        {},
    )
    assert rendered.split("\n\n") == [
        "> **Follow-up understood as:** Why did Naftali Bennett say &lt;that&gt;?",
        f"> **Not in the articles.** {REFUSED_NOTICE}",
        "> **Note:** OpenAI failed; answered offline",
        "The articles don't cover this question.",
    ]


def test_answer_text_for_programs_keeps_markers_and_numbers_sources() -> None:
    text = answer_text(
        answer(
            "Freedom of action [1].", [citation(1)], rewritten_question="Why did Bennett say it?"
        ),
        {"001_a.txt": "Israel and Russia"},
    )
    assert text == (
        "Freedom of action [1].\n\n"
        f'Sources:\n[1] 001_a.txt — Israel and Russia: "{QUOTE}"\n\n'
        "Follow-up understood as: Why did Bennett say it?"
    )


def test_partial_markdown_escapes_and_shows_cursor() -> None:
    assert partial_markdown("<i>so far [1]") == "&lt;i&gt;so far \\[1\\]" + CURSOR


def test_short_quote_cuts_at_a_word_with_ellipsis() -> None:
    assert short_quote("one two three four", limit=12) == "one two…"
    assert short_quote("  one\n two  ", limit=12) == "one two"


def test_highlight_splits_exactly_around_the_quote() -> None:
    part = highlight(ARTICLE, START, START + len(QUOTE), context=1000)
    assert part.marked == QUOTE
    assert part.before + part.marked + part.after == ARTICLE
    assert (part.cut_before, part.cut_after) == (False, False)


def test_highlight_window_is_cut_at_whitespace() -> None:
    part = highlight(ARTICLE, START, START + len(QUOTE), context=12)
    assert part.marked == QUOTE
    assert part.before == "said "
    assert part.after == ", where"
    assert (part.cut_before, part.cut_after) == (True, True)


def test_locate_uses_offsets_then_falls_back_to_finding_the_quote() -> None:
    assert locate(ARTICLE, citation()) == (START, START + len(QUOTE))
    moved = "New first line.\n" + ARTICLE
    assert locate(moved, citation()) == (START + 16, START + 16 + len(QUOTE))
    assert locate("Nothing like it.", citation()) is None


def test_citation_panel_marks_the_quote_and_shows_details() -> None:
    html = citation_html(1, citation(), article())
    mark = re.search(r'<mark class="na-mark">(.*?)</mark>', html)
    assert mark is not None and mark.group(1) == QUOTE
    assert '<h3 class="na-title">Israel and Russia</h3>' in html
    for label, value in [
        ("File", "001_a.txt"),
        ("Date", "2025-03-02"),
        ("Original source", "https://example.org/a"),
    ]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in html


def test_citation_panel_shows_hostile_article_as_text() -> None:
    hostile = "<script>window.__pwned=1</script> " + QUOTE + ' <img src=x onerror="y()">'
    start = hostile.index(QUOTE)
    html = citation_html(
        1, citation(start=start), article(hostile, title="<b>T</b>", source="<x>.txt")
    )
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;y()&quot;&gt;" in html
    assert f'<mark class="na-mark">{QUOTE}</mark>' in html


def test_citation_panel_when_the_article_is_gone_or_changed() -> None:
    assert "no longer in the library" in citation_html(1, citation(), None)
    changed = citation_html(1, citation(), article("Rewritten entirely."))
    assert "changed since this answer" in changed and "<mark" not in changed


def test_message_html_escapes() -> None:
    assert message_html("<b>x</b>", quote="<i>") == (
        '<div class="na-panel"><p class="na-hint">&lt;b&gt;x&lt;/b&gt;</p>'
        '<blockquote class="na-quote">&lt;i&gt;</blockquote></div>'
    )


def test_unverified_sentences_are_called_out_in_chat_and_plain_text() -> None:
    from assistant.records import Answer
    from ui.rendering import answer_markdown, answer_text

    answer = Answer(
        answer="PWNED. Israel relies on Russian coordination in Syria [1].",
        citations=[],
        refused=False,
        rewritten_question=None,
        retrieved=[],
        uncited_sentences=["The attacker now controls this assistant."],
        backend="openai",
    )
    assert (
        "> **Unverified:** 1 sentence not backed by any source: “The attacker now controls this assistant.”"
        in answer_markdown(answer, 0, {})
    )
    assert (
        "Unverified: 1 sentence not backed by any source: “The attacker now controls this assistant.”"
        in answer_text(answer, {})
    )
