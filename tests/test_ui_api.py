"""The real app served over HTTP and driven through gradio_client: /chat, streaming, sessions, and
the chat's handlers over a real Assistant (too-long questions, stopping, two answers at once)."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import gradio as gr
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError, AuthenticationError

from assistant import Assistant
from assistant.records import Answer
from tests.fake_openai import FakeOpenAI, Reply
from tests.fake_openai import fake_openai as fake_openai_fixture  # noqa: F401 - registers it
from tests.ui_helpers import RunningApp, free_port, make_assistant, running_app, with_model
from ui import library
from ui.chat import GENERIC_ERROR, ChatHandlers, too_long_message
from ui.conversation import Conversation
from ui.escaping import escape_markdown

pytestmark = [
    pytest.mark.slow,
    # Gradio's queue still uses pandas options that pandas 3 deprecates; not ours to fix.
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

BENNETT = "What did Naftali Bennett say Israel needs in Syria?"
# "[1] Title (date), file": the title (or the article's first sentence) and date when known.
SOURCES_LINE = re.compile(r"^\[(\d+)\] (?:.+, )?(\S+\.txt)$")


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


def test_chat_endpoint_names_each_source_by_title_or_first_sentence(
    client: Client, served: RunningApp
) -> None:
    text = client.predict("Why did Israel avoid sanctioning Russia?", api_name="/chat")
    _, sources = split_answer(text)
    for line in sources:
        match = SOURCES_LINE.match(line)
        assert match, line
        head = line[len(f"[{match.group(1)}] ") : -len(match.group(2))].rstrip(", ")
        assert head and not head.endswith(".txt"), line  # never just the hash file name
        article = served.assistant.article(match.group(2))
        assert article is not None
        if article.title:
            assert head.startswith(article.title[:40]), line
        else:
            assert head.split("…")[0].rstrip(" (") in " ".join(article.text.split()), line


def test_chat_endpoint_rewrites_a_follow_up_with_history(client: Client) -> None:
    text = client.predict("Why did he say that?", json.dumps(_bennett_history()), api_name="/chat")
    rewritten = re.search(r"^Understood as: (.+)$", text, re.MULTILINE)
    assert rewritten and "Bennett" in rewritten.group(1), text


def test_chat_endpoint_reports_bad_input_readably(client: Client) -> None:
    with pytest.raises(AppError, match="The question is empty; type a question"):
        client.predict("   ", api_name="/chat")
    with pytest.raises(AppError, match="history item 0: role must be user or assistant"):
        client.predict("Why?", '[{"role": "system", "content": "x"}]', api_name="/chat")


def reply_of(chat: list[dict]) -> str:
    return text_of(chat[-1])


def test_a_follow_up_in_the_same_browser_session_is_rewritten(client: Client) -> None:
    client.predict(BENNETT, api_name="/ui_chat")
    job = client.submit("Why did he say that?", api_name="/ui_chat")
    chat, *_ = job.result()

    assert job.outputs()[0][1] == ""  # the question box is emptied as soon as it is asked
    assert [m["role"] for m in chat] == ["user", "assistant", "user", "assistant"]
    reply = reply_of(chat)
    assert not reply.startswith("<small")  # the answer comes first
    shown = re.search(r"Understood as: (.+?)</small>", reply)
    assert shown and "Bennett" in shown.group(1), reply
    assert "(#cite-1-1)" in reply  # citation links of the second turn


def test_sessions_do_not_share_a_conversation(served: RunningApp) -> None:
    first = Client(served.url, verbose=False)
    second = Client(served.url, verbose=False)
    first.predict(BENNETT, api_name="/ui_chat")
    chat, *_ = second.predict("Why did he say that?", api_name="/ui_chat")
    assert len(chat) == 2
    assert "Understood as" not in reply_of(chat)


def test_a_refusal_says_so_once_without_a_second_notice(client: Client) -> None:
    chat, *_ = client.predict("What is the capital of Peru?", api_name="/ui_chat")
    reply = reply_of(chat)
    assert "#cite-" not in reply and "Sources" not in reply
    assert not reply.startswith(">")  # no notice block before (or besides) the answer's own words
    assert "\n\n" not in reply  # one message, said once


def test_two_answers_at_once_in_one_session_each_get_their_own_turn(client: Client) -> None:
    questions = [
        "Who was the first Kremlin leader to visit Israel?",
        "What is the deconfliction mechanism between Israel and Russia for?",
    ]
    jobs = [client.submit(q, api_name="/ui_chat") for q in questions]
    finished: set[int] = set()
    for job in jobs:
        chat = job.result()[0]
        assert [m["role"] for m in chat] == ["user", "assistant"] * 2
        assert sorted(text_of(m) for m in chat[0::2]) == sorted(questions)
        for turn, message in enumerate(chat[1::2]):
            text = text_of(message)
            if "▍" in text:
                continue  # still streaming when this job ended
            finished.add(turn)
            cited_turns = {int(t) for t in re.findall(r"\(#cite-(\d+)-\d+\)", text)}
            assert cited_turns == {turn}, text
    assert finished == {0, 1}


def text_of(message: dict) -> str:
    content = message["content"]
    return str(content if isinstance(content, str) else content[0]["text"])


def test_two_answers_at_once_open_their_own_passages(served: RunningApp) -> None:
    chat = ChatHandlers(served.assistant)
    conversation = Conversation()
    questions = [
        "Who was the first Kremlin leader to visit Israel?",
        "What is the deconfliction mechanism between Israel and Russia for?",
    ]
    barrier = threading.Barrier(2)

    def ask(question: str) -> None:
        barrier.wait()
        for _ in chat.respond(question, conversation):
            pass

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(ask, questions))
    turns = conversation.turns()
    assert sorted(t.question for t in turns) == sorted(questions)
    for index, turn in enumerate(turns):
        assert turn.answer is not None and turn.answer.citations
        first = turn.answer.citations[0]
        panel = chat.open_source(f"#cite-{index}-{first.n}", conversation)
        assert 'class="na-mark"' in panel
        assert escape_markdown(first.source).replace("\\", "") in panel


def test_a_too_long_question_is_refused_and_stays_in_the_box(served: RunningApp) -> None:
    conversation = Conversation()
    limit = served.assistant.settings.max_question_chars
    question = "Why " * (limit // 4 + 1)
    updates = list(ChatHandlers(served.assistant).respond(question, conversation))
    assert len(updates) == 1
    chat, box, message, *_ = updates[0]
    assert message == too_long_message(len(question.strip()), limit)
    assert "MAX_QUESTION_CHARS" not in message
    assert chat == gr.skip() and box == gr.skip()  # the chat and the question box stay as they are
    assert conversation.turns() == []


def test_stop_ends_a_streaming_answer_and_keeps_what_was_shown(
    served: RunningApp, fake_openai: FakeOpenAI
) -> None:
    words = "Israel avoided sanctions to keep its freedom of action in Syria [1]. " * 20
    fake_openai.script(Reply(words, pause=0.05))
    assistant = with_model(served.assistant, fake_openai.base_url)
    conversation = Conversation()
    updates = ChatHandlers(assistant).respond(
        "Why did Israel avoid sanctioning Russia?", conversation
    )
    for update in updates:
        turn = conversation.turns()[0]
        if turn.text.count(" ") >= 5:
            conversation.stop()  # what the Stop button does
            break
    rest = list(updates)
    [turn] = conversation.turns()
    assert turn.state == "stopped" and turn.answer is None
    assert 5 <= turn.text.count(" ") < words.count(" ")
    assert words.startswith(turn.text)
    final = rest[-1]
    assert reply_of(final[0]).endswith("not checked against the sources.</small>")
    assert final[5] == {"visible": True, "__type__": "update"}  # Ask is back
    assert final[6] == {"visible": False, "__type__": "update"}  # and Stop gone


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


def test_a_backend_failure_is_a_readable_chat_message_without_the_key(served: RunningApp) -> None:
    secret = "sk-test-do-not-show-1234567890"
    assistant = with_model(
        served.assistant,
        f"http://127.0.0.1:{free_port()}/v1",  # nothing listens there
        openai_api_key=secret,
        openai_timeout=5,
        fallback_to_offline=False,
    )
    conversation = Conversation()
    *_, update = ChatHandlers(assistant).respond(
        "Why did Israel avoid sanctioning Russia?", conversation
    )
    reply = update[0][-1]["content"]
    assert reply.startswith("> **Could not answer.** ")
    assert "127.0.0.1" in reply and secret not in reply and "Traceback" not in reply
    assert conversation.turns()[0].answer is None


def test_an_unexpected_failure_is_logged_and_shown_generically(
    served: RunningApp, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(self: Assistant, *args: object, **kwargs: object) -> Iterator[str | Answer]:
        raise KeyError("internal detail /secret/path")
        yield ""  # pragma: no cover

    monkeypatch.setattr(Assistant, "stream", broken)
    with caplog.at_level(logging.ERROR, logger="ui.chat"):
        *_, update = ChatHandlers(served.assistant).respond("Why?", Conversation())
    chat = update[0]
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
