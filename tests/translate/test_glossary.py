"""The shared lexicon: the default file, lookup, validation, overrides and the CLI."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.cli import cli
from briefing.errors import BriefingError, ConfigError, Location
from briefing.translate.glossary import (
    Entry,
    Glossary,
    default_glossary_path,
    load_glossary,
    normalize_term,
    validate_glossary_files,
)

REQUIRED_TERMS = [
    # reliability
    "SLI", "SLO", "SLA", "error budget", "burn rate", "availability", "latency", "MTTD",
    "MTTR", "ETTD", "ETTR", "ETTF", "incident", "severity", "on-call", "postmortem",
    "blameless", "toil", "blast radius", "canary", "rollback", "feature freeze",
    # observability
    "metrics", "logs", "tracing", "alert", "dashboard",
    # risk
    "risk", "likelihood", "impact", "cost of downtime", "loss avoided", "risk appetite",
    "loss exceedance", "percentile", "confidence interval", "Monte Carlo",
    # security
    "DevSecOps", "shift left", "vulnerability", "container image", "secret",
    "least privilege", "audit",
    # what the briefing prints
    "downtime cost", "budget remaining", "equivalent outage minutes", "budget burn",
]  # fmt: skip


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def entry_yaml(term: str, **fields: object) -> str:
    """One complete, valid workspace entry as YAML text (two-space list indent)."""
    data: dict[str, object] = {
        "term": term,
        "aliases": [],
        "definition": "Plain words about it.",
        "say_instead": "plain phrase",
        "metaphor": "Like a shop door.",
        "why_it_matters": "It changes a decision.",
        "related": [],
        "jargon": False,
    }
    data.update(fields)
    text = yaml.safe_dump([data], sort_keys=False, width=1000, default_flow_style=None)
    return textwrap.indent(text, "  ")


# --------------------------------------------------------------------------- the default file


def test_repository_root_glossary_is_the_packaged_file() -> None:
    root = Path(__file__).resolve().parents[2] / "glossary.yaml"
    assert root.is_symlink()
    assert root.resolve() == default_glossary_path().resolve()
    assert default_glossary_path().name == "glossary.yaml"
    assert default_glossary_path().parent.name == "briefing"


def test_default_glossary_is_valid_and_covers_the_required_terms(glossary: Glossary) -> None:
    assert validate_glossary_files([]) == []
    assert len(glossary) >= 40
    missing = [term for term in REQUIRED_TERMS if glossary.lookup(term) is None]
    assert missing == []


def test_every_entry_is_written_for_a_business_reader(glossary: Glossary) -> None:
    for entry in glossary:
        assert isinstance(entry, Entry)
        assert len(entry.definition.split()) <= 40, entry.term
        for text in (entry.definition, entry.say_instead, entry.metaphor, entry.why_it_matters):
            assert text.strip(), entry.term
        # say_instead reads inside a sentence: short and lower-case
        assert entry.say_instead[0].islower(), entry.term
        assert len(entry.say_instead.split()) <= 8, entry.term
        assert not entry.say_instead.endswith("."), entry.term
        for name in entry.related:
            assert glossary.lookup(name) is not None, (entry.term, name)


def test_phrases_the_briefing_prints(glossary: Glossary) -> None:
    assert glossary["error budget"].say_instead == "downtime allowance"
    assert "maintenance allowance" in glossary["error budget"].metaphor
    assert glossary["equivalent outage minutes"].say_instead == "minutes of full outage"
    assert glossary["downtime cost"].term == "cost of downtime"
    assert glossary["budget burn"].term == "budget consumed"
    assert glossary["budget remaining"].jargon is True
    assert glossary["incident"].jargon is False


# --------------------------------------------------------------------------- lookup


def test_lookup_by_alias(glossary: Glossary) -> None:
    assert glossary.lookup("service level objective").term == "SLO"
    assert glossary.lookup("mean time to recovery").term == "MTTR"
    assert glossary.lookup("p90").term == "percentile"


def test_lookup_ignores_case_punctuation_and_plurals(glossary: Glossary) -> None:
    assert glossary.lookup("slo").term == "SLO"
    assert glossary.lookup("Error BUDGET").term == "error budget"
    assert glossary.lookup("  error-budget ").term == "error budget"
    assert glossary.lookup("On Call").term == "on-call"
    assert glossary.lookup("oncall").term == "on-call"
    assert glossary.lookup("SLOs").term == "SLO"
    assert glossary.lookup("vulnerabilities").term == "vulnerability"
    assert glossary.lookup("metric").term == "metrics"
    assert normalize_term("On-Call!") == "oncall"


def test_a_miss_gives_none_keyerror_and_suggestions(glossary: Glossary) -> None:
    assert glossary.lookup("budgit") is None
    assert glossary.lookup("") is None
    with pytest.raises(KeyError):
        glossary["budgit"]
    assert "budgit" not in glossary
    assert "SLO" in glossary
    assert "error budget" in glossary.suggest("budgit")
    assert glossary.suggest("lateny") == ["latency"]
    assert set(glossary.suggest("mttx")) == {"MTTD", "MTTR"}
    assert glossary.suggest("xyzzy") == []
    assert len(glossary.suggest("budget", n=2)) == 2


def test_iteration_keeps_file_order(glossary: Glossary) -> None:
    terms = [e.term for e in glossary]
    assert terms[:3] == ["SLI", "SLO", "SLA"]  # the first three entries of glossary.yaml
    assert terms == [e.term for e in glossary.entries]


# --------------------------------------------------------------------------- validation


def test_duplicate_term_in_one_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "words.yaml",
        "terms:\n" + entry_yaml("order backlog") + entry_yaml("Order-Backlog"),
    )
    problems = validate_glossary_files([path])
    assert len(problems) == 1
    where, message = problems[0]
    # each entry is 9 lines (term, aliases, definition, say_instead, metaphor,
    # why_it_matters, related, jargon = 8 keys, one per line); the second starts on line 10
    assert (where.path, where.line, where.column) == (path, 10, 5)
    assert "duplicate term" in message
    assert "'Order-Backlog'" in message


def test_duplicate_alias_across_entries(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "words.yaml",
        "terms:\n" + entry_yaml("service target", aliases=["slo", "goal"]),
    )
    problems = validate_glossary_files([path])
    assert len(problems) == 1
    where, message = problems[0]
    assert where.path == path
    assert where.line == 3
    assert message.startswith("entry 'service target': duplicate alias 'slo'")
    assert "'SLO'" in message
    assert "glossary.yaml" in message


def test_duplicate_alias_within_a_workspace_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "words.yaml",
        "terms:\n"
        + entry_yaml("order backlog", aliases=["open orders"])
        + entry_yaml("queue", aliases=["Open Orders"]),
    )
    [(where, message)] = validate_glossary_files([path])
    assert where.line == 11  # second entry starts on line 10; its aliases are line 11
    assert "duplicate alias 'Open Orders'" in message
    assert "'order backlog'" in message


def test_empty_and_missing_fields(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "words.yaml",
        """
        terms:
          - term: order backlog
            aliases: []
            definition: ""
            say_instead: open orders
            metaphor: A queue at the till.
            related: []
            jargon: maybe
        """,
    )
    problems = validate_glossary_files([path])
    messages = {(where.line, message) for where, message in problems}
    assert (4, "entry 'order backlog': `definition` is empty") in messages
    assert (2, "entry 'order backlog': missing `why_it_matters`") in messages
    assert (8, "entry 'order backlog': `jargon` must be true or false") in messages
    assert len(problems) == 3


def test_over_long_definition(tmp_path: Path) -> None:
    definition = " ".join(["word"] * 41)
    path = write(
        tmp_path, "words.yaml", "terms:\n" + entry_yaml("order backlog", definition=definition)
    )
    [(where, message)] = validate_glossary_files([path])
    assert where.line == 4
    assert message == "entry 'order backlog': `definition` has 41 words; keep it to at most 40"


def test_unknown_related_term(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "words.yaml",
        "terms:\n" + entry_yaml("order backlog", related=["SLO", "eror budget"]),
    )
    [(where, message)] = validate_glossary_files([path])
    assert where.line == 8  # related: [SLO, eror budget]
    assert "related term 'eror budget' does not exist" in message
    assert "did you mean 'error budget'?" in message


def test_unknown_field_and_bad_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "words.yaml", "terms:\n" + entry_yaml("order backlog", meaning="x"))
    [(_, message)] = validate_glossary_files([path])
    assert message == "entry 'order backlog': unknown field 'meaning'"
    bad = write(tmp_path, "bad.yaml", "terms:\n  - term: [unclosed\n")
    [(where, message)] = validate_glossary_files([bad])
    assert message.startswith("not valid YAML")
    assert where.path == bad
    assert where.line is not None


def test_say_instead_must_not_hold_jargon(tmp_path: Path) -> None:
    path = write(
        tmp_path, "words.yaml", "terms:\n" + entry_yaml("order backlog", say_instead="SLO queue")
    )
    [(where, message)] = validate_glossary_files([path])
    assert where.line == 5
    assert "uses 'SLO'" in message


def test_override_replaces_and_new_terms_extend(tmp_path: Path) -> None:
    default = load_glossary()
    path = write(
        tmp_path,
        "words.yaml",
        "terms:\n"
        + entry_yaml("Error Budget", say_instead="outage allowance", related=["SLO"], jargon=True)
        + entry_yaml("order backlog", related=["error budget"]),
    )
    assert validate_glossary_files([path]) == []
    merged = load_glossary([path])
    assert len(merged) == len(default) + 1  # one replaced, one added
    assert merged["error budget"].say_instead == "outage allowance"
    # the replacement's aliases are its own: the default alias is gone
    assert merged.lookup("reliability budget") is None
    assert merged["order backlog"].related == ("error budget",)
    # the entry keeps its place in the default order
    assert [e.term for e in merged].index("Error Budget") == [e.term for e in default].index(
        "error budget"
    )


def test_load_glossary_raises_one_error_naming_file_line_and_entry(tmp_path: Path) -> None:
    path = write(tmp_path, "words.yaml", "terms:\n" + entry_yaml("order backlog", say_instead=""))
    with pytest.raises(ConfigError) as caught:
        load_glossary([path])
    assert isinstance(caught.value, BriefingError)
    assert str(caught.value).splitlines()[0] == (
        f"{path}:5:5: entry 'order backlog': `say_instead` is empty"
    )


# --------------------------------------------------------------------------- CLI


def run(*args: str) -> object:
    return CliRunner().invoke(cli, ["glossary", *args], catch_exceptions=False)


def test_cli_lookup_by_alias_and_case() -> None:
    result = run("lookup", "Service-Level", "OBJECTIVE")
    assert result.exit_code == 0
    assert result.output.startswith("SLO")
    assert "reliability target" in result.output
    result = run("lookup", "ERROR BUDGET", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["term"] == "error budget"
    assert data["say_instead"] == "downtime allowance"


def test_cli_lookup_miss_suggests_and_exits_1() -> None:
    result = CliRunner().invoke(cli, ["glossary", "lookup", "budgit"])
    assert result.exit_code == 1
    assert "no glossary entry for 'budgit'" in result.output
    assert "did you mean" in result.output
    assert "'error budget'" in result.output
    assert "Traceback" not in result.output


def test_cli_list_json_and_table() -> None:
    result = run("list", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert len(data) == len(load_glossary())
    assert {"term", "aliases", "definition", "say_instead", "related", "jargon"} <= set(data[0])
    table = run("list")
    assert table.exit_code == 0
    assert f"Glossary ({len(data)} terms)" in table.output
    assert "│ error budget " in table.output


def test_cli_uses_the_workspace_glossary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        "words.yaml",
        "terms:\n" + entry_yaml("error budget", say_instead="outage allowance", jargon=True),
    )
    config = write(
        tmp_path,
        "briefing.yaml",
        """
        organization: Example Corp
        currency: EUR
        services:
          - {id: checkout, name: Online checkout, objective: 0.999,
             cost_of_downtime_per_hour: 42000, owner: Head of Commerce}
        glossary: [words.yaml]
        """,
    )
    result = run("lookup", "error budget", "--format", "json", "--config", str(config))
    assert json.loads(result.output)["say_instead"] == "outage allowance"
    monkeypatch.chdir(tmp_path)  # ./briefing.yaml is used without --config
    result = run("lookup", "error budget", "--format", "json")
    assert json.loads(result.output)["say_instead"] == "outage allowance"


def test_cli_invalid_workspace_glossary_exits_1(tmp_path: Path) -> None:
    path = write(tmp_path, "words.yaml", "terms:\n" + entry_yaml("service target", aliases=["SLO"]))
    result = CliRunner().invoke(cli, ["glossary", "list", "--glossary", str(path)])
    assert result.exit_code == 1
    assert f"{path}:3:" in result.output
    assert "duplicate alias 'SLO'" in result.output


def test_cli_export_html_and_markdown(tmp_path: Path) -> None:
    html_path = tmp_path / "site" / "glossary.html"
    result = run("export", "--format", "html", "--out", str(html_path))
    assert result.exit_code == 0
    page = html_path.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert 'id="term-error-budget"' in page
    assert 'href="#term-burn-rate"' in page
    assert "http://" not in page
    assert "https://" not in page
    assert "<link" not in page
    md_path = tmp_path / "glossary.md"
    assert run("export", "--format", "md", "--out", str(md_path)).exit_code == 0
    markdown = md_path.read_text(encoding="utf-8")
    assert '<a id="term-error-budget"></a>' in markdown
    assert "[burn rate](#term-burn-rate)" in markdown
    # same glossary, same bytes
    again = tmp_path / "again.html"
    run("export", "--out", str(again))
    assert again.read_bytes() == html_path.read_bytes()


def test_every_glossary_command_has_help_with_an_example() -> None:
    for args in ([], ["lookup"], ["list"], ["check"], ["export"]):
        result = run(*args, "--help")
        assert result.exit_code == 0
        assert "briefing glossary" in result.output, args
        assert "Example" in result.output, args


def test_file_level_problems(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    assert validate_glossary_files([missing]) == [(Location(missing), "glossary file not found")]
    wrong_key = write(tmp_path, "wrong.yaml", "entries: []\n")
    [(where, message)] = validate_glossary_files([wrong_key])
    assert (where.line, where.column) == (1, 1)
    assert message == "unknown key 'entries'; expected `terms:`"
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("terms:\n  - term: caf\xe9\n".encode("latin-1"))
    [(_, message)] = validate_glossary_files([latin1])
    assert message.startswith("not UTF-8 text")
    # a bare list of entries is accepted too
    bare = write(tmp_path, "bare.yaml", entry_yaml("order backlog"))
    assert validate_glossary_files([bare]) == []


_DEFAULT = load_glossary()


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_lookup_survives_any_case_and_separator(data: st.DataObject) -> None:
    glossary = _DEFAULT
    entry = data.draw(st.sampled_from(glossary.entries))
    name = data.draw(st.sampled_from(entry.names))
    words = name.split()
    cased = [
        "".join(c.upper() if data.draw(st.booleans()) else c.lower() for c in word)
        for word in words
    ]
    separators = data.draw(
        st.lists(
            st.sampled_from([" ", "-", "_", "  ", ""]), min_size=len(words), max_size=len(words)
        )
    )
    spelled = "".join(w + s for w, s in zip(cased, separators, strict=True)).strip()
    assert glossary.lookup(spelled) == entry
