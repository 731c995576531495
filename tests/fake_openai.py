"""A scriptable OpenAI-compatible HTTP server for tests: chat completions (JSON and SSE), embeddings, models.

Use the `fake_openai` fixture (import it into a test module, e.g.
`from tests.fake_openai import fake_openai as fake_openai_fixture  # noqa: F401`), point a
client at `fake_openai.base_url`, script replies with `fake_openai.script(...)`, and assert on
`fake_openai.requests`. Replies are taken from the queue first, then from `fake_openai.responder`
(a callable of the request), then `fake_openai.default_text`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

import pytest


@dataclass(frozen=True)
class Reply:
    """A normal answer; streamed word by word when the request asks for `stream: true`, with
    `pause` seconds before each word (a slow model, for stopping an answer mid-stream)."""

    text: str
    pause: float = 0.0


@dataclass(frozen=True)
class Delay:
    """Wait `seconds` before answering `text` (a client with a shorter timeout gives up first)."""

    seconds: float
    text: str = "Sorry for the wait."


@dataclass(frozen=True)
class Status:
    """An HTTP error status with an OpenAI-style error body, optionally with Retry-After."""

    code: int
    message: str = "fake server error"
    retry_after: str | None = None
    body: str | None = None  # sent verbatim instead of the OpenAI-style error JSON


@dataclass(frozen=True)
class StreamCut:
    """Stream the first `after_words` words of `text`, then drop the connection.

    `chunked=True` breaks a chunked HTTP/1.1 body (the client sees an incomplete body);
    `chunked=False` sends a close-delimited body that simply ends early, with no finish_reason
    and no `[DONE]`, which a client can only notice by their absence.
    """

    text: str = "The council approved the budget after a long debate [1]."
    after_words: int = 3
    chunked: bool = True


@dataclass(frozen=True)
class Malformed:
    """A 200 response whose JSON (or SSE event data) is cut off and cannot be parsed."""

    body: str = '{"id": "chatcmpl-broken", "object": "chat.completion", "choices": [{"mess'


@dataclass(frozen=True)
class Hangup:
    """Close the connection without sending any response."""


Script = str | Reply | Delay | Status | StreamCut | Malformed | Hangup
Responder = Callable[["RecordedRequest"], Script]


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: Any  # parsed JSON, or None
    received_at: float  # time.monotonic()

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", [])) if isinstance(self.body, dict) else []

    def content_of(self, role: str) -> str:
        """The joined content of every message with this role."""
        return "\n".join(str(m.get("content", "")) for m in self.messages if m.get("role") == role)


def split_words(text: str) -> list[str]:
    """Word-sized pieces whose concatenation is exactly `text`."""
    return re.findall(r"\s*\S+\s*", text) or [text]


def fake_vector(text: str, dimension: int) -> list[float]:
    """A deterministic unit vector derived from a hash of the text."""
    values: list[float] = []
    counter = 0
    while len(values) < dimension:
        digest = hashlib.sha256(f"{counter}:{text}".encode()).digest()
        values.extend((byte - 127.5) / 127.5 for byte in digest)
        counter += 1
    values = values[:dimension]
    norm = sum(v * v for v in values) ** 0.5 or 1.0
    return [v / norm for v in values]


class FakeOpenAI:
    """The server: start() it, point a client at base_url, script(), inspect requests, stop() it."""

    def __init__(
        self,
        default_text: str = "This is the fake model's default answer [1].",
        embedding_dim: int = 16,
        models: tuple[str, ...] = ("gpt-4o-mini", "text-embedding-3-small"),
    ) -> None:
        self.default_text = default_text
        self.embedding_dim = embedding_dim
        self.models = models
        self.responder: Responder | None = None
        self.requests: list[RecordedRequest] = []
        self._chat_queue: deque[Script] = deque()
        self._embedding_queue: deque[Script] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        server = _Server(self)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in a Delay
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the server first"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scripting and inspection ------------------------------------------------------------

    def script(self, *replies: Script) -> None:
        """Queue replies for the next chat completion requests, in order."""
        with self._lock:
            self._chat_queue.extend(replies)

    def script_embeddings(self, *faults: Script) -> None:
        """Queue faults for the next embedding requests (a text reply means: answer normally)."""
        with self._lock:
            self._embedding_queue.extend(faults)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    @property
    def embedding_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/embeddings")]

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _next(self, queue: deque[Script], request: RecordedRequest) -> Script:
        with self._lock:
            if queue:
                return queue.popleft()
        if self.responder is not None:
            return self.responder(request)
        return self.default_text

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server is stopping; True when the full delay passed."""
        return not self._stopping.wait(seconds)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, fake: FakeOpenAI) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hangs up (its timeout fired, or it saw a fault) is part of the script.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeOpenAI/1.0"

    @property
    def fake(self) -> FakeOpenAI:
        assert isinstance(self.server, _Server)
        return self.server.fake

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests assert on recorded requests, not on stderr

    # -- routing -----------------------------------------------------------------------------

    def do_GET(self) -> None:
        request = self._read_request()
        if request.path.rstrip("/") == "/v1/models":
            data = [
                {"id": m, "object": "model", "created": 0, "owned_by": "fake"}
                for m in self.fake.models
            ]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_status(Status(404, f"no route GET {request.path}"))

    def do_POST(self) -> None:
        request = self._read_request()
        path = request.path.rstrip("/")
        try:
            if path == "/v1/chat/completions":
                self._chat(request, self.fake._next(self.fake._chat_queue, request))
            elif path == "/v1/embeddings":
                self._embeddings(request, self.fake._next(self.fake._embedding_queue, request))
            else:
                self._send_status(Status(404, f"no route POST {request.path}"))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. its timeout fired)

    def _read_request(self) -> RecordedRequest:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        request = RecordedRequest(
            method=self.command,
            path=self.path.split("?", 1)[0],
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            received_at=time.monotonic(),
        )
        self.fake._record(request)
        return request

    # -- chat completions --------------------------------------------------------------------

    def _chat(self, request: RecordedRequest, reply: Script) -> None:
        body = request.body if isinstance(request.body, dict) else {}
        model = str(body.get("model", "fake-model"))
        streaming = bool(body.get("stream"))
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        if isinstance(reply, str):
            reply = Reply(reply)
        if isinstance(reply, Hangup):
            self.close_connection = True
        elif isinstance(reply, Status):
            self._send_status(reply)
        elif isinstance(reply, Delay):
            if self.fake._sleep(reply.seconds):
                self._answer(Reply(reply.text), model, streaming, include_usage)
            else:
                self.close_connection = True
        elif isinstance(reply, Malformed):
            if streaming:
                self._start_sse(chunked=True)
                self._send_chunk(f"data: {reply.body}\n\n".encode())
                self._send_chunk(b"data: [DONE]\n\n")
                self._send_chunk(b"")
            else:
                self._send_raw(200, reply.body.encode(), "application/json")
        elif isinstance(reply, StreamCut):
            words = split_words(reply.text)[: reply.after_words]
            self._start_sse(chunked=reply.chunked)
            events = [_chunk_event(model, {"role": "assistant", "content": ""})]
            events += [_chunk_event(model, {"content": word}) for word in words]
            for event in events:
                self._send_event(event, chunked=reply.chunked)
            self.close_connection = True  # no terminating chunk, no finish_reason, no [DONE]
        else:
            self._answer(reply, model, streaming, include_usage)

    def _answer(self, reply: Reply, model: str, streaming: bool, include_usage: bool) -> None:
        usage = {
            "prompt_tokens": 10,
            "completion_tokens": len(split_words(reply.text)),
            "total_tokens": 0,
        }
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        if not streaming:
            self._send_json(
                200,
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": reply.text},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": usage,
                },
            )
            return
        self._start_sse(chunked=True)
        self._send_event(_chunk_event(model, {"role": "assistant", "content": ""}), chunked=True)
        for word in split_words(reply.text):
            if reply.pause and not self.fake._sleep(reply.pause):
                self.close_connection = True
                return
            self._send_event(_chunk_event(model, {"content": word}), chunked=True)
        self._send_event(_chunk_event(model, {}, finish_reason="stop"), chunked=True)
        if include_usage:
            usage_event = _chunk_event(model, {})
            usage_event["choices"] = []
            usage_event["usage"] = usage
            self._send_event(usage_event, chunked=True)
        self._send_chunk(b"data: [DONE]\n\n")
        self._send_chunk(b"")

    # -- embeddings --------------------------------------------------------------------------

    def _embeddings(self, request: RecordedRequest, reply: Script) -> None:
        if isinstance(reply, Hangup):
            self.close_connection = True
            return
        if isinstance(reply, Status):
            self._send_status(reply)
            return
        if isinstance(reply, Malformed):
            self._send_raw(200, reply.body.encode(), "application/json")
            return
        if isinstance(reply, Delay) and not self.fake._sleep(reply.seconds):
            self.close_connection = True
            return
        body = request.body if isinstance(request.body, dict) else {}
        inputs = body.get("input", [])
        if isinstance(inputs, str) or (
            isinstance(inputs, list) and inputs and isinstance(inputs[0], int)
        ):
            inputs = [inputs]  # one text, or one tokenised text
        dimension = int(body.get("dimensions") or self.fake.embedding_dim)
        as_base64 = body.get("encoding_format") == "base64"
        data = []
        for index, item in enumerate(inputs):
            text = item if isinstance(item, str) else json.dumps(item)
            vector = fake_vector(text, dimension)
            embedding: object = (
                base64.b64encode(struct.pack(f"<{dimension}f", *vector)).decode()
                if as_base64
                else vector
            )
            data.append({"object": "embedding", "index": index, "embedding": embedding})
        self._send_json(
            200,
            {
                "object": "list",
                "data": data,
                "model": body.get("model", "fake-embedding"),
                "usage": {"prompt_tokens": len(inputs), "total_tokens": len(inputs)},
            },
        )

    # -- wire helpers ------------------------------------------------------------------------

    def _send_raw(
        self, code: int, payload: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()

    def _send_json(self, code: int, payload: object, headers: dict[str, str] | None = None) -> None:
        self._send_raw(code, json.dumps(payload).encode(), "application/json", headers)

    def _send_status(self, status: Status) -> None:
        headers = {"Retry-After": status.retry_after} if status.retry_after is not None else {}
        if status.body is not None:
            self._send_raw(status.code, status.body.encode(), "application/json", headers)
            return
        error_type = {
            401: "invalid_request_error",
            404: "invalid_request_error",
            429: "rate_limit_exceeded",
        }
        code = {401: "invalid_api_key", 404: "model_not_found", 429: "rate_limit_exceeded"}
        error = {
            "message": status.message,
            "type": error_type.get(status.code, "server_error"),
            "param": None,
            "code": code.get(status.code),
        }
        self._send_json(status.code, {"error": error}, headers)

    def _start_sse(self, *, chunked: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Connection", "close")  # the body ends when the connection does
            self.close_connection = True
        self.end_headers()
        self.wfile.flush()

    def _send_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _send_event(self, event: dict[str, Any], *, chunked: bool) -> None:
        data = f"data: {json.dumps(event)}\n\n".encode()
        if chunked:
            self._send_chunk(data)
        else:
            self.wfile.write(data)
            self.wfile.flush()


def _chunk_event(
    model: str, delta: dict[str, Any], finish_reason: str | None = None
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


@pytest.fixture(name="fake_openai")  # explicit, so importing it under another name works too
def fake_openai() -> Iterator[FakeOpenAI]:
    """A started fake OpenAI-compatible server on 127.0.0.1; stopped after the test."""
    with FakeOpenAI() as server:
        yield server


__all__ = [
    "Delay",
    "FakeOpenAI",
    "Hangup",
    "Malformed",
    "RecordedRequest",
    "Reply",
    "Status",
    "StreamCut",
    "fake_openai",
    "fake_vector",
    "split_words",
]
