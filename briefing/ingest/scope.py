"""Ingest stage, last step: the inputs narrowed to one business unit (`--group`).

The sources are read once for the whole organisation; a unit's own briefing
then keeps the unit's services, and the SLI rows, incidents, risks, controls
and OpenSLO definitions of those services only. The files' reconciliation
stays that of the whole files (every row was read); a note says how many rows
belong to the other units.
"""

from __future__ import annotations

import re
from dataclasses import replace

from briefing.config import Config
from briefing.config.organisation import group_names, unit_of
from briefing.errors import BriefingError, Location
from briefing.model import Inputs


def unit_names(config: Config) -> tuple[str, ...]:
    """The units of the organisation, in the order briefing.yaml names them (`UNGROUPED` last)."""
    return group_names([s.group for s in config.services])


def slug(name: str) -> str:
    """A unit's name as a file-name part: lower case, letters and digits joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "group"


def check_unit(config: Config, name: str) -> str:
    """`name` if some service is in that unit; else an error that lists the units."""
    names = unit_names(config)
    if name in names:
        return name
    if not names:
        raise BriefingError(
            f"no service names a group, so there is no group {name!r}",
            where=Location(config.path),
            hint="add group: (a business unit or product line) to the services in briefing.yaml",
        )
    folded = {n.casefold(): n for n in names}
    close = folded.get(name.casefold())
    suggestion = f"did you mean {close!r}? " if close else ""
    raise BriefingError(
        f"no service is in group {name!r}",
        where=Location(config.path),
        hint=f"{suggestion}the groups are: {', '.join(names)}",
    )


def check_slugs(config: Config) -> None:
    """Each unit needs its own file name: two units whose names give the same slug are an error."""
    seen: dict[str, str] = {}
    for name in unit_names(config):
        other = seen.setdefault(slug(name), name)
        if other != name:
            raise BriefingError(
                f"groups {other!r} and {name!r} would write the same files (briefing-…-{slug(name)})",
                where=Location(config.path),
                hint="give the groups names that differ in more than case and punctuation",
            )


def scope_to_unit(config: Config, inputs: Inputs, name: str) -> tuple[Config, Inputs]:
    """The config and the canonical tables of one unit's services only."""
    check_unit(config, name)
    members = tuple(s for s in config.services if unit_of(s.group, True) == name)
    ids = {s.id for s in members}
    tables = {
        table: getattr(inputs, table)[getattr(inputs, table)["service"].isin(ids)]
        for table in ("sli", "incidents", "risks", "controls")
    }
    left_out = {table: len(getattr(inputs, table)) - len(kept) for table, kept in tables.items()}
    note = (
        f"This briefing covers {name} ({len(members)} of {len(config.services)} services). "
        f"The inputs were read whole; rows of the other services are left out of it: "
        f"{left_out['sli']:,} metric buckets, {left_out['incidents']:,} incidents, "
        f"{left_out['risks']:,} risks and {left_out['controls']:,} control records."
    )
    scoped = replace(
        inputs,
        sli=tables["sli"].reset_index(drop=True),
        incidents=tables["incidents"].reset_index(drop=True),
        risks=tables["risks"].reset_index(drop=True),
        controls=tables["controls"].reset_index(drop=True),
        slos=tuple(slo for slo in inputs.slos if slo.service in ids),
        notes=(note, *inputs.notes),
    )
    return replace(config, services=members), scoped
