"""Cleaning: the bundled articles lose their site boilerplate and keep every sentence; general rules."""

from __future__ import annotations

import pytest

from ingest.chunking import split_sentences
from ingest.cleaning import CleanArticle, clean_article
from tests.conftest import BUNDLED_ARTICLES

TITLE_001 = (
    "Israel’s Complicated but Strategic Relationship with Russia Could Strengthen with Trump "
    "Back in the White House"
)

# The raw lines of the bundled files that are not article text (each entry is the start of
# exactly one line). Every other non-empty line must survive cleaning.
BOILERPLATE_LINES: dict[str, list[str]] = {
    "000_c8c3204a0dfea43f.txt": ["Original Source: www.foxnews.com"],
    "001_e39134460b26401a.txt": [
        (
            "Transformative Virtual Reality Console: Prioritizing Community Benefit Over Profits "
            "Transformative Virtual Reality Console"
        ),
        "by | Mar 22, 2025 | Latest International News | 0 comments",
        "0 Comments",
        "Submit a Comment",
        "Your email address will not be published. Required fields are marked *",
        "Loading...",
    ],
    "002_884ea457e23f1205.txt": [],
    "003_145885402372f4fe.txt": ["Lorem ipsum dolor sit amet, consectetur adipiscing elit."],
    "004_c2d5eab1c8a75578.txt": ["No comments:", "Post a Comment"],
}

TITLES = {name: None for name in BOILERPLATE_LINES} | {"001_e39134460b26401a.txt": TITLE_001}

FOOTER_PHRASES = [
    "0 Comments",
    "Submit a Comment",
    "Your email address will not be published",
    "Required fields are marked",
    "No comments:",
    "Post a Comment",
    "Loading...",
    "Original Source:",
]

BODY = [
    "The harbour at Port Ellis reopened on Tuesday after a week of repairs.",
    "Fishing crews returned to the water before dawn, the harbour master said.",
    "Engineers said the new sea wall can withstand far higher waves.",
    "The port authority expects traffic to return to normal by Friday.",
    "Local businesses said the closure had cost them a week of trade.",
    "The council will review its storm defences at a meeting next month.",
]


def raw_lines(name: str) -> list[str]:
    return [
        line.strip() for line in (BUNDLED_ARTICLES / name).read_text(encoding="utf-8").splitlines()
    ]


def cleaned(name: str) -> CleanArticle:
    return clean_article((BUNDLED_ARTICLES / name).read_text(encoding="utf-8"))


def is_boilerplate(name: str, line: str) -> bool:
    return any(line.startswith(prefix) for prefix in BOILERPLATE_LINES[name])


def article_lines(name: str) -> list[str]:
    """The raw non-empty lines that are article text: not boilerplate, not the headline (it is
    metadata), not a line repeating the one just before it."""
    kept: list[str] = []
    title = TITLES[name]
    for line in raw_lines(name):
        if line and not is_boilerplate(name, line) and line != title and kept[-1:] != [line]:
            kept.append(line)
    return kept


def test_boilerplate_list_matches_the_bundled_files() -> None:
    assert sorted(p.name for p in BUNDLED_ARTICLES.iterdir()) == sorted(BOILERPLATE_LINES)
    for name, prefixes in BOILERPLATE_LINES.items():
        for prefix in prefixes:
            assert sum(line.startswith(prefix) for line in raw_lines(name)) == 1, (name, prefix)


@pytest.mark.parametrize("name", sorted(BOILERPLATE_LINES))
def test_bundled_article_has_no_footer_boilerplate_or_lorem(name: str) -> None:
    text = cleaned(name).text
    for phrase in FOOTER_PHRASES:
        assert phrase not in text, phrase
    assert "lorem" not in text.lower()
    assert "ipsum" not in text.lower()


@pytest.mark.parametrize("name", sorted(BOILERPLATE_LINES))
def test_bundled_article_keeps_every_sentence_of_its_text(name: str) -> None:
    text = cleaned(name).text
    for line in article_lines(name):
        for span in split_sentences(line):
            assert line[span.start : span.end] in text


@pytest.mark.parametrize("name", sorted(BOILERPLATE_LINES))
def test_bundled_article_keeps_its_lines_in_order_and_nothing_else(name: str) -> None:
    assert [line for line in cleaned(name).text.splitlines() if line] == article_lines(name)


@pytest.mark.parametrize(
    ("name", "title", "date", "original_source"),
    [
        ("000_c8c3204a0dfea43f.txt", None, None, "www.foxnews.com"),
        ("001_e39134460b26401a.txt", TITLE_001, "Mar 22, 2025", None),
        ("002_884ea457e23f1205.txt", None, None, None),
        ("003_145885402372f4fe.txt", None, None, None),
        ("004_c2d5eab1c8a75578.txt", None, None, None),
    ],
)
def test_bundled_article_metadata(
    name: str, title: str | None, date: str | None, original_source: str | None
) -> None:
    article = cleaned(name)
    assert (article.title, article.date, article.original_source) == (title, date, original_source)


def test_doubled_nav_line_is_gone_and_the_headline_is_metadata_not_text() -> None:
    article = cleaned("001_e39134460b26401a.txt")
    assert "Transformative Virtual Reality Console" not in article.text
    assert article.title == TITLE_001
    assert TITLE_001 not in article.text  # both printed copies of the headline are gone
    assert article.text.startswith("Israel has long pursued a delicate policy")


def test_mid_article_mention_of_comments_stays() -> None:
    sentence = (
        "He said that what Bennett was referring to in his comments was his concern that Russia "
        "could become more aggressive toward Israel and move from rhetoric to action."
    )
    assert sentence in cleaned("004_c2d5eab1c8a75578.txt").text


# --- general rules on synthetic texts -----------------------------------------------------------


@pytest.mark.parametrize(
    "marker",
    [
        "3 Comments",
        "1 comment",
        "No comments:",
        "Comments (2)",
        "Leave a Reply",
        "Leave a comment",
        "Submit a Comment",
        "Post a Comment",
        "Join the discussion",
        "12 thoughts on “Harbour Reopens After Storm”",
    ],
)
def test_comment_section_at_the_end_is_cut(marker: str) -> None:
    raw = "\n\n".join(BODY + [marker, "Jane: Great article, thanks!", "Bob: I disagree entirely."])
    assert clean_article(raw).text == "\n\n".join(BODY)


def test_comment_marker_near_the_top_does_not_cut_the_article() -> None:
    raw = "\n".join([BODY[0], "2 comments", *BODY[1:]])
    text = clean_article(raw).text
    for sentence in BODY:
        assert sentence in text


@pytest.mark.parametrize(
    "sentence",
    [
        "The minister's comments drew criticism from the opposition.",
        "Officials declined to comment, and 3 comments from residents were read aloud.",
        "What do you think the council will decide, asked the mayor.",
    ],
)
def test_sentence_mentioning_comments_stays_even_at_the_end(sentence: str) -> None:
    raw = "\n".join([BODY[0], BODY[1], sentence, BODY[2], sentence.upper(), sentence])
    text = clean_article(raw).text
    assert text.splitlines() == [BODY[0], BODY[1], sentence, BODY[2], sentence.upper(), sentence]


def test_heading_repeated_twice_becomes_the_title_and_leaves_the_body() -> None:
    raw = "Budget Talks Stall\n\nBudget Talks Stall\n\n" + "\n\n".join(BODY)
    article = clean_article(raw)
    assert article.text == "\n\n".join(BODY)
    assert article.title == "Budget Talks Stall"


def test_markdown_headline_is_the_title_without_its_marks() -> None:
    article = clean_article("# Budget Talks Stall\n\n" + "\n\n".join(BODY))
    assert (article.title, article.text) == ("Budget Talks Stall", "\n\n".join(BODY))


@pytest.mark.parametrize(
    "first_line",
    ["Harbour Reopens After Storm", "Harbour Reopens After Storm | Coastal Times"],
)
def test_line_repeating_the_pages_title_is_dropped(first_line: str) -> None:
    known = {"title": "Harbour Reopens After Storm"}
    article = clean_article("\n".join([first_line, *BODY]), known)
    assert (article.title, article.text) == ("Harbour Reopens After Storm", "\n".join(BODY))


def test_line_that_only_starts_like_the_title_stays() -> None:
    known = {"title": "Harbour Reopens"}
    article = clean_article("\n".join(["Harbour Reopens Its Doors Tomorrow", *BODY]), known)
    assert article.text == "\n".join(["Harbour Reopens Its Doors Tomorrow", *BODY])


def test_repeated_lines_stay_unless_they_repeat_the_line_before_or_the_title() -> None:
    lines = [
        "Meal Plan For The Week",
        "Monday",
        "- Breakfast: porridge with berries",
        "- Lunch: lentil soup",
        "Tuesday",
        "- Breakfast: porridge with berries",
        "- Lunch: lentil soup",
        "- Lunch: lentil soup",
        "Meal Plan For The Week",
        "Wednesday",
        "- Breakfast: porridge with berries",
    ]
    article = clean_article("\n".join(lines))
    assert article.title == "Meal Plan For The Week"
    assert article.text.splitlines() == [
        "Monday",
        "- Breakfast: porridge with berries",
        "- Lunch: lentil soup",
        "Tuesday",
        "- Breakfast: porridge with berries",
        "- Lunch: lentil soup",
        "Wednesday",
        "- Breakfast: porridge with berries",
    ]


def test_heading_after_body_is_not_the_title() -> None:
    raw = "\n".join([BODY[0], "What Comes Next", BODY[1]])
    article = clean_article(raw)
    assert article.title is None
    assert article.text == raw


@pytest.mark.parametrize(
    ("bar", "date"),
    [
        ("by | Jan 5, 2024 | News | 3 comments", "Jan 5, 2024"),
        ("by Jane Doe | 5 January 2024 | Politics", "5 January 2024"),
        ("| 2024-01-05 | World |", "2024-01-05"),
        ("By Staff | Sept. 14, 2023 | Local News | 0 comments", "Sept. 14, 2023"),
    ],
)
def test_byline_bar_gives_the_date_and_is_removed(bar: str, date: str) -> None:
    article = clean_article("\n".join(["Budget Talks Stall", bar, *BODY]))
    assert (article.title, article.date) == ("Budget Talks Stall", date)
    assert article.text == "\n".join(BODY)


@pytest.mark.parametrize(
    ("line", "date"),
    [("Published: March 3, 2024", "March 3, 2024"), ("Posted on 2024-03-03", "2024-03-03")],
)
def test_published_line_gives_the_date_and_is_removed(line: str, date: str) -> None:
    article = clean_article("\n".join([BODY[0], line, BODY[1]]))
    assert (article.date, article.text) == (date, "\n".join([BODY[0], BODY[1]]))


def test_lorem_paragraph_in_the_middle_goes() -> None:
    lorem = (
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Sed do eiusmod tempor "
        "incididunt ut labore et dolore magna aliqua."
    )
    raw = "\n\n".join(BODY[:3] + [lorem] + BODY[3:])
    assert clean_article(raw).text == "\n\n".join(BODY)


def test_sentence_quoting_a_latin_phrase_stays() -> None:
    sentence = "The motto, carved above the door in Latin, was ignored by the new owners."
    assert clean_article(sentence).text == sentence


@pytest.mark.parametrize(
    "line",
    [
        "Share this:",
        "Advertisement",
        "Read more:",
        "Loading...",
        "Related posts:",
        "Tags: port, storm",
    ],
)
def test_single_boilerplate_lines_go_anywhere(line: str) -> None:
    raw = "\n".join([BODY[0], line, BODY[1], BODY[2]])
    assert clean_article(raw).text == "\n".join(BODY[:3])


def test_original_source_line_is_metadata_not_text() -> None:
    article = clean_article("\n".join([*BODY[:2], "Source: Reuters"]))
    assert (article.text, article.original_source) == ("\n".join(BODY[:2]), "Reuters")


def test_metadata_the_format_gave_wins_over_lines_in_the_text() -> None:
    known = {"title": "From The Page", "date": "2024-03-05", "original_source": "Coastal Times"}
    raw = "\n".join(["Budget Talks Stall", "Published: March 3, 2024", BODY[0], "Source: Reuters"])
    article = clean_article(raw, known)
    assert (article.title, article.date, article.original_source) == (
        "From The Page",
        "2024-03-05",
        "Coastal Times",
    )
    assert article.text == "Budget Talks Stall\n" + BODY[0]


def test_line_endings_zero_width_and_nbsp_are_normalised() -> None:
    raw = "Israel\u200b’s port\r\nreopened\u00a0today.\rCrews returned.\r\n\r\n\r\n\r\nMore news."
    assert (
        clean_article(raw).text == "Israel’s port\nreopened today.\nCrews returned.\n\nMore news."
    )


def test_a_table_row_is_not_taken_for_a_byline_bar() -> None:
    cleaned = clean_article(
        "Results by country follow.\n| Israel | 12 |\n| Russia | 7 |\nThe end of the list."
    )
    assert "| Israel | 12 |" in cleaned.text
    assert cleaned.date is None


# --- linear time on adversarial input ------------------------------------------------------------

SIZES = (10_000, 100_000, 1_000_000)


def _adversarial(kind: str, size: int) -> str:
    """Text of about `size` characters built to make a backtracking pattern work hard."""
    if kind == "published-spaces":  # "Published" + a run of spaces + no date: cubic before
        return "Published" + " " * size + "x"
    if kind == "published-lines":  # the same, as many short lines
        line = "Published " + " " * 200 + "x\n"
        return line * (size // len(line))
    if kind == "pipes":
        return "by " + "|" * size
    if kind == "source-spaces":
        return "Source :" + " " * size + "\n"
    if kind == "dots":
        return "." * size + "x"
    if kind == "comment-lines":
        return ("3 comments\n" + "  \n") * (size // 14)
    if kind == "one-word":
        return "Loading" * (size // 7)
    raise AssertionError(kind)


def _seconds(kind: str, size: int) -> float:
    import time

    text = _adversarial(kind, size)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        clean_article(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize(
    "kind",
    [
        "published-spaces",
        "published-lines",
        "pipes",
        "source-spaces",
        "dots",
        "comment-lines",
        "one-word",
    ],
)
def test_cleaning_time_grows_linearly_with_adversarial_input(kind: str) -> None:
    """Ten times the input may take ten times as long, not a hundred: the ratio between sizes
    (generous, for a shared machine), never an absolute time. Before the patterns ran on capped,
    compacted lines, 'Published' + 1,500 spaces + 'x' alone took seconds (cubic backtracking)."""
    small, medium, large = (_seconds(kind, size) for size in SIZES)
    floor = 0.002  # below this the clock measures noise, not the pattern
    assert large / max(medium, floor) < 30, (kind, small, medium, large)
    assert medium / max(small, floor) < 30, (kind, small, medium, large)


# --- datelines and headline variants -------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("November 20, 2019 - 11:28 AMT", "November 20, 2019"),
        ("Tue, 5 March 2024 at 10:30", "5 March 2024"),
        ("2024-03-05", "2024-03-05"),
    ],
)
def test_a_dateline_above_the_text_is_metadata(line: str, date: str) -> None:
    article = clean_article("\n".join([line, *BODY]))
    assert (article.date, article.text) == (date, "\n".join(BODY))


def test_a_date_line_inside_the_text_stays() -> None:
    raw = "\n".join([BODY[0], "Timeline", "March 3, 2024", BODY[1]])
    article = clean_article(raw)
    assert (article.date, article.text) == (None, raw)


def test_the_headline_matches_the_pages_title_whatever_its_quotes() -> None:
    known = {"title": "'The Medium is the Message': a light festival | Inexhibit"}
    article = clean_article(
        "\n".join(["‘The Medium is the Message’: a light festival", *BODY]), known
    )
    assert article.text == "\n".join(BODY)


def test_a_filed_under_line_goes() -> None:
    assert clean_article("\n".join([*BODY[:2], "Filed under: Harbours |"])).text == "\n".join(
        BODY[:2]
    )


def test_a_wikis_review_banners_are_dropped() -> None:
    raw = (
        "Wikinews discusses DRM with Richard Stallman\nPublished: November 17, 2020\n\n"
        "This article requires pre-publication review by an uninvolved reviewer (one not "
        "substantially involved in writing the article).\n\n"
        "-Article last amended: Mar 5 at 12:05:19 UTC (history)Please check the talk page "
        "history before reviewing.\n\n"
        "On November 16, GitHub re-enabled public access to the repository."
    )
    article = clean_article(raw)
    assert article.text == "On November 16, GitHub re-enabled public access to the repository."
    assert article.title == "Wikinews discusses DRM with Richard Stallman"
