"""Fixtures of the delivery tests (defined in delivery_support.py)."""

from tests.deliver.delivery_support import (  # noqa: F401
    briefing_logs,
    certificates,
    chart_png,
    hand_built,
    plain_server,
    smtp_server,
)
