"""Failed logins throttled per client address: a few free tries, then waits that double (HTTP 429)."""

from __future__ import annotations

import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The first wait after the free attempts; each further failure doubles it, up to the maximum.
FIRST_WAIT_S = 1.0
# Failures older than this are forgotten (a person who mistyped yesterday starts afresh).
FORGET_AFTER_S = 3600.0
# Addresses remembered at once; the least recently seen is forgotten first, so a flood of
# addresses costs bounded memory.
MAX_CLIENTS = 10_000


@dataclass
class _Record:
    failures: int = 0
    pending: int = 0  # attempts being checked right now (they count as failures until known)
    last: float = 0.0  # when the last failure was recorded


class LoginThrottle:
    """Per-client failure counts and the wait before the next attempt. Thread-safe."""

    def __init__(
        self,
        free_attempts: int = 5,
        max_wait_s: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free_attempts = free_attempts
        self.max_wait_s = max_wait_s
        self.clock = clock
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._lock = threading.Lock()

    def begin(self, client: str) -> float:
        """Seconds `client` must still wait (0: it may try now, and the attempt is counted as
        pending until `finish`). Parallel attempts count too, so a burst cannot slip through."""
        with self._lock:
            now = self.clock()
            record = self._records.get(client)
            if record is not None and now - record.last > FORGET_AFTER_S and not record.pending:
                record = None
                self._records.pop(client, None)
            if record is None:
                record = self._records[client] = _Record()
                while len(self._records) > MAX_CLIENTS:
                    self._records.popitem(last=False)
            self._records.move_to_end(client)
            tried = record.failures + record.pending
            if tried >= self.free_attempts:
                if record.pending:
                    return FIRST_WAIT_S  # the verdict on an earlier attempt is not in yet
                wait = self.wait_after(record.failures) - (now - record.last)
                if wait > 0:
                    return wait
            record.pending += 1
            return 0.0

    def finish(self, client: str, succeeded: bool) -> None:
        """The verdict on an attempt `begin` let through: success forgets the failures."""
        with self._lock:
            record = self._records.get(client)
            if record is None:
                return
            record.pending = max(0, record.pending - 1)
            if succeeded:
                record.failures = 0
            else:
                record.failures += 1
                record.last = self.clock()

    def wait_after(self, failures: int) -> float:
        """The wait after `failures` failures: none for the free attempts, then 1 s doubling."""
        if failures < self.free_attempts:
            return 0.0
        return min(self.max_wait_s, FIRST_WAIT_S * 2.0 ** (failures - self.free_attempts))


class LoginThrottleMiddleware:
    """ASGI middleware around Gradio's `POST /login`: refuses a throttled client with 429 and a
    Retry-After before its password is checked, and counts Gradio's verdict (200 or 400).

    The client is the connection's address as uvicorn reports it (behind a reverse proxy on this
    machine, the X-Forwarded-For address; see uvicorn's FORWARDED_ALLOW_IPS)."""

    def __init__(self, app: ASGIApp, throttle: LoginThrottle) -> None:
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_login(scope):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.throttle.begin(client)
        if wait > 0:
            await _too_many(send, wait)
            return
        status: list[int] = []

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            if status and status[0] in (200, 400):
                self.throttle.finish(client, succeeded=status[0] == 200)
            else:  # no verdict (a malformed form, a dropped connection): a failure
                self.throttle.finish(client, succeeded=False)


def _is_login(scope: Scope) -> bool:
    return (
        scope.get("type") == "http"
        and scope.get("method") == "POST"
        and str(scope.get("path", "")).rstrip("/").endswith("/login")
    )


async def _too_many(send: Send, wait: float) -> None:
    seconds = max(1, math.ceil(wait))
    body = json.dumps(
        {"detail": f"Too many failed logins from your address; try again in {seconds} s."}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(seconds).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def login_middleware(free_attempts: int, max_wait_s: float) -> list[Any]:
    """The middleware list for `launch(app_kwargs={"middleware": ...})` (Starlette's form)."""
    from starlette.middleware import Middleware

    throttle = LoginThrottle(free_attempts=free_attempts, max_wait_s=max_wait_s)
    return [Middleware(LoginThrottleMiddleware, throttle=throttle)]  # type: ignore[arg-type]
