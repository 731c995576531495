"""What the caller gave (question, history, k) checked and bounded: every limit on it, in one place."""

from __future__ import annotations

import logging
import math
import operator
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from langchain_core.messages import BaseMessage

from assistant.config import MAX_RETRIEVAL_K, Settings
from assistant.errors import QuestionError
from assistant.prompts import ANSWER_SYSTEM_PROMPT, REWRITE_SYSTEM_PROMPT
from assistant.records import Message, Source
from assistant.terminal import ESCAPE_SEQUENCE

log = logging.getLogger(__name__)

# A question longer than this many times MAX_QUESTION_CHARS is refused before any pattern runs
# over it. Normalising only removes escape codes and runs of whitespace: text pasted from a
# coloured terminal (`ESC[01;34m` word `ESC[0m`, 11 codes per 6-letter word) is 2.6x its visible
# length, so 4x refuses nothing a person pastes and caps the work at 4 x 2,000 characters.
RAW_QUESTION_FACTOR = 4
# Control characters become spaces (a NUL between two words must not join them); the bidi
# overrides and isolates, which only reorder what is shown, are dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Limits:
    """Every limit on what a caller controls; the defaults are the settings' defaults."""

    max_question_chars: int = 2000
    max_history_messages: int = 20
    max_history_chars: int = 20_000
    max_rewrite_chars: int = 4000
    max_prompt_tokens: int = 8000
    max_k: int = MAX_RETRIEVAL_K

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            max_question_chars=settings.max_question_chars,
            max_history_messages=settings.max_history_messages,
            max_history_chars=settings.max_history_chars,
            max_rewrite_chars=settings.max_rewrite_chars,
            max_prompt_tokens=settings.max_prompt_tokens,
        )


def normalize_question(question: object, max_chars: int) -> str:
    """The question as text, escape codes and control characters removed, whitespace collapsed;
    QuestionError if nothing is left or it is too long (checked before any pattern runs)."""
    if not isinstance(question, str):
        raise QuestionError("The question must be text.")
    if len(question) > RAW_QUESTION_FACTOR * max_chars:
        raise _too_long(len(question), max_chars)
    text = clean_text(question)
    if not text:
        raise QuestionError("The question is empty; type a question about the articles.")
    if len(text) > max_chars:
        raise _too_long(len(text), max_chars)
    return text


def _too_long(length: int, max_chars: int) -> QuestionError:
    return QuestionError(
        f"The question is {length:,} characters long; the limit is {max_chars:,} "
        "(MAX_QUESTION_CHARS). Ask a shorter question."
    )


def clean_text(text: str) -> str:
    """`text` without terminal escape codes, control or bidi-override characters, NFC-normalised,
    on one line with single spaces. Linear in the length of `text`."""
    text = _CONTROL.sub(" ", ESCAPE_SEQUENCE.sub("", text))
    text = unicodedata.normalize("NFC", _BIDI.sub("", text))
    return " ".join(text.split())


def normalize_history(history: object) -> list[Message]:
    """History as Messages, from Messages, {"role","content"} dicts or LangChain messages.
    Only checks types: `bound_history` then keeps what fits and cleans it."""
    if history is None:
        return []
    if not isinstance(history, (list, tuple)):
        raise QuestionError(
            'History must be a list of {"role": "user"|"assistant", "content": ...} messages, '
            f"not {type(history).__name__}; pass history=[] for none."
        )
    out: list[Message] = []
    for i, item in enumerate(history):
        if isinstance(item, Message):
            out.append(item)
        elif isinstance(item, BaseMessage):
            content = _content(item.content, i)
            out.append(
                Message("user", content) if item.type == "human" else Message("assistant", content)
            )
        elif isinstance(item, dict) and item.get("role") in ("user", "assistant"):
            content = _content(item.get("content"), i)
            out.append(
                Message("user", content)
                if item["role"] == "user"
                else Message("assistant", content)
            )
        else:
            raise QuestionError(
                f'History item {i} must be {{"role": "user"|"assistant", "content": ...}}, '
                f"not {_shown_type(item)}."
            )
    return out


def _content(content: object, i: int) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # LangChain's content blocks: keep their text parts
        return " ".join(
            part if isinstance(part, str) else str(part.get("text", ""))
            for part in content
            if isinstance(part, (str, dict))
        )
    raise QuestionError(f"History item {i}: content must be text, not {type(content).__name__}.")


def _shown_type(item: object) -> str:
    if isinstance(item, dict):
        return f"a dict with role {str(item.get('role'))[:20]!r}"
    return type(item).__name__


@dataclass(frozen=True)
class BoundedHistory:
    """The newest messages that fit the limits (cleaned), and what was left out."""

    messages: list[Message]
    dropped: int  # oldest messages left out
    note: str | None  # for the user, when something was left out


def bound_history(history: Sequence[Message], limits: Limits) -> BoundedHistory:
    """The newest messages within MAX_HISTORY_MESSAGES and MAX_HISTORY_CHARS (counting the
    cleaned text); the oldest are dropped first and the drop is logged and noted. A message is
    never cut: one that does not fit is dropped with everything older."""
    kept: list[Message] = []
    total = 0
    for message in reversed(history):
        if len(kept) >= limits.max_history_messages:
            break
        # A message far beyond the limit is dropped unscanned (cleaning could shorten it only by
        # removing escape codes and whitespace; see RAW_QUESTION_FACTOR).
        if total + len(message.content) // RAW_QUESTION_FACTOR > limits.max_history_chars:
            break
        content = clean_text(message.content)
        if total + len(content) > limits.max_history_chars:
            break
        total += len(content)
        kept.append(Message(message.role, content))
    kept.reverse()
    dropped = len(history) - len(kept)
    if not dropped:
        return BoundedHistory(kept, 0, None)
    log.info(
        "History: kept the newest %d of %d messages (%d characters; limits %d messages, "
        "%d characters)",
        len(kept),
        len(history),
        total,
        limits.max_history_messages,
        limits.max_history_chars,
    )
    note = (
        f"The {_plural(dropped, 'oldest message')} of the conversation "
        f"{'was' if dropped == 1 else 'were'} left out (limits: MAX_HISTORY_MESSAGES="
        f"{limits.max_history_messages}, MAX_HISTORY_CHARS={limits.max_history_chars:,})."
    )
    return BoundedHistory(kept, dropped, note)


def bound_rewrite(standalone: str, question: str, limits: Limits) -> tuple[str, str | None]:
    """The rewritten question if it is within MAX_REWRITE_CHARS, else the question as asked
    (with a note): a rewrite may not carry a long history into retrieval and the prompt."""
    if len(standalone) <= limits.max_rewrite_chars:
        return standalone, None
    log.warning(
        "Rewritten question of %d characters is over MAX_REWRITE_CHARS=%d; searching the "
        "question as asked",
        len(standalone),
        limits.max_rewrite_chars,
    )
    return question, (
        f"The follow-up's rewrite was longer than {limits.max_rewrite_chars:,} characters "
        "(MAX_REWRITE_CHARS), so the question was searched as asked."
    )


def check_k(k: object, default: int, maximum: int) -> int:
    """How many chunks to retrieve: `default` when None, else a whole number 1..maximum."""
    if k is None:
        return default
    if isinstance(k, bool):
        raise QuestionError(f"k must be a whole number from 1 to {maximum}, not {k}.")
    try:
        number = operator.index(k)  # type: ignore[arg-type]  # int, numpy ints; no floats
    except TypeError:
        raise QuestionError(
            f"k must be a whole number from 1 to {maximum}, not {type(k).__name__} {str(k)[:20]!r}."
        ) from None
    if not 1 <= number <= maximum:
        raise QuestionError(f"k must be from 1 to {maximum} (chunks to retrieve), not {number}.")
    return number


# --- the prompt's token budget ------------------------------------------------------------------

_ASCII_WORD = re.compile(r"[A-Za-z]+")
_DIGITS = re.compile(r"[0-9]+")
# Estimated tokens: ASCII words at WORD_TOKENS each or CHARS_PER_TOKEN letters each, whichever is
# more (a long run of letters is many tokens); digits in threes (as GPT tokenizers split them);
# every other non-space character (punctuation, non-Latin letters) one token, which
# overestimates most scripts on purpose. English news comes out at 4.3 characters a token
# (OpenAI's rule of thumb is 4), 1.25x the bundled WordPiece tokenizer's count on the bundled
# articles (dev), 1.03x on the README and 1.00x on eval/questions.jsonl (held out: code, ids,
# JSON). No vocabulary is downloaded.
WORD_TOKENS = 1.3
CHARS_PER_TOKEN = 4.0
DIGITS_PER_TOKEN = 3.0
_SPACES = " \t\n\r\f\v"
# Tokens a chat message costs beyond its text (role, separators), per OpenAI's cookbook.
MESSAGE_OVERHEAD = 4


def estimate_tokens(text: str) -> int:
    """A conservative estimate of the tokens `text` costs a chat model; linear, offline."""
    words = _ASCII_WORD.findall(text)
    letters = sum(map(len, words))
    digits = sum(map(len, _DIGITS.findall(text)))
    spaces = sum(text.count(c) for c in _SPACES)
    other = len(text) - letters - digits - spaces
    estimate = max(WORD_TOKENS * len(words), letters / CHARS_PER_TOKEN) + digits / DIGITS_PER_TOKEN
    return math.ceil(estimate) + other


# The fixed part of either prompt: the longer system prompt and the framing around the blocks.
PROMPT_OVERHEAD = (
    max(estimate_tokens(ANSWER_SYSTEM_PROMPT), estimate_tokens(REWRITE_SYSTEM_PROMPT))
    + 3 * MESSAGE_OVERHEAD
    + 40
)
SOURCE_OVERHEAD = 40  # the <source n=".." file=".." title=".." date=".."> tags around each


@dataclass(frozen=True)
class FittedPrompt:
    """What of the history and sources fits the prompt's token budget, and what did not."""

    history: list[Message]
    sources: list[Source]
    dropped_messages: int
    dropped_sources: int
    cut_source: bool  # the best source alone was over the budget, and was cut to fit
    tokens: int  # the estimate for what is kept
    note: str | None


def fit_prompt(
    question: str,
    history: Sequence[Message],
    sources: Sequence[Source],
    max_tokens: int,
) -> FittedPrompt:
    """Keep the prompt within MAX_PROMPT_TOKENS: drop the oldest history messages first, then the
    lowest-ranked sources. At least one source stays: when the best one alone is too long, its
    text is cut at a sentence or word end (its offsets stay valid, so citations still resolve)."""
    used = PROMPT_OVERHEAD + estimate_tokens(question)
    source_costs = [estimate_tokens(s.text) + SOURCE_OVERHEAD for s in sources]
    # History gets what the sources leave over, newest messages first.
    room = max_tokens - used - sum(source_costs)
    kept_history: list[Message] = []
    for message in reversed(history):
        cost = estimate_tokens(message.content) + MESSAGE_OVERHEAD
        if cost > room:
            break
        room -= cost
        kept_history.append(message)
    kept_history.reverse()
    used += sum(estimate_tokens(m.content) + MESSAGE_OVERHEAD for m in kept_history)

    kept_sources: list[Source] = []
    cut = False
    for source, cost in zip(sources, source_costs, strict=True):
        if used + cost <= max_tokens:
            kept_sources.append(source)
            used += cost
            continue
        if not kept_sources:
            shortened = _cut_source(source, max_tokens - used - SOURCE_OVERHEAD)
            kept_sources.append(shortened)
            used += estimate_tokens(shortened.text) + SOURCE_OVERHEAD
            cut = True
        break
    dropped_messages = len(history) - len(kept_history)
    dropped_sources = len(sources) - len(kept_sources)
    note = None
    if dropped_messages or dropped_sources or cut:
        parts = []
        if dropped_messages:
            parts.append(f"the {_plural(dropped_messages, 'oldest message')} of the conversation")
        if dropped_sources:
            parts.append(f"the {_plural(dropped_sources, 'lowest-ranked source')}")
        if cut:
            parts.append("the end of the best source")
        note = (
            f"Left out to keep the model's prompt within {max_tokens:,} tokens "
            f"(MAX_PROMPT_TOKENS): {'; '.join(parts)}."
        )
        log.info(
            "Prompt budget %d tokens: dropped %d history message(s), %d source(s)%s; ~%d tokens",
            max_tokens,
            dropped_messages,
            dropped_sources,
            ", cut the best source" if cut else "",
            used,
        )
    return FittedPrompt(
        kept_history, kept_sources, dropped_messages, dropped_sources, cut, used, note
    )


def _cut_source(source: Source, tokens: int) -> Source:
    """`source` with its text cut to about `tokens` tokens, at a sentence or word end."""
    limit = max(0, int(tokens * CHARS_PER_TOKEN / 2))  # 2 chars a token: safe for any script
    text = source.text[:limit]
    while text and estimate_tokens(text) > tokens:
        text = text[: len(text) * 3 // 4]
    for end in (". ", "\n", " "):
        at = text.rfind(end)
        if at > len(text) // 2:
            text = text[: at + 1].rstrip()
            break
    return replace(source, text=text, end=source.start + len(text))


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else f"{count} {noun}s"


def join_notes(*notes: str | None) -> str | None:
    """Several notices for the user as one (None when there are none)."""
    kept = [n.strip() for n in notes if n and n.strip()]
    return " ".join(kept) if kept else None
