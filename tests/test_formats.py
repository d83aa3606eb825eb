"""One declaration per source format, read alike by config, ingest and the input hash."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefing.config import load_config, packaged_sample_config
from briefing.errors import BriefingError, ConfigError
from briefing.formats import FORMATS, KINDS, find_format
from briefing.ingest import find_reader
from briefing.model import Period
from briefing.pipeline import input_hash

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "sources.md"
HEADINGS = {
    "SLO definitions": "slos",
    "Metrics": "metrics",
    "Incidents": "incidents",
    "Risk register": "risks",
}
HEAD = """\
organization: Example Corp
timezone: UTC
services:
  - {id: checkout-api, name: Online checkout, objective: 0.999, cost_of_downtime_per_hour: 1}
  - {id: payments, name: Card payments, objective: 0.999, cost_of_downtime_per_hour: 1}
"""


def documented_entries() -> list[tuple[str, dict[str, Any], str]]:
    """(kind, entry, block text) for every source entry in the YAML blocks of docs/sources.md."""
    found: list[tuple[str, dict[str, Any], str]] = []
    kind = None
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("## "):
            kind = next((k for h, k in HEADINGS.items() if line[3:].startswith(h)), None)
        if line.strip() == "```yaml":
            end = lines.index("```", index + 1)
            block = textwrap.dedent("\n".join(lines[index + 1 : end]))
            data = yaml.safe_load(block)
            if isinstance(data, dict) and "sources" in data:
                data = data["sources"]
            if isinstance(data, list):
                assert kind is not None, block
                data = {kind: data}
            for entry_kind, entries in data.items():
                assert entry_kind in KINDS, block
                found.extend((entry_kind, entry, block) for entry in entries)
            index = end
        index += 1
    return found


def workspace_for(folder: Path, kind: str, entry: dict[str, Any]) -> Path:
    """A workspace holding an (empty) file for every file the entry names."""
    declared = find_format(kind, entry.get("format") or "csv")
    for name, value in entry.items():
        option = declared.option(name) if declared else None
        if (option is not None and option.check == "file") or name == "path":
            target = folder / str(value)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("")
    config = folder / "briefing.yaml"
    config.write_text(HEAD + yaml.safe_dump({"sources": {kind: [entry]}}), encoding="utf-8")
    return config


def test_the_docs_document_a_source_of_every_kind_of_metrics_and_incidents() -> None:
    entries = documented_entries()
    formats = {(kind, entry.get("format")) for kind, entry, _ in entries}
    assert {("metrics", "prometheus"), ("metrics", "prometheus-json")} <= formats
    assert {
        ("incidents", f) for f in ("pagerduty", "opsgenie", "incidentio", "jira", "csv")
    } <= formats
    assert len(entries) >= 12


def test_every_documented_option_is_accepted_by_the_config(tmp_path: Path) -> None:
    checked = 0
    for number, (kind, entry, block) in enumerate(documented_entries()):
        variants = [entry]
        if "good" in entry and "bad:" in block:  # "(or bad: instead of good:)"
            variants.append({("bad" if k == "good" else k): v for k, v in entry.items()})
        for index, variant in enumerate(variants):
            folder = tmp_path / f"ws{number}-{index}"
            folder.mkdir()
            config = load_config(workspace_for(folder, kind, variant))
            loaded = getattr(config.sources, kind)
            assert len(loaded) == 1
            expected = {k for k in variant if k not in ("path", "format")}
            assert set(loaded[0].options) == expected, variant
            checked += 1
    assert checked >= 13


def test_an_option_of_another_format_is_refused_naming_the_allowed_ones(tmp_path: Path) -> None:
    config = workspace_for(
        tmp_path, "metrics", {"path": "sli.csv", "mapping": {"good": "ok"}, "format": "csv"}
    )
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert len(caught.value.problems) == 1
    message = caught.value.problems[0][1]
    assert message.startswith(
        "sources.metrics[0].mapping: unknown key; allowed: format, path, timezone"
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"format": "prometheus-json", "good": "g.json", "bad": "b.json", "total": "t.json"},
            "needs exactly one of good: or bad:",
        ),
        ({"format": "prometheus-json", "total": "t.json"}, "needs exactly one of good: or bad:"),
        (
            {"format": "prometheus", "url": "http://127.0.0.1:9", "total": "sum(x)"},
            "needs exactly one of good: or bad:",
        ),
        (
            {"format": "prometheus", "url": "http://127.0.0.1:9", "good": "sum(x)"},
            "sources.metrics[0].total: is required",
        ),
        (
            {"format": "prometheus", "url": "http://h", "good": "a", "total": "b", "retries": "x"},
            "sources.metrics[0].retries: expected a number",
        ),
        (
            {"format": "prometheus", "url": "http://h", "good": "a", "total": "b", "verify_tls": 1},
            "sources.metrics[0].verify_tls: expected true or false",
        ),
    ],
)
def test_good_or_bad_and_option_values_are_checked(
    tmp_path: Path, entry: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(workspace_for(tmp_path, "metrics", entry))
    assert any(message in text for _, text in caught.value.problems), caught.value.problems


def test_every_declared_reader_is_importable_and_no_format_is_declared_twice() -> None:
    keys = [(f.kind, f.name) for f in FORMATS]
    assert len(keys) == len(set(keys))
    for declared in FORMATS:
        assert declared.kind in KINDS
        assert callable(find_reader(declared.kind, declared.name))
    with pytest.raises(BriefingError):
        find_reader("metrics", "docx")


def test_the_input_hash_covers_every_file_a_source_names(tmp_path: Path) -> None:
    entry = {"format": "prometheus-json", "bad": "bad.json", "total": "total.json"}
    config = load_config(workspace_for(tmp_path, "metrics", entry))
    period = Period(2026, 10, "UTC")
    before = input_hash(config, period)
    (tmp_path / "bad.json").write_text("{}")
    after_bad = input_hash(config, period)
    (tmp_path / "total.json").write_text("{}")
    after_total = input_hash(config, period)
    assert len({before, after_bad, after_total}) == 3


def test_the_input_hash_of_the_sample_covers_its_five_sources(tmp_path: Path) -> None:
    shutil.copytree(packaged_sample_config().parent, tmp_path / "ws")
    config = load_config(tmp_path / "ws" / "briefing.yaml")
    period = Period(2026, 10, "Europe/Amsterdam")
    seen = {input_hash(config, period)}
    for name in ("exports/incidents.csv", "exports/controls.csv", "risks.yaml"):
        with (tmp_path / "ws" / name).open("a", encoding="utf-8") as handle:
            handle.write("\n")
        seen.add(input_hash(config, period))
    assert len(seen) == 4


def test_no_module_keeps_a_list_of_formats_of_its_own() -> None:
    """Formats are named in briefing/formats.py only (ingest, config and pipeline read it)."""
    pattern = re.compile(r'"(prometheus-json|incidentio|opsgenie)"')
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "briefing").rglob("*.py")
        if path.name != "formats.py"
        and pattern.search(path.read_text(encoding="utf-8"))
        and "ingest" not in path.parts
    ]
    assert offenders == []


def test_json_inputs_name_a_repeated_key(tmp_path: Path) -> None:
    entry = {"format": "prometheus-json", "good": "good.json", "total": "total.json"}
    config = load_config(workspace_for(tmp_path, "metrics", entry))
    (tmp_path / "good.json").write_text(json.dumps({"status": "success"})[:-1] + ', "status": "x"}')
    from briefing.ingest import ingest

    with pytest.raises(BriefingError) as caught:
        ingest(config, Period(2026, 10, "UTC"))
    assert caught.value.where is not None
    assert caught.value.where.path == tmp_path / "good.json"
    assert "'status' is written twice" in caught.value.message
