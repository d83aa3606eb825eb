"""Translate stage: personal data removed from untrusted text, in words a reader expects.

E-mail addresses become "a customer", IP addresses "a server", phone numbers
"a phone number", and text matched by `policy.redact_patterns` "(withheld)",
so a redacted title still reads as a sentence. Every pattern runs in RE2
(`briefing.patterns`): time linear in the text, whatever an export holds.
Candidates are found by simple patterns and confirmed in Python (an address
must parse, a phone number needs enough digits and a recognisable form), so
dates, version numbers, amounts and ticket ids are left alone.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from briefing.loss_basis import LossLine
from briefing.model import Findings, IncidentItem
from briefing.patterns import MAX_TEXT, Pattern

EMAIL_WORDS = "a customer"
SERVER_WORDS = "a server"
PHONE_WORDS = "a phone number"
WITHHELD_WORDS = "(withheld)"

_EMAIL = Pattern(r"[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}")
_IPV4 = Pattern(r"\d{1,3}(?:\.\d{1,3}){3}")
_IPV6 = Pattern(r"[0-9A-Fa-f]*(?::[0-9A-Fa-f]*){2,}(?:\.\d{1,3}){0,3}")
_PHONE = Pattern(r"\+?\(?\d[\d ().-]{6,}\d")
_LONGEST_ADDRESS = 45  # characters of the longest IPv6 text (with an IPv4 tail)


def redact(text: str, patterns: Sequence[str] = ()) -> str:
    """Personal data and configured patterns of `text` replaced by plain words."""
    if not text:
        return text
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT] + "…"  # nobody reads further; patterns stay bounded
    # a pattern runs only where it could match: an address needs its "@", its dots or
    # colons, a phone number at least 8 digits (most titles have none of these)
    if "@" in text:
        text = _EMAIL.sub(EMAIL_WORDS, text)
    if text.count(".") >= 3:
        text = _confirmed(_IPV4, text, _is_address, SERVER_WORDS)
    if text.count(":") >= 2:
        text = _confirmed(_IPV6, text, _is_address, SERVER_WORDS)
    if sum(map(str.isdigit, text)) >= 8:
        text = _confirmed(_PHONE, text, _is_phone, PHONE_WORDS)
    for source in patterns:
        text = _configured(source).sub(WITHHELD_WORDS, text)
    return text


@lru_cache(maxsize=64)
def _configured(source: str) -> Pattern:
    return Pattern(source)  # checked when the config was loaded


def _confirmed(
    pattern: Pattern, text: str, check: Callable[[str, str, str], bool], words: str
) -> str:
    """Replace the candidates of `pattern` that `check(candidate, before, after)` confirms."""

    def replace(match: Any) -> str:
        found: str = match.group(0)
        start, end = match.start(), match.end()
        before = text[start - 1] if start > 0 else ""
        return words if check(found, before, text[end : end + 2]) else found

    return pattern.sub(replace, text)


def _is_address(candidate: str, before: str, after: str) -> bool:
    """An IPv4 or IPv6 address standing alone (a full stop may end the sentence after it)."""
    if len(candidate) > _LONGEST_ADDRESS:
        return False
    if before and (before.isalnum() or before in "._:"):
        return False
    if after and (after[0].isalnum() or after[0] in "_:"):
        return False
    if after[:1] == "." and after[1:2].isdigit():
        return False  # part of a longer dotted number (a version, an OID)
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


def _is_phone(candidate: str, before: str, after: str) -> bool:
    """International (+31 ..., 0031...) or national (06 1234 5678, 0612345678) numbers.

    With separators: 9 to 15 digits. Without: a leading + or 00 and 8 to 15
    digits, or a leading 0 and 10 or 11 digits, so plain ticket numbers and
    amounts are left alone; ISO dates never count.
    """
    if before and (before.isalnum() or before in "+_"):
        return False
    if after and (after[0].isalnum() or after[0] == "_"):
        return False
    digits = sum(ch.isdigit() for ch in candidate)
    if not 8 <= digits <= 15 or _looks_like_date(candidate):
        return False
    if candidate.startswith("+"):
        return True
    if any(ch in candidate for ch in " -()."):
        return digits >= 9
    if candidate.startswith("00"):
        return digits >= 11
    return candidate.startswith("0") and digits in (10, 11)


def _looks_like_date(candidate: str) -> bool:
    head = candidate[:10]
    return len(head) == 10 and head[4] == "-" and head[7] == "-" and head.replace("-", "").isdigit()


def redact_findings(findings: Findings, patterns: Sequence[str]) -> Findings:
    """Every value of the findings that came from an export, redacted.

    Incident ids and titles, risk titles and owners, control names, and the
    data-quality reasons and notes (which quote rejected values) all reach the
    HTML, PDF and JSON. Risk ids stay: the headline refers to risks by id.
    """

    def clean(text: str) -> str:
        return redact(text, patterns)

    incidents = replace(
        findings.incidents,
        items=tuple(_cleaned(item, clean) for item in findings.incidents.items),
    )
    risks = replace(
        findings.risks,
        items=tuple(
            replace(r, title=clean(r.title), owner=clean(r.owner)) for r in findings.risks.items
        ),
    )
    loss = replace(
        findings.loss_avoided,
        components=tuple(
            replace(c, items=tuple(_clean_item(item, clean) for item in c.items))
            for c in findings.loss_avoided.components
        ),
    )
    files = tuple(
        replace(
            f,
            rejections=tuple(replace(r, reason=clean(r.reason)) for r in f.rejections),
            notes=tuple(clean(n) for n in f.notes),
        )
        for f in findings.data_quality.files
    )
    cause = findings.headline.cause
    if cause is not None:  # it names incidents by id, as the items do
        cause = replace(
            cause,
            incidents=tuple(clean(i) for i in cause.incidents),
            shared=tuple(replace(k, title=clean(k.title)) for k in cause.shared),
        )
    return replace(
        findings,
        headline=replace(findings.headline, cause=cause),
        incidents=incidents,
        risks=risks,
        loss_avoided=loss,
        data_quality=replace(findings.data_quality, files=files),
        notes=tuple(clean(n) for n in findings.notes),
    )


def _clean_item(item: LossLine, clean: Callable[[str], str]) -> LossLine:
    """Every text in a loss line (control names, incident ids, risk titles), redacted."""
    changes: dict[str, Any] = {}
    for field in dataclasses.fields(item):
        value = getattr(item, field.name)
        if isinstance(value, str):
            changes[field.name] = clean(value)
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            changes[field.name] = tuple(clean(v) for v in value)
    return dataclasses.replace(item, **changes)


def _cleaned(item: IncidentItem, clean: Callable[[str], str]) -> IncidentItem:
    """The incident with its id and title redacted (itself when nothing needs it)."""
    found_id, title = clean(item.id), clean(item.title)
    if found_id == item.id and title == item.title:
        return item
    return replace(item, id=found_id, title=title)
