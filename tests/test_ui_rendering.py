"""ui/escaping.py, ui/rendering.py and ui/source_panel.py: what an Answer and an article look like."""

from __future__ import annotations

import json
import re

import pytest

from assistant.api import ArticleView
from assistant.records import Answer, Citation, Verdict
from ui.conversation import Turn
from ui.escaping import escape_html, escape_markdown
from ui.rendering import (
    CURSOR,
    STOPPED_NOTE,
    answer_markdown,
    answer_text,
    chat_messages,
    cite_href,
    conversation_markdown,
    display_title,
    first_sentence,
    flagged_sentences,
    linked_answer_markdown,
    page_data,
    parse_cite_href,
    partial_markdown,
    short_text,
    status_text,
)
from ui.source_panel import article_html, citation_html, highlight, locate, message_html

ARTICLE = (
    "Israel kept its distance. Officials said Israel needs freedom of action in Syria, "
    "where Russia controls the airspace. Sanctions were never imposed."
)
QUOTE = "Israel needs freedom of action in Syria"
START = ARTICLE.index(QUOTE)


def citation(
    n: int = 1,
    source: str = "001_a.txt",
    quote: str = QUOTE,
    start: int = START,
    title: str | None = None,
    date: str | None = None,
) -> Citation:
    return Citation(n, source, f"chunk-{n}", quote, start, start + len(quote), title, date)


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


# -- the answer's layout -------------------------------------------------------------------------


def test_answer_comes_first_then_a_compact_source_list_without_quotes() -> None:
    cited = [
        citation(2, "002_b.txt"),
        citation(1, title="Israel *and* Russia", date="2025-03-02"),
    ]
    rendered = answer_markdown(answer("Freedom of action [1][2].", cited), 0)
    body, sources = rendered.split("\n\n")
    assert body == "Freedom of action [\\[1\\]](#cite-0-1)[\\[2\\]](#cite-0-2)."
    assert sources.split("  \n") == [
        "**Sources**",
        (
            "[\\[1\\]](#cite-0-1) Israel \\*and\\* Russia \\(2025-03-02\\), "
            '<small class="na-file">001\\_a.txt</small>'
        ),
        '[\\[2\\]](#cite-0-2) <small class="na-file">002\\_b.txt</small>',
    ]
    assert QUOTE not in rendered


def test_understood_as_and_notices_are_small_notes_after_the_answer() -> None:
    rendered = answer_markdown(
        answer(
            "Bennett said Israel needs freedom of action [1].",
            [citation(1, title="T")],
            rewritten_question="What did Bennett say about <Syria>?",
            notice="OpenAI failed; answered offline",
        ),
        4,
    )
    blocks = rendered.split("\n\n")
    assert blocks[0].startswith("Bennett said")
    assert blocks[-1] == (
        '<small class="na-note">Understood as: What did Bennett say about &lt;Syria&gt;?<br>'
        "Note: OpenAI failed; answered offline</small>"
    )


@pytest.mark.parametrize(
    ("outcome", "text"),
    [
        ("unrelated", "Nothing in the library is about this."),
        ("smalltalk", "Hello! Ask me about the news articles."),
    ],
)
def test_an_unrelated_or_smalltalk_reply_is_said_once_with_no_sources(
    outcome: str, text: str
) -> None:
    reply = answer(text, [], refused=outcome == "unrelated", outcome=outcome)
    assert answer_markdown(reply, 0) == escape_markdown(text)
    assert answer_text(reply) == text


def test_a_related_answer_says_so_once_and_lists_the_closest_passages() -> None:
    text = "The articles don't say when; the closest passages are about Syria [1]."
    rendered = answer_markdown(
        answer(text, [citation(1, title="T")], refused=True, outcome="related"), 0
    )
    assert rendered.count("don't say") == 1
    assert "**Sources**" in rendered and "(#cite-0-1)" in rendered


def test_an_untitled_source_is_named_by_its_first_sentence_not_its_file() -> None:
    assert first_sentence("- Strategic Balancing Act: Israel keeps ties. More text.") == (
        "Strategic Balancing Act: Israel keeps ties"  # a name takes no full stop
    )
    long = "Underscoring the warming ties between the two countries, Russian President " * 3
    assert first_sentence(long) == short_text(long, 90) and len(first_sentence(long)) <= 91
    assert display_title(None, "Officials met. Then left.", "004_x.txt") == "Officials met"
    assert display_title(None, "Who met? Officials.", "004_x.txt") == "Who met?"
    assert display_title("  A  title ", "Ignored.", "x.txt") == "A title"
    assert display_title(None, "   ", "004_x.txt") == "004_x.txt"


def test_first_sentence_is_linear_on_a_long_unpunctuated_article() -> None:
    assert first_sentence("word " * 200_000).endswith("…")


# -- verification marks --------------------------------------------------------------------------

VERDICT_TEXT = "Israel needs freedom of action [1]. Russia sold jets in 2017 [2]. Here is more [1]."


def verdicts() -> list[Verdict]:
    first, second = VERDICT_TEXT.index("Russia"), VERDICT_TEXT.index("Here")
    return [
        Verdict("Israel needs freedom of action.", "verified", (1,), None, 0, first - 1),
        Verdict(
            "Russia sold jets in 2017.",
            "unsupported",
            (2,),
            "2017 is not in the cited passage",
            first,
            second - 1,
        ),
        Verdict(
            "Here is more.",
            "corrected",
            (1,),
            "cited [3], but [1] supports it",
            second,
            len(VERDICT_TEXT),
        ),
    ]


def test_unsupported_and_corrected_sentences_get_a_mark_with_the_reason() -> None:
    reply = answer(VERDICT_TEXT, [citation(1), citation(2)], verdicts=verdicts())
    rendered = answer_markdown(reply, 0)
    body = rendered.split("\n\n")[0]
    assert body == (
        "Israel needs freedom of action [\\[1\\]](#cite-0-1). "
        "Russia sold jets in 2017 [\\[2\\]](#cite-0-2). "
        '<span class="na-flag na-flag-unsupported" role="img" tabindex="0" '
        'title="Not supported by the cited passages: 2017 is not in the cited passage">⚠</span> '
        "Here is more [\\[1\\]](#cite-0-1)."
        ' <span class="na-flag na-flag-corrected" role="img" tabindex="0" '
        'title="Citation corrected: cited [3], but [1] supports it">ⓘ</span>'
    )
    assert [status for _, _, status, _ in flagged_sentences(reply)] == ["unsupported", "corrected"]


def test_a_mark_goes_after_the_sentence_markers_even_when_the_offset_ends_before_them() -> None:
    text = "Russia sold jets [2]. Next."
    reply = answer(
        text,
        [citation(2)],
        verdicts=[Verdict("Russia sold jets.", "unsupported", (2,), None, 0, text.index(" [2]"))],
    )
    assert flagged_sentences(reply) == [
        (0, text.index(". Next"), "unsupported", "Not supported by the cited passages")
    ]


def test_a_reason_cannot_break_out_of_its_mark() -> None:
    reason = '"><script>alert(1)</script>'
    text = "Claim [1]."
    reply = answer(
        text, [citation(1)], verdicts=[Verdict("Claim.", "unsupported", (1,), reason, 0, len(text))]
    )
    rendered = answer_markdown(reply, 0)
    assert "<script" not in rendered and '"><' not in rendered


def test_sentences_no_source_backs_are_marked_when_there_are_no_verdicts() -> None:
    reply = answer(
        "PWNED. Israel relies on Russian coordination in Syria [1].",
        [citation(1)],
        uncited_sentences=["PWNED."],
        backend="openai",
    )
    assert answer_markdown(reply, 0).startswith(
        'PWNED. <span class="na-flag na-flag-unsupported" role="img" tabindex="0" '
        'title="Not supported by the cited passages: no source backs this sentence">⚠</span>'
    )
    assert answer_text(reply).endswith(
        "Not supported by the cited passages: no source backs this sentence: “PWNED.”"
    )


# -- streaming, stopping, failing ----------------------------------------------------------------


def test_streamed_markers_show_as_pending_not_as_links() -> None:
    assert partial_markdown("<i>so far [1]") == (
        '&lt;i&gt;so far <span class="na-pending" title="Being checked against its source">'
        "\\[1\\]</span>" + CURSOR
    )
    assert "(#cite-" not in partial_markdown("A [1]. B [2, 3].")
    assert partial_markdown("").endswith(CURSOR)


def test_chat_messages_show_each_turn_in_its_state() -> None:
    done = Turn("Q <1>", answer=answer("Freedom [1].", [citation(1, title="T")]))
    turns = [
        done,
        Turn("Q2", state="failed", text="The model server at 127.0.0.1 is unreachable."),
        Turn("Q3", state="stopped", text="Half an answer [1]"),
        Turn("Q4", state="pending", text="Streaming"),
    ]
    messages = chat_messages(turns)
    assert [m["role"] for m in messages] == ["user", "assistant"] * 4
    assert messages[0]["content"] == "Q &lt;1&gt;"
    assert "(#cite-0-1)" in messages[1]["content"]
    assert messages[3]["content"] == (
        "> **Could not answer.** The model server at 127.0.0.1 is unreachable."
    )
    assert messages[5]["content"] == (
        f'Half an answer \\[1\\]\n\n<small class="na-note">{STOPPED_NOTE}</small>'
    )
    assert messages[7]["content"] == "Streaming" + CURSOR


# -- plain text: copy, /chat, export -------------------------------------------------------------


def test_plain_text_is_the_answer_with_markers_then_sources_title_date_file() -> None:
    text = answer_text(
        answer(
            "Freedom of action [1]. Airspace [2].",
            [citation(1, title="Israel and Russia", date="Mar 22, 2025"), citation(2, "002_b.txt")],
            rewritten_question="Why did Bennett say it?",
        )
    )
    assert text == (
        "Freedom of action [1]. Airspace [2].\n\n"
        "Sources:\n[1] Israel and Russia (Mar 22, 2025), 001_a.txt\n[2] 002_b.txt\n\n"
        "Understood as: Why did Bennett say it?"
    )
    assert "\\" not in text and "#cite" not in text


def test_the_exported_conversation_is_markdown_with_questions_answers_and_sources() -> None:
    turns = [
        Turn("Why *this*?", answer=answer("Because [1].", [citation(1, title="T", date="2025")])),
        Turn("And then?", state="failed", text="The store is unreachable."),
    ]
    assert conversation_markdown(turns) == (
        "# News assistant conversation\n\n"
        "## 1. Why \\*this\\*?\n\n"
        "Because \\[1\\].\n\n"
        "**Sources**\n\n"
        f"- \\[1\\] T \\(2025\\), 001\\_a.txt: “{QUOTE}”\n\n"
        "## 2. And then?\n\n"
        "Could not answer. The store is unreachable.\n"
    )
    assert conversation_markdown([]).endswith("No questions yet.\n")


def test_page_data_carries_copy_text_and_previews_per_turn() -> None:
    turns = [Turn("Q", answer=answer("A [1].", [citation(1, title="T", date="2025-01-02")]))]
    data = json.loads(page_data(turns))
    assert data["turns"] == [
        {
            "question": "Q",
            "copy": "A [1].\n\nSources:\n[1] T (2025-01-02), 001_a.txt",
            "previews": {
                "1": {"title": "T", "date": "2025-01-02", "source": "001_a.txt", "quote": QUOTE}
            },
        }
    ]
    assert data["export"].startswith("# News assistant conversation")


def test_page_data_is_json_a_script_can_parse_even_with_markup_in_it() -> None:
    turns = [Turn("</script><script>x()</script> & co", state="failed", text="<img src=x>")]
    data = page_data(turns)
    assert "<" not in data and ">" not in data and "&" not in data
    assert json.loads(data)["turns"][0]["question"] == "</script><script>x()</script> & co"


@pytest.mark.parametrize(
    ("articles", "backend", "model", "expected"),
    [
        (
            5,
            "offline",
            None,
            "5 articles · answering from the articles themselves, no AI model configured",
        ),
        (
            1,
            "offline",
            None,
            "1 article · answering from the articles themselves, no AI model configured",
        ),
        (
            0,
            "offline",
            None,
            "No articles yet · answering from the articles themselves, no AI model configured",
        ),
        (
            1200,
            "openai",
            "gpt-4o-mini",
            "1,200 articles · answers written by gpt-4o-mini and checked against the articles",
        ),
    ],
)
def test_status_line_in_plain_words(
    articles: int, backend: str, model: str | None, expected: str
) -> None:
    assert status_text(articles, backend, model) == expected


def test_short_text_cuts_at_a_word_with_ellipsis() -> None:
    assert short_text("one two three four", limit=12) == "one two…"
    assert short_text("  one\n two  ", limit=12) == "one two"


# -- the sources panel ---------------------------------------------------------------------------


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
    assert (
        '<div class="na-passage" tabindex="-1" role="region" aria-label="Passage quoted by [1]">'
        in html
    )


def test_a_panel_of_an_untitled_article_is_headed_by_its_first_sentence() -> None:
    html = article_html(article(title=None, source="002_884ea457e23f1205.txt"))
    assert '<h3 class="na-title">Israel kept its distance</h3>' in html
    assert '<h3 class="na-title">002_884ea457e23f1205.txt' not in html


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
