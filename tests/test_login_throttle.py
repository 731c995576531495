"""ui/login_throttle.py: failed logins per client address, then doubling waits (429), on the real app."""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.ui_helpers import RunningApp, running_app
from ui.login_throttle import FIRST_WAIT_S, LoginThrottle

USER, PASSWORD = "reader", "correct horse battery"
FREE = 3


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fail(throttle: LoginThrottle, client: str = "10.0.0.1") -> float:
    wait = throttle.begin(client)
    if wait == 0:
        throttle.finish(client, succeeded=False)
    return wait


def test_free_attempts_then_waits_that_double_up_to_the_maximum() -> None:
    clock = Clock()
    throttle = LoginThrottle(free_attempts=3, max_wait_s=5.0, clock=clock)
    assert [fail(throttle) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert fail(throttle) == pytest.approx(1.0)  # refused, not counted
    waits = []
    for _ in range(5):
        clock.now += throttle.wait_after(throttle._records["10.0.0.1"].failures)
        assert fail(throttle) == 0.0  # let through once the wait is over, and fails again
        waits.append(throttle.wait_after(throttle._records["10.0.0.1"].failures))
    assert waits == [2.0, 4.0, 5.0, 5.0, 5.0]


def test_a_success_forgets_the_failures_and_other_clients_are_not_affected() -> None:
    clock = Clock()
    throttle = LoginThrottle(free_attempts=2, clock=clock)
    fail(throttle), fail(throttle)
    assert throttle.begin("10.0.0.1") > 0
    assert throttle.begin("10.0.0.2") == 0.0  # another address tries freely
    throttle.finish("10.0.0.2", succeeded=True)
    clock.now += FIRST_WAIT_S
    assert throttle.begin("10.0.0.1") == 0.0
    throttle.finish("10.0.0.1", succeeded=True)
    assert [fail(throttle), fail(throttle)] == [0.0, 0.0]  # free attempts again


def test_parallel_attempts_count_before_their_verdict() -> None:
    throttle = LoginThrottle(free_attempts=3, clock=Clock())
    assert [throttle.begin("c") for _ in range(5)] == [0.0, 0.0, 0.0, FIRST_WAIT_S, FIRST_WAIT_S]


# --- on the real app --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    with running_app(
        tmp_path_factory.mktemp("login"),
        ui_username=USER,
        ui_password=PASSWORD,
        ui_login_free_attempts=FREE,
        ui_login_max_wait_s=60.0,
    ) as running:
        yield running


def login(url: str, password: str, source: str = "127.0.0.1") -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(transport=transport, timeout=30) as client:
        return client.post(
            url.rstrip("/") + "/login", data={"username": USER, "password": password}
        )


def test_the_app_throttles_a_client_after_its_free_attempts(app: RunningApp) -> None:
    source = "127.0.0.3"
    assert [login(app.url, "wrong", source).status_code for _ in range(FREE)] == [400] * FREE
    refused = login(app.url, PASSWORD, source)  # even the right password waits its turn
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert refused.json()["detail"] == (
        "Too many failed logins from your address; try again in 1 s."
    )
    # Another address on this machine is not held up.
    assert login(app.url, PASSWORD, "127.0.0.4").status_code == 200
    time.sleep(FIRST_WAIT_S + 0.1)
    assert login(app.url, "wrong", source).status_code == 400  # let through, fails: now 2 s
    again = login(app.url, PASSWORD, source)
    assert again.status_code == 429 and again.headers["retry-after"] == "2"
    time.sleep(2.1)
    assert login(app.url, PASSWORD, source).status_code == 200
    assert login(app.url, "wrong", source).status_code == 400  # the success reset the count


def test_a_burst_of_wrong_passwords_gets_only_the_free_attempts_checked(app: RunningApp) -> None:
    # Issue 13: 300 wrong passwords in 0.8 s were all checked.
    source = "127.0.0.5"
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = Counter(pool.map(lambda _: login(app.url, "wrong", source).status_code, range(300)))
    elapsed = time.monotonic() - started
    # After the free attempts, one more is let through each time a wait (1 s, 2 s, 4 s...)
    # runs out: within `elapsed` seconds that is at most log2(elapsed + 1) + 1 of them.
    waits_over = int(math.log2(elapsed / FIRST_WAIT_S + 1)) + 1
    assert codes[400] <= FREE + waits_over, (codes, elapsed)
    assert codes[429] == 300 - codes[400]
    assert codes[429] >= 300 - FREE - waits_over


def test_without_a_login_the_app_has_no_throttle(tmp_path: Path) -> None:
    with running_app(tmp_path) as running:
        response = login(running.url, "anything")
        # Gradio's own answer when no login is configured: a redirect, never a 429.
        assert response.status_code in (302, 307)
