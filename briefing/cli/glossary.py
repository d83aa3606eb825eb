"""CLI commands: `briefing glossary lookup | list | check | export`.

The lexicon is the packaged default plus the workspace's `glossary:` files when
a config is given (`--config`, or `./briefing.yaml`), plus any `--glossary` file.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from briefing.cli.common import config_option, debug_option
from briefing.errors import BriefingError
from briefing.translate.glossary import MAX_NAME_CHARS, Entry, Glossary, load_glossary

F = TypeVar("F", bound=Callable[..., Any])
MAX_LOOKUP_CHARS = 4 * MAX_NAME_CHARS  # a term and some slack; longer text is not a term


def _glossary_option(func: F) -> F:
    return click.option(
        "--glossary",
        "glossary_paths",
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        multiple=True,
        help="Extra glossary file layered on top (repeatable); same term replaces the entry.",
    )(func)


def _load(config_path: Path | None, glossary_paths: tuple[Path, ...]) -> Glossary:
    """Default lexicon + the workspace's `glossary:` files + `--glossary` files."""
    extra: list[Path] = []
    path = config_path if config_path is not None else Path("briefing.yaml")
    if config_path is not None or path.is_file():
        from briefing.config import load_config

        extra += load_config(path).glossary
    return load_glossary([*extra, *glossary_paths])


def _as_dict(entry: Entry) -> dict[str, object]:
    data = dataclasses.asdict(entry)
    data["aliases"] = list(entry.aliases)
    data["related"] = list(entry.related)
    return data


@click.group("glossary")
def glossary_group() -> None:
    """Look up, list, check and export the shared lexicon of business words.

    \b
    Examples:
      briefing glossary lookup "error budget"
      briefing glossary list --format json
      briefing glossary check out/briefing-2026-10.html
      briefing glossary export --format html --out glossary.html
    """


@glossary_group.command("lookup")
@click.argument("term", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@config_option
@_glossary_option
@debug_option
def lookup_command(
    term: tuple[str, ...],
    fmt: str,
    config_path: Path | None,
    glossary_paths: tuple[Path, ...],
    debug: bool,
) -> None:
    """Explain one term: plain phrase, meaning, comparison, why it matters.

    Case, punctuation and plurals do not matter, and aliases work. On a miss,
    prints close terms and exits 1.

    \b
    Examples:
      briefing glossary lookup slo
      briefing glossary lookup mean time to recovery
    """
    word = " ".join(term)
    if len(word) > MAX_LOOKUP_CHARS:
        raise BriefingError(
            f"the text to look up is {len(word):,} characters long; a glossary term has at most "
            f"{MAX_NAME_CHARS}",
            hint="look up one term, e.g. briefing glossary lookup error budget",
        )
    glossary = _load(config_path, glossary_paths)
    entry = glossary.lookup(word)
    if entry is None:
        close = glossary.suggest(word)
        hint = (
            "did you mean " + ", ".join(repr(c) for c in close) + "?"
            if close
            else "see every term with `briefing glossary list`"
        )
        raise BriefingError(f"no glossary entry for {word!r}", hint=hint)
    if fmt == "json":
        click.echo(json.dumps(_as_dict(entry), indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row("Say instead", entry.say_instead)
    table.add_row("Means", entry.definition)
    table.add_row("Think of it as", entry.metaphor)
    table.add_row("Why it matters", entry.why_it_matters)
    if entry.aliases:
        table.add_row("Also called", ", ".join(entry.aliases))
    if entry.related:
        table.add_row("Related", ", ".join(entry.related))
    kind = "technical term: never printed as is on page 1" if entry.jargon else "plain term"
    console = Console(highlight=False, soft_wrap=False)
    console.print(f"[bold]{entry.term}[/bold]  [dim]({kind})[/dim]")
    console.print(table)


@glossary_group.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@config_option
@_glossary_option
@debug_option
def list_command(
    fmt: str, config_path: Path | None, glossary_paths: tuple[Path, ...], debug: bool
) -> None:
    """List every term with the phrase the briefing prints instead.

    \b
    Examples:
      briefing glossary list
      briefing glossary list --format json > glossary.json
    """
    glossary = _load(config_path, glossary_paths)
    entries = sorted(glossary, key=lambda e: e.term.casefold())
    if fmt == "json":
        click.echo(json.dumps([_as_dict(e) for e in entries], indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Glossary ({len(entries)} terms)", title_justify="left")
    table.add_column("Term", style="bold", no_wrap=True)
    table.add_column("Say instead")
    table.add_column("Technical", justify="center")
    table.add_column("Also called", style="dim")
    for entry in entries:
        table.add_row(
            entry.term, entry.say_instead, "yes" if entry.jargon else "", ", ".join(entry.aliases)
        )
    Console(highlight=False).print(table)


@glossary_group.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@config_option
@_glossary_option
@debug_option
def check_command(
    files: tuple[Path, ...],
    fmt: str,
    config_path: Path | None,
    glossary_paths: tuple[Path, ...],
    debug: bool,
) -> None:
    """Find jargon printed as is, and technical words with no entry, in text, Markdown or HTML.

    Each finding is printed as FILE:LINE:COLUMN. In HTML only visible text
    counts; an element with data-lint="skip" is left out. Exits 1 when anything
    is found.

    \b
    Examples:
      briefing glossary check out/briefing-2026-10.html
      briefing glossary check README.md notes.txt --format json
    """
    from briefing.translate.lint import BARE_JARGON, check_file

    glossary = _load(config_path, glossary_paths)
    results = {path: check_file(path, glossary) for path in files}
    count = sum(len(found) for found in results.values())
    if fmt == "json":
        payload = [
            {"path": str(path), **dataclasses.asdict(f)}
            for path, found in results.items()
            for f in found
        ]
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for path, found in results.items():
            for f in found:
                if f.kind == BARE_JARGON:
                    text = f"jargon {f.word!r} ({f.term}); say {f.suggestion!r}"
                else:
                    text = f"no glossary entry for {f.word!r}; {f.suggestion}"
                click.echo(f"{path}:{f.line}:{f.column}: {text}")
        summary = f"{count} finding(s) in {len(files)} file(s)" if count else "no jargon found"
        click.echo(summary, err=True)
    if count:
        raise SystemExit(1)


@glossary_group.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="File to write (default: glossary.html or glossary.md here; '-' for stdout).",
)
@click.option("--title", default="Glossary", show_default=True, help="Heading of the page.")
@config_option
@_glossary_option
@debug_option
def export_command(
    fmt: str,
    out: Path | None,
    title: str,
    config_path: Path | None,
    glossary_paths: tuple[Path, ...],
    debug: bool,
) -> None:
    """Write the glossary as one searchable, self-contained HTML page, or as Markdown.

    \b
    Examples:
      briefing glossary export --format html --out out/glossary.html
      briefing glossary export --format md --out docs/glossary.md
    """
    from briefing.render.glossary_page import render_glossary, write_glossary
    from briefing.render.templates import Look

    glossary = _load(config_path, glossary_paths)
    look = Look()
    path = config_path if config_path is not None else Path("briefing.yaml")
    if config_path is not None or path.is_file():
        from briefing.config import load_config

        look = Look.of(load_config(path).report)  # the workspace's templates and palette
    if out is not None and str(out) == "-":
        click.echo(render_glossary(glossary, fmt, title=title, look=look), nl=False)
        return
    target = out if out is not None else Path(f"glossary.{fmt}")
    try:
        write_glossary(glossary, fmt, target, title=title, look=look)
    except OSError as err:
        raise BriefingError(
            f"cannot write the glossary: {err.strerror}", hint="choose another --out path"
        ) from None
    click.echo(f"wrote {target} ({len(glossary)} terms)", err=True)


COMMANDS: list[click.Command] = [glossary_group]
