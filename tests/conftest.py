"""Options shared by every test folder, and the `fuzz` profile of the fuzz tests."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# The fuzz tests of the readers run under the profile "fuzz": in the normal suite a fixed
# seed and few examples (a few seconds per reader); by hand, BRIEFING_FUZZ=long draws new
# inputs for as long as it takes:  BRIEFING_FUZZ=long python -m pytest -k fuzz
if os.environ.get("BRIEFING_FUZZ") == "long":
    settings.register_profile(
        "fuzz",
        max_examples=int(os.environ.get("BRIEFING_FUZZ_EXAMPLES", "5000")),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        print_blob=True,
    )
else:
    settings.register_profile(
        "fuzz",
        max_examples=40,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


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
