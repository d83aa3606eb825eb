"""CLI commands: deliver (placeholder until the capability lands)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
