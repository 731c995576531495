"""The real app served over HTTP and driven through gradio_client: /chat, streaming, sessions."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError, AuthenticationError

from assistant import Assistant
from assistant.records import Answer
from tests.ui_helpers import RunningApp, free_port, make_assistant, running_app
from ui import library
from ui.chat import GENERIC_ERROR, ChatHandlers
from ui.escaping import escape_markdown

pytestmark = [
    pytest.mark.slow,
    # Gradio's queue still uses pandas options that pandas 3 deprecates; not ours to fix.
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

BENNETT = "What did Naftali Bennett say Israel needs in Syria?"
SOURCES_LINE = re.compile(r"^\[(\d+)\] (\S+\.txt)(?: — .+)?: \".+\"$")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    with running_app(tmp_path_factory.mktemp("ui-api")) as app:
        yield app


@pytest.fixture
def client(served: RunningApp) -> Client:
    """A new client is a new browser session (its own gr.State)."""
    return Client(served.url, verbose=False, download_files=False)


def split_answer(text: str) -> tuple[str, list[str]]:
    body, _, rest = text.partition("\n\nSources:\n")
    return body, rest.split("\n\n")[0].splitlines() if rest else []


def test_chat_endpoint_returns_answer_with_markers_and_numbered_sources(client: Client) -> None:
    text = client.predict("Why did Israel avoid sanctioning Russia?", api_name="/chat")

    body, sources = split_answer(text)
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    assert markers, text
    listed = [SOURCES_LINE.match(line) for line in sources]
    assert all(listed), sources
    assert {int(m.group(1)) for m in listed if m} == markers
    assert "sanction" in body.lower()


def test_chat_endpoint_is_documented_with_an_optional_history(client: Client) -> None:
    endpoints = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert list(endpoints) == ["/chat"]
    params = endpoints["/chat"]["parameters"]
    assert [(p["parameter_name"], p["parameter_has_default"]) for p in params] == [
        ("question", False),
        ("history", True),
    ]


def test_chat_endpoint_streams_more_than_one_update(client: Client) -> None:
    job = client.submit("Why did he say that?", json.dumps(_bennett_history()), api_name="/chat")
    updates = list(job)
    assert len(updates) >= 2, updates
    assert updates[-1] == job.result()
    _, sources = split_answer(updates[-1])
    assert updates[0] != updates[-1] and sources
    # every streamed update is a prefix of the growing text until the final, authoritative one
    assert all(updates[i + 1].startswith(updates[i]) for i in range(len(updates) - 2))


def test_chat_endpoint_rewrites_a_follow_up_with_history(client: Client) -> None:
    text = client.predict("Why did he say that?", json.dumps(_bennett_history()), api_name="/chat")
    rewritten = re.search(r"^Follow-up understood as: (.+)$", text, re.MULTILINE)
    assert rewritten and "Bennett" in rewritten.group(1), text


def test_chat_endpoint_reports_bad_input_readably(client: Client) -> None:
    with pytest.raises(AppError, match="The question is empty; type a question"):
        client.predict("   ", api_name="/chat")
    with pytest.raises(AppError, match="history item 0: role must be user or assistant"):
        client.predict("Why?", '[{"role": "system", "content": "x"}]', api_name="/chat")


def test_a_follow_up_in_the_same_browser_session_is_rewritten(client: Client) -> None:
    client.predict(BENNETT, api_name="/ui_chat")
    chat, textbox = client.predict("Why did he say that?", api_name="/ui_chat")

    assert textbox == ""
    assert [m["role"] for m in chat] == ["user", "assistant", "user", "assistant"]
    reply = chat[-1]["content"][0]["text"]
    shown = re.search(r"^> \*\*Follow-up understood as:\*\* (.+)$", reply, re.MULTILINE)
    assert shown and "Bennett" in shown.group(1), reply
    assert "(#cite-1-1)" in reply  # citation links of the second turn


def test_sessions_do_not_share_a_conversation(served: RunningApp) -> None:
    first = Client(served.url, verbose=False)
    second = Client(served.url, verbose=False)
    first.predict(BENNETT, api_name="/ui_chat")
    chat, _ = second.predict("Why did he say that?", api_name="/ui_chat")
    assert len(chat) == 2
    assert "Follow-up understood as" not in chat[-1]["content"][0]["text"]


def test_a_refusal_is_shown_as_a_clear_notice(client: Client) -> None:
    chat, _ = client.predict("What is the capital of Peru?", api_name="/ui_chat")
    reply = chat[-1]["content"][0]["text"]
    assert reply.startswith("> **Not in the articles.** None of the loaded articles answers this")
    assert "#cite-" not in reply


def test_uploads_are_ingested_and_bad_files_named_and_skipped(
    served: RunningApp, tmp_path: Path
) -> None:
    good = tmp_path / "falcons of zanzibar.txt"
    good.write_text(
        "The falcon festival in Zanzibar drew record crowds this spring. Organisers said the "
        "festival will return next year with more falcons.\n"
    )
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    wrong_type = tmp_path / "notes.docx"
    wrong_type.write_text("not an article")
    articles = served.assistant.settings.articles_path
    before = sorted(p.name for p in articles.iterdir())

    outcomes, chunks = library.add_articles(served.assistant, [wrong_type, good, binary])

    assert [(o.name, o.status, o.source) for o in outcomes] == [
        ("notes.docx", "skipped", None),
        ("falcons of zanzibar.txt", "added", "falcons_of_zanzibar.txt"),
        ("photo.txt", "skipped", None),
    ]
    assert outcomes[2].reason == "binary file, not text"
    assert chunks == served.assistant.status().chunks
    assert sorted(p.name for p in articles.iterdir()) == sorted(
        before + ["falcons_of_zanzibar.txt"]
    )
    answer = served.assistant.ask("When will the falcon festival in Zanzibar return?")
    assert "falcons_of_zanzibar.txt" in {c.source for c in answer.citations}


def test_an_upload_over_the_size_limit_is_skipped(tmp_path: Path) -> None:
    assistant = make_assistant(tmp_path, ui_max_upload_mb=0.001)
    big = tmp_path / "big.txt"
    big.write_text("Long news. " * 200)
    outcomes, _ = library.add_articles(assistant, [big])
    assert outcomes[0].status == "skipped"
    assert outcomes[0].reason == "too large (2.1 KB; the limit is 1.0 KB)"
    assert not (tmp_path / "articles" / "big.txt").exists()


def test_a_backend_failure_is_a_readable_chat_message_without_the_key(tmp_path: Path) -> None:
    secret = "sk-test-do-not-show-1234567890"
    assistant = make_assistant(
        tmp_path,
        answer_backend="openai",
        openai_api_key=secret,
        openai_base_url=f"http://127.0.0.1:{free_port()}/v1",  # nothing listens there
        openai_max_retries=0,
        openai_timeout=5,
        fallback_to_offline=False,
    )
    *_, (chat, turns, _) = ChatHandlers(assistant).respond(
        "Why did Israel avoid sanctioning Russia?", []
    )
    reply = chat[-1]["content"]
    assert reply.startswith("> **Could not answer.** ")
    assert "127.0.0.1" in reply and secret not in reply and "Traceback" not in reply
    assert turns[0].answer is None


def test_an_unexpected_failure_is_logged_and_shown_generically(
    served: RunningApp, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(self: Assistant, *args: object, **kwargs: object) -> Iterator[str | Answer]:
        raise KeyError("internal detail /secret/path")
        yield ""  # pragma: no cover

    monkeypatch.setattr(Assistant, "stream", broken)
    with caplog.at_level(logging.ERROR, logger="ui.chat"):
        *_, (chat, _, _) = ChatHandlers(served.assistant).respond("Why?", [])
    assert chat[-1]["content"] == "> **Could not answer.** " + escape_markdown(GENERIC_ERROR)
    assert "secret" not in chat[-1]["content"]
    assert "internal detail /secret/path" in caplog.text


def _bennett_history() -> list[dict[str, str]]:
    return [
        {"role": "user", "content": BENNETT},
        {
            "role": "assistant",
            "content": "“We need freedom of action in Syria,” former Israeli Prime Minister "
            "Naftali Bennett explained [1].",
        },
    ]


def test_a_login_is_required_when_ui_credentials_are_set(tmp_path: Path) -> None:
    with running_app(tmp_path, ui_username="reader", ui_password="correct horse") as app:
        with pytest.raises(AuthenticationError, match="credentials were not provided"):
            Client(app.url, verbose=False)
        with pytest.raises(ValueError, match="Could not login"):
            Client(app.url, auth=("reader", "wrong"), verbose=False)
        client = Client(app.url, auth=("reader", "correct horse"), verbose=False)
        assert "[1]" in client.predict("Why did Israel avoid sanctioning Russia?", api_name="/chat")
