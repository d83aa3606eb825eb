"""The command line: `briefing build | validate | init | glossary | send | schedule | risks |
history | decision`.

Each command parses options, loads the config, calls the core and reports.
`BriefingError` is caught once, in `main`: message to stderr, exit 1.
Click usage errors exit 2. `--debug` re-raises.
"""

from __future__ import annotations

import click

from briefing import __version__
from briefing.cli.common import BriefingGroup


@click.group(
    cls=BriefingGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="briefing")
def cli() -> None:
    """Turn SLI metrics, incident exports and a risk register into the monthly risk briefing.

    \b
    Example:
      briefing build --period 2026-10 --out out/
    """


def _register() -> None:
    from briefing.cli import build, decision, deliver, glossary, history, risks

    for module in (build, glossary, deliver, risks, history, decision):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    """Entry point of the `briefing` console script."""
    cli(prog_name="briefing")
