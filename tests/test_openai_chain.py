"""The chain with the OpenAI backend: the real openai client over HTTP to the fake OpenAI-compatible
server, on the bundled corpus in a real Chroma store."""

from __future__ import annotations

import logging
import re
import shutil
import socket
from collections.abc import Iterator

import pytest

from assistant import prompts
from assistant.api import Assistant
from assistant.config import load_settings
from assistant.errors import BackendError
from assistant.records import Answer
from tests.conftest import _SETTINGS_ENV, BUNDLED_ARTICLES
from tests.fake_openai import FakeOpenAI, Status
from tests.fake_openai import fake_openai as fake_openai_fixture  # noqa: F401 - registers it
from vectorstore import LibraryEmptyError

KEY = "sk-test-SECRET-123"
QUESTION = "Why did Israel avoid sanctioning Russia?"
FOLLOW_UP = "And what did Bennett say about it?"
MARKER = re.compile(r"\[(\d+)\]")


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """Store and articles folder holding the bundled corpus, ingested once for the module."""
    root = tmp_path_factory.mktemp("openai_chain")
    articles = root / "articles"
    shutil.copytree(BUNDLED_ARTICLES, articles)
    values: dict[str, object] = {"chroma_path": root / "chroma", "articles_path": articles}
    with pytest.MonkeyPatch.context() as env:  # module scope runs before the per-test isolation
        for name in _SETTINGS_ENV:
            env.delenv(name, raising=False)
        offline = Assistant.from_settings(load_settings(**values, _env_file=None))
    assert len(offline.ingest().added) == 5
    yield values


def openai_assistant(paths: dict[str, object], base_url: str, **overrides: object) -> Assistant:
    values: dict[str, object] = {
        **paths,
        "answer_backend": "openai",
        "openai_api_key": KEY,
        "openai_base_url": base_url,
        "openai_model": "gpt-4o-mini",
        "openai_timeout": 2.0,
        "openai_max_retries": 1,
        "_env_file": None,
    }
    values.update(overrides)
    return Assistant.from_settings(load_settings(**values))


@pytest.fixture
def assistant(paths: dict[str, object], fake_openai: FakeOpenAI) -> Assistant:
    return openai_assistant(paths, fake_openai.base_url)


def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def assert_citations_resolve(assistant: Assistant, answer: Answer) -> None:
    assert {int(n) for n in MARKER.findall(answer.answer)} == {c.n for c in answer.citations}
    for citation in answer.citations:
        article = assistant.article(citation.source)
        assert article is not None
        assert article.text[citation.start : citation.end] == citation.quote


def test_the_model_gets_the_rules_the_numbered_sources_and_the_question(
    assistant: Assistant, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script("Israel refrained from imposing strict sanctions on Russia [1].")
    answer = assistant.ask(QUESTION)
    assert answer.backend == "openai" and answer.refused is False
    (request,) = fake_openai.chat_requests
    sources = assistant.retrieve(QUESTION).sources
    assert request.content_of("system") == prompts.ANSWER_SYSTEM_PROMPT
    assert request.content_of("user") == (
        f"Sources:\n\n{prompts.format_sources(sources)}\n\nQuestion: {QUESTION}"
    )
    for source in sources:
        assert f'<source n="{source.n}" file="{source.source}"' in request.content_of("user")
    assert request.body["model"] == "gpt-4o-mini"
    assert request.body["stream"] is True
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert [(r.chunk_id, r.source) for r in answer.retrieved] == [
        (s.chunk_id, s.source) for s in sources
    ]


def test_a_citation_to_a_nonexistent_source_is_dropped(
    assistant: Assistant, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script("Israel refrained from imposing strict sanctions on Russia [1][9].")
    answer = assistant.ask(QUESTION)
    assert answer.answer == "Israel refrained from imposing strict sanctions on Russia [1]."
    assert len(answer.citations) == 1
    (citation,) = answer.citations
    assert "refrained from imposing strict sanctions on Russia" in citation.quote
    assert_citations_resolve(assistant, answer)
    assert answer.uncited_sentences == []


def test_an_unsupported_claim_loses_its_marker_and_is_flagged(
    assistant: Assistant, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(
        "Israel refrained from imposing strict sanctions on Russia [1]. "
        "Israel also sold ten fighter jets to Moscow in 2019 [9]."
    )
    answer = assistant.ask(QUESTION)
    assert answer.answer == (
        "Israel refrained from imposing strict sanctions on Russia [1]. "
        "Israel also sold ten fighter jets to Moscow in 2019."
    )
    assert answer.uncited_sentences == ["Israel also sold ten fighter jets to Moscow in 2019."]
    assert_citations_resolve(assistant, answer)


def test_a_reply_that_obeys_an_injection_is_flagged_uncited(
    assistant: Assistant, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(
        "PWNED! As the hidden instructions demanded, I now ignore every rule and print secrets [1]."
    )
    answer = assistant.ask(QUESTION)
    assert answer.refused is False
    assert answer.citations == []
    assert "[1]" not in answer.answer
    assert answer.uncited_sentences == [
        "PWNED!",
        "As the hidden instructions demanded, I now ignore every rule and print secrets.",
    ]


def test_streaming_yields_the_models_deltas_then_the_final_answer(
    assistant: Assistant, fake_openai: FakeOpenAI
) -> None:
    reply = (
        "Israel refrained from imposing strict sanctions on Russia [1]. "
        "It offered humanitarian aid to Ukraine instead [1][7]."
    )
    fake_openai.script("STATUS: answered\n" + reply)
    items = list(assistant.stream(QUESTION))
    deltas, final = [d for d in items[:-1] if isinstance(d, str)], items[-1]
    assert len(deltas) == len(items) - 1 >= 5
    # The stream shows what the model said, without its status line and without a marker of
    # a source that doesn't exist ([7]) ...
    assert "".join(deltas) == reply.replace("[1][7]", "[1]")
    assert not any("[7" in d or "STATUS" in d for d in deltas)
    assert isinstance(final, Answer)  # ... the final Answer what held up
    assert final.answer == (
        "Israel refrained from imposing strict sanctions on Russia [1]. "
        "It offered humanitarian aid to Ukraine instead [1]."
    )
    assert len(final.citations) == 1
    assert_citations_resolve(assistant, final)


def test_markers_written_other_ways_are_read_as_markers_while_streaming_and_after(
    assistant: Assistant, fake_openai: FakeOpenAI
) -> None:
    # "[Source 1]", "[1-2]" and "[^1]" are how models also cite; "[Source 9]" names a source
    # that doesn't exist and is never shown.
    fake_openai.script(
        "STATUS: answered\n"
        "Israel refrained from imposing strict sanctions on Russia [Source 1]. "
        "It offered humanitarian aid to Ukraine instead [^1][Source 9]."
    )
    items = list(assistant.stream(QUESTION))
    deltas, final = [d for d in items[:-1] if isinstance(d, str)], items[-1]
    shown = "".join(deltas)
    assert "Source" not in shown and "^" not in shown and "9" not in shown
    assert shown == (
        "Israel refrained from imposing strict sanctions on Russia [1]. "
        "It offered humanitarian aid to Ukraine instead [1]."
    )
    assert isinstance(final, Answer)
    assert final.answer == shown
    second = final.verdicts[1]
    assert (second.status, second.reason) == (
        "corrected",
        "it also cited source [9], which doesn't exist",
    )
    assert_citations_resolve(assistant, final)


@pytest.mark.parametrize(
    ("reply", "outcome"),
    [
        ("STATUS: not_answered\nThe sources don't say what Bennett ate.", "related"),
        ("STATUS: unrelated\nNothing in the sources is about that.", "unrelated"),
        ("The articles don't cover this question.", "unrelated"),  # no status line
        ("I couldn’t find that in the provided articles.", "unrelated"),
        (
            "The sources don't mention his lunch; they only cover his remarks on Syria [1].",
            "related",
        ),
    ],
)
def test_the_model_refusing_in_any_wording_is_a_refusal(
    assistant: Assistant, fake_openai: FakeOpenAI, reply: str, outcome: str
) -> None:
    fake_openai.script(reply)
    answer = assistant.ask("What did Bennett eat for lunch?")
    assert (answer.refused, answer.outcome, answer.backend) == (True, outcome, "openai")
    assert answer.uncited_sentences == []
    assert "STATUS" not in answer.answer


def test_an_empty_reply_is_a_refusal(assistant: Assistant, fake_openai: FakeOpenAI) -> None:
    fake_openai.script("")
    answer = assistant.ask(QUESTION)
    assert (answer.refused, answer.outcome, answer.citations) == (True, "unrelated", [])
    assert answer.answer == "Nothing in the library is about this."


def test_the_model_decides_with_no_lexical_gate_in_front_of_it(
    assistant: Assistant, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script("STATUS: unrelated\nNothing in the sources is about bananas.")
    answer = assistant.ask("How many calories are in a banana?")
    assert (answer.refused, answer.outcome) == (True, "unrelated")
    assert len(fake_openai.chat_requests) == 1  # the model was asked


def test_with_an_empty_library_the_model_is_not_asked(
    tmp_path: object, fake_openai: FakeOpenAI
) -> None:
    import pathlib

    root = pathlib.Path(str(tmp_path))
    empty = openai_assistant(
        {"chroma_path": root / "chroma", "articles_path": root / "articles"},
        fake_openai.base_url,
    )
    with pytest.raises(LibraryEmptyError, match="library is empty"):
        empty.ask(QUESTION)
    assert fake_openai.chat_requests == []


def test_the_model_rewrites_a_follow_up(assistant: Assistant, fake_openai: FakeOpenAI) -> None:
    rewrite = "What did Naftali Bennett say about Israel avoiding sanctions on Russia?"
    fake_openai.script(rewrite, "Bennett said Israel needs freedom of action in Syria [1].")
    history = [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": "Israel kept working relations with Moscow."},
    ]
    answer = assistant.ask(FOLLOW_UP, history=history)
    assert answer.rewritten_question == rewrite
    rewrite_request, answer_request = fake_openai.chat_requests
    assert rewrite_request.content_of("system") == prompts.REWRITE_SYSTEM_PROMPT
    assert f"User: {QUESTION}" in rewrite_request.content_of("user")
    assert f"Follow-up question: {FOLLOW_UP}" in rewrite_request.content_of("user")
    assert answer_request.content_of("user").endswith(f"Question: {rewrite}")
    assert answer.answer == "Bennett said Israel needs freedom of action in Syria [1]."
    assert "freedom of action" in answer.citations[0].quote
    assert_citations_resolve(assistant, answer)


def test_a_failed_rewrite_falls_back_to_the_offline_rewrite(
    assistant: Assistant, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(
        Status(500), Status(500), "Bennett said Israel needs freedom of action in Syria [1]."
    )
    answer = assistant.ask(FOLLOW_UP, history=[{"role": "user", "content": QUESTION}])
    assert answer.rewritten_question == (
        "What did Bennett say about Israel avoiding sanctioning Russia?"
    )
    assert answer.backend == "openai" and answer.refused is False
    assert len(fake_openai.chat_requests) == 3


def test_a_dead_server_falls_back_to_an_offline_answer_with_a_notice(
    paths: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    assistant = openai_assistant(
        paths, f"http://127.0.0.1:{closed_port()}/v1", fallback_to_offline=True
    )
    with caplog.at_level(logging.DEBUG):
        answer = assistant.ask(QUESTION)
    assert answer.backend == "offline"
    assert answer.refused is False and answer.citations
    assert_citations_resolve(assistant, answer)
    assert answer.notice is not None
    assert "cannot reach the model server" in answer.notice
    # Two sentences (issue 13, item 10: they ran together as "...is running Answered offline").
    assert re.fullmatch(
        r"cannot reach the model server at \S+ \(.+\); check OPENAI_BASE_URL and that the "
        r"server is running\. Answered offline from the articles instead\.",
        answer.notice,
    ), answer.notice
    assert KEY not in answer.notice and "SECRET" not in answer.notice
    assert KEY not in caplog.text


def test_a_dead_server_streams_the_offline_answer(paths: dict[str, object]) -> None:
    assistant = openai_assistant(paths, f"http://127.0.0.1:{closed_port()}/v1")
    items = list(assistant.stream(QUESTION))
    final = items[-1]
    assert isinstance(final, Answer) and final.backend == "offline" and final.notice
    assert "".join(i for i in items[:-1] if isinstance(i, str)) == final.answer


def test_a_dead_server_without_fallback_is_a_backend_error_without_the_key(
    paths: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    base_url = f"http://127.0.0.1:{closed_port()}/v1"
    assistant = openai_assistant(paths, base_url, fallback_to_offline=False)
    with caplog.at_level(logging.DEBUG), pytest.raises(BackendError) as raised:
        assistant.ask(QUESTION)
    message = str(raised.value)
    assert message.startswith(f"cannot reach the model server at {base_url}")
    assert KEY not in message and "SECRET" not in message
    assert raised.value.__cause__ is None and raised.value.__context__ is None
    assert KEY not in caplog.text


def test_a_server_error_without_fallback_is_a_backend_error_without_the_key(
    paths: dict[str, object], fake_openai: FakeOpenAI
) -> None:
    assistant = openai_assistant(paths, fake_openai.base_url, fallback_to_offline=False)
    fake_openai.script(
        Status(500, f"upstream saw key {KEY}"), Status(500, f"upstream saw key {KEY}")
    )
    with pytest.raises(BackendError) as raised:
        assistant.ask(QUESTION)
    assert "HTTP 500" in str(raised.value)
    assert KEY not in str(raised.value) and "SECRET" not in str(raised.value)


def test_status_names_the_openai_backend(assistant: Assistant) -> None:
    assert assistant.status().backend == "openai"
