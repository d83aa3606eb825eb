"""Options shared by every test folder."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden files under tests/golden/ from the current output (review the diff).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


# --------------------------------------------------------------------------- fuzzing profiles
# `fuzz`: fixed seed, few examples, runs in the normal suite. `fuzz-long`: random seeds and many
# examples, run by hand: HYPOTHESIS_PROFILE=fuzz-long python -m pytest -p no:cacheprovider -k fuzz
# Fuzz tests take their settings from `fuzz_settings()`; other property tests are unaffected.
FUZZ_PROFILES = ("fuzz", "fuzz-long")
settings.register_profile(
    "fuzz",
    max_examples=25,
    derandomize=True,
    deadline=timedelta(seconds=5),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    "fuzz-long",
    max_examples=2_000,
    derandomize=False,
    deadline=timedelta(seconds=5),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)


def fuzz_settings() -> settings:
    """The fuzz profile in force: `HYPOTHESIS_PROFILE` when it names one, else `fuzz`."""
    chosen = os.environ.get("HYPOTHESIS_PROFILE", "fuzz")
    return settings.get_profile(chosen if chosen in FUZZ_PROFILES else "fuzz")
