"""The OpenAI-compatible answer backend (ChatOpenAI) and OpenAI embeddings; faults become BackendError."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import openai
from langchain_core.embeddings import Embeddings
from langchain_core.messages import BaseMessage
from langchain_openai import ChatOpenAI, OpenAIEmbeddings
from pydantic import SecretStr

from assistant.config import Settings
from assistant.errors import BackendError, ConfigError
from assistant.prompts import (
    build_answer_messages,
    build_recheck_messages,
    build_rewrite_messages,
    read_recheck,
)
from assistant.records import Message, Source
from vectorstore import LabelledEmbeddings

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.openai.com/v1"
# Local OpenAI-compatible servers (Ollama, llama.cpp, vLLM) ignore the key, but the client needs one.
PLACEHOLDER_API_KEY = "no-key-needed"
KNOWN_EMBEDDING_DIMENSIONS = {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
}
DIMENSION_PROBE_TEXT = "dimension probe"

_SECRET_LOOKALIKE = re.compile(r"sk-[A-Za-z0-9_\-*]{4,}")
_BEARER = re.compile(r"(?i)(bearer\s+)\S+")
_DETAIL_LIMIT = 300

T = TypeVar("T")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with the given secrets, any `sk-...` key and any bearer token replaced by [redacted]."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    text = _SECRET_LOOKALIKE.sub("[redacted]", text)
    return _BEARER.sub(r"\1[redacted]", text)


def display_url(url: str) -> str:
    """A base URL fit for a message: without user:password, query or fragment."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


class _FaultTranslator:
    """Turns openai/langchain_openai exceptions into BackendErrors that say what to do, with no secrets."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        timeout: float,
        max_retries: int,
        secret: SecretStr | None,
        model_setting: str = "OPENAI_MODEL",
    ) -> None:
        self.base_url = display_url(base_url)
        self.model = model
        self.model_setting = model_setting
        self.timeout = timeout
        self.max_retries = max_retries
        self._secret = secret

    def __repr__(self) -> str:
        return f"_FaultTranslator(base_url={self.base_url!r}, model={self.model!r})"

    def redact(self, text: str) -> str:
        return redact(text, [self._secret.get_secret_value()] if self._secret else [])

    def _detail(self, exc: openai.APIError) -> str:
        message = exc.message
        if isinstance(exc.body, dict) and isinstance(exc.body.get("message"), str):
            message = exc.body["message"]
        message = self.redact(" ".join(str(message).split()))
        if len(message) > _DETAIL_LIMIT:
            message = message[:_DETAIL_LIMIT] + "..."
        return message

    def _after_retries(self) -> str:
        if not self.max_retries:
            return "with retries off"
        return f"after {self.max_retries} {'retry' if self.max_retries == 1 else 'retries'}"

    def translate(self, exc: Exception, *, stream_started: bool = False) -> BackendError | None:
        """The BackendError for a model-server fault, or None when `exc` is not one."""
        message = self._message(exc, stream_started=stream_started)
        if message is None:
            return None
        logger.debug("model server fault %s: %s", type(exc).__name__, self.redact(str(exc)))
        return BackendError(self.redact(message))

    def _message(self, exc: Exception, *, stream_started: bool) -> str | None:
        if isinstance(exc, openai.AuthenticationError):
            return "the model server rejected the API key (401); check OPENAI_API_KEY"
        if isinstance(exc, openai.PermissionDeniedError):
            return (
                f"the model server refused access to model '{self.model}' (403): {self._detail(exc)}; "
                f"check that OPENAI_API_KEY may use {self.model_setting}"
            )
        if isinstance(exc, openai.NotFoundError):
            return (
                f"the model server at {self.base_url} has no model '{self.model}' (404): "
                f"{self._detail(exc)}; check {self.model_setting}, and that OPENAI_BASE_URL ends in /v1"
            )
        if isinstance(exc, openai.RateLimitError):
            return (
                f"the model server is still rate-limiting requests (429) {self._after_retries()}: "
                f"{self._detail(exc)}; wait a minute and try again, or raise OPENAI_MAX_RETRIES"
            )
        if isinstance(exc, openai.BadRequestError):
            return (
                f"the model server rejected the request (400): {self._detail(exc)}; "
                "check OPENAI_MODEL, or ask with fewer sources (RETRIEVAL_K)"
            )
        if isinstance(exc, openai.APIStatusError):
            if exc.status_code >= 500:
                return (
                    f"the model server failed (HTTP {exc.status_code}) {self._after_retries()}: "
                    f"{self._detail(exc)}; try again later"
                )
            return f"the model server answered HTTP {exc.status_code}: {self._detail(exc)}"
        if isinstance(exc, openai.APITimeoutError):
            if stream_started:
                return (
                    f"the model server's stream broke off mid-answer (no data for {self.timeout:g} s); "
                    "try again, or raise OPENAI_TIMEOUT"
                )
            return (
                f"the model server at {self.base_url} did not answer within {self.timeout:g} s "
                f"({self._after_retries()}); try again, or raise OPENAI_TIMEOUT"
            )
        if isinstance(exc, openai.APIConnectionError):
            if stream_started:
                return "the model server's stream broke off mid-answer; try again"
            return (
                f"cannot reach the model server at {self.base_url} ({self._connection_reason(exc)}, "
                f"{self._after_retries()}); check OPENAI_BASE_URL and that the server is running"
            )
        if isinstance(exc, openai.APIResponseValidationError | ValueError | KeyError | TypeError):
            # JSONDecodeError and pydantic's ValidationError are ValueErrors; LangChain raises
            # KeyError/TypeError on a completion without `choices`.
            return (
                "the model server sent a malformed response; check that OPENAI_BASE_URL points "
                "at an OpenAI-compatible API"
            )
        if isinstance(exc, openai.APIError):  # e.g. an error event inside a stream
            return f"the model server reported an error: {self._detail(exc)}; try again"
        return None

    @staticmethod
    def _connection_reason(exc: openai.APIConnectionError) -> str:
        cause = exc.__cause__
        while isinstance(cause, openai.APIConnectionError) and cause.__cause__ is not None:
            cause = cause.__cause__
        name = type(cause).__name__ if cause is not None else ""
        if name == "ConnectError":
            return "connection refused or host unknown"
        if name == "RemoteProtocolError":
            return "it closed the connection without answering"
        return "connection failed"

    def guard(self, call: Callable[[], T]) -> T:
        """call(), with model-server faults raised as BackendError (and no chained original)."""
        failure: BackendError | None = None
        try:
            return call()
        except Exception as exc:  # translate() picks the faults; others re-raise
            failure = self.translate(exc)
            if failure is None:
                raise
        # Raised outside the except block, so the original (which may quote the key) is not chained.
        raise failure


_MALFORMED_STREAM = (
    "the model server sent a malformed response (a stream with no completion events); check "
    "that OPENAI_BASE_URL points at an OpenAI-compatible API"
)
_STREAM_BROKE = "the model server's stream broke off mid-answer; try again"


class OpenAIAnswerer:
    """Answers and rewrites questions with a chat model behind an OpenAI-compatible API."""

    name = "openai"

    def __init__(self, chat: ChatOpenAI, translator: _FaultTranslator) -> None:
        self.chat = chat
        self._faults = translator

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIAnswerer:
        model = settings.openai_model.strip()
        if not model:
            raise ConfigError(
                "OPENAI_MODEL is empty; set OPENAI_MODEL=gpt-4o-mini or use ANSWER_BACKEND=offline"
            )
        key = _api_key(
            settings, purpose="ANSWER_BACKEND=openai", alternative="ANSWER_BACKEND=offline"
        )
        base_url = settings.openai_base_url or DEFAULT_BASE_URL
        chat = ChatOpenAI(
            model=model,
            api_key=key,
            base_url=base_url,
            timeout=settings.openai_timeout,
            max_retries=settings.openai_max_retries,
            temperature=0,
            streaming=True,
            # Chat Completions is the API every OpenAI-compatible server speaks.
            use_responses_api=False,
        )
        translator = _FaultTranslator(
            base_url=base_url,
            model=model,
            timeout=settings.openai_timeout,
            max_retries=settings.openai_max_retries,
            secret=settings.openai_api_key,
        )
        return cls(chat, translator)

    def __repr__(self) -> str:
        return f"OpenAIAnswerer(model={self._faults.model!r}, base_url={self._faults.base_url!r})"

    def rewrite(self, question: str, history: Sequence[Message]) -> str:
        """The follow-up `question` as a standalone question; unchanged when there is no history."""
        if not history:
            return question
        text = "".join(self._stream(build_rewrite_messages(question, history)))
        return _clean_rewrite(text) or question

    def stream_answer(
        self, question: str, sources: Sequence[Source], context: object = None
    ) -> Iterator[str]:
        """The answer's text deltas as the model streams them, its status line first."""
        yield from self._stream(build_answer_messages(question, sources))

    def recheck(self, claims: Sequence[tuple[str, Sequence[str]]]) -> list[bool | None]:
        """The model's second opinion, in one call, on claims verification could not back:
        True where it says the passages state the claim."""
        if not claims:
            return []
        text = "".join(self._stream(build_recheck_messages(claims)))
        return read_recheck(text, len(claims))

    def answer(self, question: str, sources: Sequence[Source]) -> str:
        """The whole reply at once (status line included)."""
        return "".join(self.stream_answer(question, sources))

    def _stream(self, messages: list[BaseMessage]) -> Iterator[str]:
        """Text deltas of one streamed completion; faults raised as BackendError."""
        events = 0
        finished = False
        failure: BackendError | None = None
        try:
            for chunk in self.chat.stream(messages):
                if chunk.chunk_position != "last":
                    events += 1  # a chunk parsed from the server, not LangChain's closing marker
                if chunk.response_metadata.get("finish_reason"):
                    finished = True
                if chunk.text:
                    yield chunk.text
        except Exception as exc:  # translate() picks the faults; others re-raise
            failure = self._faults.translate(exc, stream_started=events > 0)
            if failure is None:
                raise
        if failure is not None:
            # Raised outside the except block, so the original (which may quote the key) is not chained.
            raise failure
        if not finished:
            # A close-delimited stream that ends early is not an HTTP error: only the missing
            # finish_reason shows the answer was cut.
            raise BackendError(_STREAM_BROKE if events else _MALFORMED_STREAM)


def _clean_rewrite(text: str) -> str:
    """The model's rewrite without a label, surrounding quotes or trailing lines."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    question = re.sub(r"(?i)^standalone question:\s*", "", lines[0]).strip()
    if len(question) >= 2 and question[0] == question[-1] and question[0] in "\"'":
        question = question[1:-1].strip()
    return question


def _api_key(settings: Settings, *, purpose: str, alternative: str) -> SecretStr:
    if settings.openai_api_key is not None:
        return settings.openai_api_key
    if settings.openai_base_url:
        return SecretStr(PLACEHOLDER_API_KEY)
    raise ConfigError(
        f"{purpose} needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local OpenAI-compatible "
        f"server); set one, or use {alternative}"
    )


class _TranslatedEmbeddings(Embeddings):
    """An embedder whose model-server faults arrive as BackendError."""

    def __init__(self, inner: Embeddings, translator: _FaultTranslator) -> None:
        self.inner = inner
        self._faults = translator

    def __repr__(self) -> str:
        return f"_TranslatedEmbeddings(model={self._faults.model!r}, base_url={self._faults.base_url!r})"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._faults.guard(lambda: self.inner.embed_documents(texts))

    def embed_query(self, text: str) -> list[float]:
        return self._faults.guard(lambda: self.inner.embed_query(text))


@functools.lru_cache(maxsize=16)
def _shared_http_client(base_url: str, timeout: float) -> openai.DefaultHttpxClient:
    """One pooled HTTP client per server, for the process, as ChatOpenAI does for chat.

    Embedders are rebuilt whenever a store is opened; a client of their own each time would
    leave its pooled connections to be closed by the garbage collector.
    """
    return openai.DefaultHttpxClient(timeout=timeout)


def make_openai_embeddings(settings: Settings) -> LabelledEmbeddings:
    """OpenAI (or compatible) embeddings labelled with model name and dimension for the store."""
    model = settings.openai_embedding_model.strip()
    if not model:
        raise ConfigError(
            "OPENAI_EMBEDDING_MODEL is empty; set it (e.g. text-embedding-3-small) or use EMBEDDINGS=local"
        )
    key = _api_key(settings, purpose="EMBEDDINGS=openai", alternative="EMBEDDINGS=local")
    base_url = settings.openai_base_url or DEFAULT_BASE_URL
    inner = OpenAIEmbeddings(
        model=model,
        api_key=key,
        base_url=base_url,
        timeout=settings.openai_timeout,
        max_retries=settings.openai_max_retries,
        http_client=_shared_http_client(base_url, settings.openai_timeout),
        # Send raw text: tiktoken would fetch its vocabulary from the internet, and compatible
        # servers do not accept token ids. Chunks are far below the model's context length.
        check_embedding_ctx_length=False,
    )
    translator = _FaultTranslator(
        base_url=base_url,
        model=model,
        timeout=settings.openai_timeout,
        max_retries=settings.openai_max_retries,
        secret=settings.openai_api_key,
        model_setting="OPENAI_EMBEDDING_MODEL",
    )
    embedder = _TranslatedEmbeddings(inner, translator)
    dimension = KNOWN_EMBEDDING_DIMENSIONS.get(model)
    if dimension is None:
        dimension = len(embedder.embed_query(DIMENSION_PROBE_TEXT))
    return LabelledEmbeddings(embedder, model_name=model, dimension=dimension)
