"""CLI commands: build, validate, init."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
