"""ui/library_page.py: the Library's table (escaped, sortable keys, titles for untitled articles)
and its open/remove actions over a real Assistant, read-only or not."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from assistant import ArticleInfo, Assistant
from assistant.config import revalidate
from tests.ui_helpers import make_assistant
from ui.library_page import library_action, sortable_date, table_html


def info(source: str = "a.txt", **fields: object) -> ArticleInfo:
    values: dict[str, object] = {
        "title": None,
        "date": None,
        "original_source": None,
        "chars": 120,
        "chunks": 1,
        "removable": True,
        "opening": "Officials met in Haifa. They talked.",
    }
    values.update(fields)
    return ArticleInfo(source=source, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("date", "key"),
    [
        ("2025-03-02", "2025-03-02"),
        ("2025-03-02T10:00:00Z", "2025-03-02"),
        ("Mar 22, 2025", "2025-03-22"),
        ("March 22, 2025", "2025-03-22"),
        ("22 March 2025", "2025-03-22"),
        ("yesterday", ""),
        (None, ""),
        ("9" * 5000, ""),
    ],
)
def test_sortable_date(date: str | None, key: str) -> None:
    assert sortable_date(date) == key


def test_each_row_shows_title_date_file_and_size_with_keys_to_sort_by() -> None:
    html = table_html(
        [
            info(
                "001_x.txt", title="Israel and Russia", date="Mar 22, 2025", chars=6973, chunks=13
            ),
            info("002_y.txt", original_source="www.foxnews.com"),
        ],
        read_only=False,
    )
    assert '<p class="na-lib-count">2 articles · 14 passages</p>' in html
    rows = re.findall(r"<tr data-source=.*?</tr>", html)
    assert len(rows) == 2
    assert 'data-date="2025-03-22" data-size="6973"' in rows[0]
    assert (
        '<button type="button" class="na-lib-open" data-source="001_x.txt">Israel and Russia</button>'
        in rows[0]
    )
    assert "6,973 characters <span>13 passages</span>" in rows[0]
    # An untitled article is named by its first sentence, never its file name.
    assert 'data-source="002_y.txt">Officials met in Haifa</button>' in rows[1]
    assert '<span class="na-lib-origin">www.foxnews.com</span>' in rows[1]
    assert rows[1].count("na-lib-remove") == 1


def test_read_only_rows_have_no_remove_button() -> None:
    html = table_html([info()], read_only=True)
    assert "na-lib-remove" not in html and "upload" not in html


def test_an_article_from_another_folder_has_no_remove_button() -> None:
    assert "na-lib-remove" not in table_html([info(removable=False)], read_only=False)


def test_article_text_in_the_table_is_escaped() -> None:
    hostile = info(
        '"><img src=x onerror=alert(1)>.txt',
        title="<script>alert(1)</script> ${x} {{y}}",
        original_source='" onmouseover="alert(2)',
    )
    html = table_html([hostile], read_only=False)
    assert "<script" not in html and "<img" not in html and 'onmouseover="' not in html
    assert "${" not in html and "{{" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_empty_library_says_how_to_add_articles() -> None:
    assert "Add some with the upload below." in table_html([], read_only=False)
    assert "upload" not in table_html([], read_only=True)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ANONYMIZED_TELEMETRY", "False")
        yield make_assistant(tmp_path_factory.mktemp("ui-library"))


def test_open_shows_the_cleaned_text(assistant: Assistant) -> None:
    table, viewer = library_action(
        assistant, {"action": "open", "source": "001_e39134460b26401a.txt"}
    )
    article = assistant.article("001_e39134460b26401a.txt")
    assert table is None and viewer is not None and article is not None
    assert viewer.startswith('<div class="na-panel"><div class="na-label">Article</div>')
    assert "Israel’s Complicated but Strategic Relationship" in viewer


@pytest.mark.parametrize(
    "action",
    [
        None,
        "open",
        {"action": "open"},
        {"action": "open", "source": "../../etc/passwd"},
        {"action": "dance", "source": "x"},
    ],
)
def test_odd_actions_change_nothing_or_say_not_in_the_library(
    assistant: Assistant, action: object
) -> None:
    table, viewer = library_action(assistant, action)
    assert table is None
    assert viewer is None or "That article is not in the library." in viewer


def test_remove_deletes_and_says_what_was_removed(assistant: Assistant) -> None:
    path = assistant.settings.articles_path / "harbour.txt"
    path.write_text("The harbour of Haifa opened a new terminal for container ships.\n")
    assistant.ingest([path])
    table, viewer = library_action(assistant, {"action": "remove", "source": "harbour.txt"})
    assert table is not None and viewer is not None
    assert (
        '<p class="na-lib-notice" role="status">Removed harbour.txt: the file and its 1 passage. '
        "Upload the file again to bring it back.</p>"
    ) in table
    assert 'data-source="harbour.txt"' not in table
    assert not path.exists() and assistant.article("harbour.txt") is None


def test_removing_what_is_not_there_is_a_readable_error(assistant: Assistant) -> None:
    table, _ = library_action(assistant, {"action": "remove", "source": "gone.txt"})
    assert table is not None
    assert (
        '<p class="na-lib-error" role="status">gone.txt is not in the library; nothing was removed.</p>'
        in table
    )


def test_read_only_refuses_removal_whatever_the_page_sends(assistant: Assistant) -> None:
    read_only = Assistant(revalidate(assistant.settings, ui_read_only=True), assistant.store)
    source = "000_c8c3204a0dfea43f.txt"
    table, viewer = library_action(read_only, {"action": "remove", "source": source})
    assert table is not None and viewer is None
    assert "This library is read-only here" in table
    assert (assistant.settings.articles_path / source).exists()
    assert assistant.article(source) is not None
