"""What every fuzz test of a reader checks: a result, or the one error type with a location.

Used with the hypothesis profiles of tests/conftest.py (`fuzz_settings()`). Each
example runs under `time_limit`, so a hang fails the example instead of the suite.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from briefing.errors import BriefingError, ConfigError

T = TypeVar("T")
SECONDS_PER_EXAMPLE = 10.0


class ExampleTookTooLong(Exception):
    pass


@contextmanager
def time_limit(seconds: float = SECONDS_PER_EXAMPLE) -> Iterator[None]:
    """Raise ExampleTookTooLong in the main thread after `seconds` (a hang is a failure)."""

    def expire(signum: int, frame: object) -> None:
        raise ExampleTookTooLong(f"one example ran longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def result_or_located_error(read: Callable[[], T]) -> T | BriefingError:
    """Run a reader: its result, or its BriefingError after checking that it names a file."""
    with time_limit():
        try:
            return read()
        except BriefingError as err:
            check_located(err)
            return err


def check_located(err: BriefingError) -> None:
    """The error names a file (every problem of a ConfigError does), and says something."""
    if isinstance(err, ConfigError):
        assert err.problems, "a ConfigError without problems"
        for where, message in err.problems:
            assert str(where.path), message
            assert message.strip()
        return
    assert err.where is not None, f"no location: {err}"
    assert str(err.where.path), f"no file: {err}"
    assert err.message.strip()
