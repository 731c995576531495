"""assistant/inputs.py: the question, history and k a caller gives, and every limit on them, through the
chain (offline, and the real openai client against the scripted server)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from langchain_core.messages import AIMessage, HumanMessage
from tokenizers import Tokenizer

from assistant.api import Assistant
from assistant.config import load_settings
from assistant.errors import QuestionError
from assistant.inputs import (
    PROMPT_OVERHEAD,
    SOURCE_OVERHEAD,
    Limits,
    bound_history,
    bound_rewrite,
    check_k,
    estimate_tokens,
    fit_prompt,
    normalize_history,
    normalize_question,
)
from assistant.records import Message, Source
from tests.conftest import _SETTINGS_ENV, BUNDLED_ARTICLES, GOLD_SET, PROJECT_ROOT
from tests.fake_openai import FakeOpenAI
from tests.fake_openai import fake_openai as fake_openai_fixture  # noqa: F401 - registers it

QUESTION = "Why did Israel avoid sanctioning Russia?"
FOLLOW_UP = "And what did Bennett say about it?"
KEY = "sk-test-inputs-0123456789"


# --- the question ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Who is\tZvi\nMagen?  ", "Who is Zvi Magen?"),
        ("Who is\x00Zvi\x07 Magen?\x7f", "Who is Zvi Magen?"),
        ("Cafe\u0301 talks?", "Caf\u00e9 talks?"),
        ("\x1b]0;owned\x07Who is \x1b[1;31mZvi\x1b[0m Magen?", "Who is Zvi Magen?"),
        ("Who is\x1b]8;;http://x\x1b\\ Zvi Magen?", "Who is Zvi Magen?"),  # OSC ended by ST
        ("\u202eWho is Zvi Magen?\u202c", "Who is Zvi Magen?"),  # bidi override dropped
        ("Who is\x9b31m Zvi Magen?", "Who is 31m Zvi Magen?"),  # C1 CSI: a space, not a code
        ("\x1b]unterminated Who is Zvi Magen?", "unterminated Who is Zvi Magen?"),
    ],
)
def test_normalize_question(raw: str, expected: str) -> None:
    assert normalize_question(raw, 100) == expected


def test_a_question_is_measured_after_cleaning_up_to_four_times_the_limit() -> None:
    coloured = "\x1b[01;34mword\x1b[0m " * 10  # 170 characters, 49 once cleaned
    assert normalize_question(coloured, 50) == " ".join(["word"] * 10)
    with pytest.raises(QuestionError, match=r"^The question is 201 characters long; the limit"):
        normalize_question("x" * 201, 50)  # over 4x: refused by its raw length


# --- history -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("history", "message"),
    [
        (
            42,
            (
                'History must be a list of {"role": "user"|"assistant", "content": ...} '
                "messages, not int; pass history=[] for none."
            ),
        ),
        (
            "Why?",
            (
                'History must be a list of {"role": "user"|"assistant", "content": ...} '
                "messages, not str; pass history=[] for none."
            ),
        ),
        (
            [{"role": "system", "content": "x"}],
            (
                'History item 0 must be {"role": "user"|"assistant", "content": ...}, '
                "not a dict with role 'system'."
            ),
        ),
        (
            [{"role": "user", "content": "ok"}, 7],
            'History item 1 must be {"role": "user"|"assistant", "content": ...}, not int.',
        ),
        ([{"role": "user", "content": 5}], "History item 0: content must be text, not int."),
    ],
)
def test_malformed_history_says_what_is_wrong(history: object, message: str) -> None:
    with pytest.raises(QuestionError) as raised:
        normalize_history(history)
    assert str(raised.value) == message


def test_history_from_dicts_messages_and_langchain_messages() -> None:
    assert normalize_history(None) == [] and normalize_history(()) == []
    assert normalize_history(
        [
            {"role": "user", "content": "a"},
            Message("assistant", "b"),
            HumanMessage("c"),
            AIMessage([{"type": "text", "text": "d"}, "e"]),
            {"role": "assistant", "content": None},
        ]
    ) == [
        Message("user", "a"),
        Message("assistant", "b"),
        Message("user", "c"),
        Message("assistant", "d e"),
        Message("assistant", ""),
    ]


def conversation(n: int, size: int = 100) -> list[Message]:
    return [
        Message("user" if i % 2 == 0 else "assistant", f"m{i:03d} " + "x" * (size - 5))
        for i in range(n)
    ]


def test_history_keeps_the_newest_messages_within_the_count() -> None:
    bounded = bound_history(conversation(30), Limits(max_history_messages=20))
    assert [m.content[:4] for m in bounded.messages] == [f"m{i:03d}" for i in range(10, 30)]
    assert bounded.dropped == 10
    assert bounded.note == (
        "The 10 oldest messages of the conversation were left out (limits: "
        "MAX_HISTORY_MESSAGES=20, MAX_HISTORY_CHARS=20,000)."
    )


def test_history_keeps_the_newest_messages_within_the_characters_and_never_cuts_one() -> None:
    bounded = bound_history(conversation(10, size=100), Limits(max_history_chars=350))
    assert [m.content[:4] for m in bounded.messages] == ["m007", "m008", "m009"]
    assert all(len(m.content) == 100 for m in bounded.messages)
    assert bounded.note is not None and bounded.note.startswith("The 7 oldest messages")
    one = bound_history(conversation(2, size=100), Limits(max_history_chars=150))
    assert one.dropped == 1 and one.note is not None
    assert one.note.startswith("The oldest message of the conversation was left out")


def test_a_huge_newest_message_is_dropped_with_everything_older() -> None:
    history = [*conversation(4), Message("user", "Why? " * 300_000)]  # 1.5 MB
    bounded = bound_history(history, Limits())
    assert bounded.messages == [] and bounded.dropped == 5


def test_history_within_the_limits_is_kept_whole_and_cleaned() -> None:
    history = [Message("user", "Why\x00 did\x1b[2J Israel\n avoid it?"), Message("assistant", "B")]
    bounded = bound_history(history, Limits())
    assert bounded == bound_history(bounded.messages, Limits())
    assert bounded.messages == [
        Message("user", "Why did Israel avoid it?"),
        Message("assistant", "B"),
    ]
    assert bounded.dropped == 0 and bounded.note is None


def test_a_rewrite_over_the_limit_falls_back_to_the_question() -> None:
    limits = Limits(max_rewrite_chars=40)
    assert bound_rewrite("What did Bennett say about sanctions?", FOLLOW_UP, limits) == (
        "What did Bennett say about sanctions?",
        None,
    )
    long_rewrite = FOLLOW_UP + " (context: " + "x" * 100 + ")"
    assert bound_rewrite(long_rewrite, FOLLOW_UP, limits) == (
        FOLLOW_UP,
        (
            "The follow-up's rewrite was longer than 40 characters (MAX_REWRITE_CHARS), so the "
            "question was searched as asked."
        ),
    )


# --- k -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "expected"), [(None, 5), (1, 1), (50, 50), (np.int64(3), 3)], ids=str
)
def test_k_in_range(k: object, expected: int) -> None:
    assert check_k(k, 5, 50) == expected


@pytest.mark.parametrize(
    ("k", "message"),
    [
        ("abc", "k must be a whole number from 1 to 50, not str 'abc'."),
        (2.5, "k must be a whole number from 1 to 50, not float '2.5'."),
        (True, "k must be a whole number from 1 to 50, not True."),
        (-1, "k must be from 1 to 50 (chunks to retrieve), not -1."),
        (0, "k must be from 1 to 50 (chunks to retrieve), not 0."),
        (51, "k must be from 1 to 50 (chunks to retrieve), not 51."),
    ],
)
def test_k_out_of_range_or_not_a_number(k: object, message: str) -> None:
    with pytest.raises(QuestionError) as raised:
        check_k(k, 5, 50)
    assert str(raised.value) == message


# --- the token estimate and the prompt budget --------------------------------------------------


def wordpiece_count(text: str) -> int:
    tokenizer = Tokenizer.from_file(str(PROJECT_ROOT / "vectorstore/assets/tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return len(tokenizer.encode(text, add_special_tokens=False).ids)


def test_the_token_estimate_is_conservative_against_a_real_tokenizer() -> None:
    # Dev: the bundled articles chose the constants (1.25x); held out: README and gold set.
    articles = "".join(p.read_text(encoding="utf-8") for p in sorted(BUNDLED_ARTICLES.iterdir()))
    ratio = estimate_tokens(articles) / wordpiece_count(articles)
    assert 1.0 <= ratio <= 1.5, ratio
    for held_out in (PROJECT_ROOT / "README.md", GOLD_SET):
        text = held_out.read_text(encoding="utf-8")
        assert 0.95 <= estimate_tokens(text) / wordpiece_count(text) <= 1.5, held_out


@pytest.mark.parametrize(
    ("text", "at_least"),
    [("", 0), ("a" * 4000, 1000), ("1234567890" * 30, 100), ("中" * 50, 50), ("?!" * 10, 20)],
)
def test_the_estimate_counts_long_runs_digits_and_other_scripts(text: str, at_least: int) -> None:
    assert estimate_tokens(text) >= at_least


def source(n: int, text: str, start: int = 100) -> Source:
    return Source(n, f"c{n}", "a.txt", text, start, start + len(text), 1.0 / n)


SENTENCE = "Israel kept its freedom of action in Syria while Russia held the airspace. "


def test_within_the_budget_nothing_is_left_out() -> None:
    sources = [source(i, SENTENCE * 3) for i in range(1, 4)]
    fitted = fit_prompt(QUESTION, conversation(4), sources, 8000)
    assert fitted.history == conversation(4) and fitted.sources == sources
    assert fitted.note is None
    assert fitted.tokens == (
        PROMPT_OVERHEAD
        + estimate_tokens(QUESTION)
        + sum(estimate_tokens(m.content) + 4 for m in conversation(4))
        + sum(estimate_tokens(s.text) + SOURCE_OVERHEAD for s in sources)
    )


def test_history_goes_first_then_the_lowest_ranked_sources() -> None:
    sources = [source(i, SENTENCE * 10) for i in range(1, 6)]  # ~190 tokens each
    history = conversation(20, size=400)  # ~130 tokens each
    # The rules, the question and four sources fit; the fifth source and the history don't.
    budget = (
        PROMPT_OVERHEAD
        + estimate_tokens(QUESTION)
        + 4 * (estimate_tokens(sources[0].text) + SOURCE_OVERHEAD)
        + 50
    )
    fitted = fit_prompt(QUESTION, history, sources, budget)
    assert fitted.history == [] and fitted.dropped_messages == 20
    assert fitted.sources == sources[:4] and fitted.dropped_sources == 1
    assert fitted.tokens <= budget
    assert fitted.note == (
        f"Left out to keep the model's prompt within {budget:,} tokens (MAX_PROMPT_TOKENS): the "
        "20 oldest messages of the conversation; the lowest-ranked source."
    )
    roomy = fit_prompt(QUESTION, history, sources, 3000)
    assert roomy.sources == sources and 0 < len(roomy.history) < 20
    assert roomy.history == history[-len(roomy.history) :]  # the newest ones


def test_a_best_source_over_the_budget_is_cut_and_its_offsets_still_hold() -> None:
    article = "Intro. " * 20 + SENTENCE * 400
    best = source(1, article[140:], start=140)
    fitted = fit_prompt(QUESTION, [], [best, source(2, SENTENCE)], 1000)
    (cut,) = fitted.sources
    assert fitted.cut_source and fitted.dropped_sources == 1 and fitted.tokens <= 1000
    assert cut.text and best.text.startswith(cut.text) and cut.text.endswith(".")
    assert article[cut.start : cut.end] == cut.text  # citations into it still resolve


# --- through the chain, offline ----------------------------------------------------------------


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    root = tmp_path_factory.mktemp("inputs")
    articles = root / "articles"
    shutil.copytree(BUNDLED_ARTICLES, articles)
    values: dict[str, object] = {
        "chroma_path": root / "chroma",
        "articles_path": articles,
        "_env_file": None,
    }
    with pytest.MonkeyPatch.context() as env:
        for name in _SETTINGS_ENV:
            env.delenv(name, raising=False)
        assert len(Assistant.from_settings(load_settings(**values)).ingest().added) == 5
    yield values


@pytest.fixture(scope="module")
def offline(paths: dict[str, object]) -> Assistant:
    return Assistant.from_settings(load_settings(**paths))


def test_api_arguments_are_checked_with_messages(offline: Assistant) -> None:
    with pytest.raises(QuestionError, match=r"^History must be a list .* not int"):
        offline.ask(QUESTION, history=42)  # type: ignore[arg-type]
    with pytest.raises(QuestionError, match=r"not str 'abc'"):
        offline.ask(QUESTION, k="abc")  # type: ignore[arg-type]
    for k in (-1, 0, 51):
        with pytest.raises(QuestionError, match=rf"not {k}\.$"):
            offline.ask(QUESTION, k=k)
        with pytest.raises(QuestionError, match=rf"not {k}\.$"):
            list(offline.stream(QUESTION, k=k))
        with pytest.raises(QuestionError, match=rf"not {k}\.$"):
            offline.retrieve(QUESTION, k=k)
    with pytest.raises(QuestionError, match=r"not -1\.$"):
        offline.chain.invoke({"question": QUESTION, "k": -1})
    assert len(offline.ask(QUESTION, k=2).retrieved) == 2


def test_a_long_conversation_keeps_its_newest_turns_and_says_so(offline: Assistant) -> None:
    earlier = [
        {"role": "user", "content": "Tell me about the weather in Oslo."},
        {"role": "assistant", "content": "The articles don't cover this question."},
    ] * 15 + [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": "..."}]
    answer = offline.ask(FOLLOW_UP, history=earlier)
    assert answer.rewritten_question == (
        "What did Bennett say about Israel avoiding sanctioning Russia?"
    )
    assert answer.notice == (
        "The 12 oldest messages of the conversation were left out (limits: "
        "MAX_HISTORY_MESSAGES=20, MAX_HISTORY_CHARS=20,000)."
    )


def test_a_megabyte_history_message_never_reaches_the_rewritten_question(
    offline: Assistant,
) -> None:
    # Issue 13, item 3: a 1.3 MB history message was copied into the rewritten question.
    flood = "Why did Israel avoid sanctioning Russia? " * 32_000  # 1.3 MB
    history = [{"role": "user", "content": flood}, {"role": "assistant", "content": "Because."}]
    answer = offline.ask(FOLLOW_UP, history=history)
    assert answer.rewritten_question is None or len(answer.rewritten_question) <= 4000
    assert answer.notice is not None
    assert answer.notice.startswith("The oldest message of the conversation was left out")


# --- through the chain, with the model backend --------------------------------------------------


def model_assistant(paths: dict[str, object], base_url: str, **overrides: object) -> Assistant:
    values = {
        **paths,
        "answer_backend": "openai",
        "openai_api_key": KEY,
        "openai_base_url": base_url,
        "openai_timeout": 5.0,
        "openai_max_retries": 0,
        "fallback_to_offline": False,
        **overrides,
    }
    return Assistant.from_settings(load_settings(**values))


def test_the_model_never_gets_more_history_than_the_limits(
    paths: dict[str, object], fake_openai: FakeOpenAI
) -> None:
    # Issue 13, item 3: the whole history (20 MB from /chat, 197 MB from Python) went to the model.
    assistant = model_assistant(paths, fake_openai.base_url)
    flood = [{"role": "user", "content": "Why? " * 200_000}] * 3  # 3 MB
    history = [*flood, {"role": "user", "content": QUESTION}, {"role": "assistant", "content": "A"}]
    fake_openai.script("What did Bennett say about sanctioning Russia?", "Bennett said so [1].")
    answer = assistant.ask(FOLLOW_UP, history=history)
    rewrite, reply = fake_openai.chat_requests
    assert QUESTION in rewrite.content_of("user")
    assert len(rewrite.content_of("user")) < 1000  # the two newest messages, and the framing
    assert answer.notice is not None and "3 oldest messages" in answer.notice
    assert answer.rewritten_question == "What did Bennett say about sanctioning Russia?"
    assert len(reply.content_of("user")) < 8000 * 4


def test_the_lowest_ranked_sources_are_left_out_to_fit_the_prompt_budget(
    paths: dict[str, object], fake_openai: FakeOpenAI
) -> None:
    roomy = model_assistant(paths, fake_openai.base_url)
    tight = model_assistant(paths, fake_openai.base_url, max_prompt_tokens=1000)
    reply = "Israel refrained from imposing strict sanctions on Russia [1]."
    fake_openai.script(reply, reply)
    full = roomy.ask(QUESTION, k=10)
    trimmed = tight.ask(QUESTION, k=10)
    full_prompt, trimmed_prompt = (r.content_of("user") for r in fake_openai.chat_requests)
    shown = trimmed_prompt.count("<source n=")
    assert full_prompt.count("<source n=") == 10
    assert 1 <= shown < 10
    assert estimate_tokens(trimmed_prompt) + PROMPT_OVERHEAD <= 1000 + 100
    assert trimmed.notice == (
        "Left out to keep the model's prompt within 1,000 tokens (MAX_PROMPT_TOKENS): the "
        f"{10 - shown} lowest-ranked sources."
    )
    assert full.notice is None
    # What was kept is the top of the same ranking, and the citation still resolves.
    assert trimmed_prompt.split("\n\nQuestion:")[0] in full_prompt
    (citation,) = trimmed.citations
    article = tight.article(citation.source)
    assert article is not None and article.text[citation.start : citation.end] == citation.quote


def test_settings_refuse_a_rewrite_limit_below_the_question_limit(tmp_path: Path) -> None:
    from assistant.errors import ConfigError

    with pytest.raises(ConfigError, match=r"^MAX_REWRITE_CHARS \(100\) must be at least"):
        load_settings(max_rewrite_chars=100, chroma_path=tmp_path, _env_file=None)
