"""Config stage: the organisation-scale keys of `briefing.yaml`.

A service's `group` (business unit or product line) and `tier` (1 most
critical .. 3); `policy.tier_weights` and `policy.max_named_services`;
`report.detail`. The checks collect problems with their lines, as every
other section does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from briefing.config.fields import FieldChecker, kind_of

TIERS = (1, 2, 3)
DEFAULT_TIER = 2
DEFAULT_TIER_WEIGHTS: Mapping[int, float] = {1: 3.0, 2: 2.0, 3: 1.0}
DEFAULT_MAX_NAMED_SERVICES = 3
DETAILS = ("summary", "full")
# services without a group, in an organisation whose other services have one
UNGROUPED = "Ungrouped"


def group_names(groups: Sequence[str | None]) -> tuple[str, ...]:
    """The units named by the services' `group` values, in first-named order; () if none.

    When some services name a unit and others do not, the others are in one more
    unit, `UNGROUPED`, named last, so that every service is in exactly one unit.
    """
    named = [g for g in groups if g is not None]
    if not named:
        return ()
    names = [n for n in dict.fromkeys(named) if n != UNGROUPED]
    if len(named) < len(groups) or UNGROUPED in named:
        names.append(UNGROUPED)
    return tuple(names)


def unit_of(group: str | None, organised: bool) -> str | None:
    """The unit a service counts in: its own, `UNGROUPED`, or None when there are no units."""
    if not organised:
        return None
    return group if group is not None else UNGROUPED


def check_group(checker: FieldChecker, value: Any, keypath: str) -> str | None:
    """A service's business unit or product line: non-empty text, or nothing."""
    if value is None:
        return None
    return checker.string(value, keypath, required=True) or None


def check_tier(checker: FieldChecker, value: Any, keypath: str) -> int:
    """1 (most critical), 2 or 3; absent means 2."""
    if value is None:
        return DEFAULT_TIER
    if isinstance(value, bool) or not isinstance(value, int) or value not in TIERS:
        shown = repr(value) if isinstance(value, str) else f"{kind_of(value)} {value!r}"
        checker.problem(keypath, f"must be 1, 2 or 3 (1 = most critical), got {shown}")
        return DEFAULT_TIER
    return value


def check_tier_weights(checker: FieldChecker, value: Any) -> dict[int, float]:
    """`policy.tier_weights`: a weight > 0 per tier; tiers not named keep their default."""
    weights = dict(DEFAULT_TIER_WEIGHTS)
    for key, raw in checker.mapping(value, "policy.tier_weights").items():
        keypath = f"policy.tier_weights.{key}"
        tier = int(key) if isinstance(key, int | str) and str(key) in ("1", "2", "3") else None
        if tier is None:
            checker.problem(keypath, "unknown tier; tiers are 1, 2 and 3")
            continue
        weight = checker.number(raw, keypath, low=0.0, low_open=True)
        if weight is not None:
            weights[tier] = weight
    return weights


def check_max_named(checker: FieldChecker, value: Any) -> int:
    number = checker.number(
        value, "policy.max_named_services", default=DEFAULT_MAX_NAMED_SERVICES, low=1, high=50
    )
    if number is not None and number != int(number):
        checker.problem("policy.max_named_services", f"must be a whole number, got {number:g}")
        return DEFAULT_MAX_NAMED_SERVICES
    return int(number or DEFAULT_MAX_NAMED_SERVICES)


def check_detail(checker: FieldChecker, value: Any) -> str:
    detail = checker.string(value, "report.detail", default="summary") or "summary"
    if detail not in DETAILS:
        checker.problem("report.detail", f"expected summary or full, got {detail!r}")
        return "summary"
    return detail
