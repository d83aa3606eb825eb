"""The jargon check: bare jargon and undefined technical words, with positions."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import BriefingError
from briefing.translate.glossary import Glossary, load_glossary
from briefing.translate.lint import JargonFinding, check_file, find_jargon


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


def found(findings: list[JargonFinding]) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.word, f.kind) for f in findings]


SAMPLE = (
    "Monthly risk briefing\n"  # line 1: nothing
    "\n"
    "Checkout missed its SLO in October.\n"  # line 3: SLO at column 21
    "The error budget ran out on the 14th; MTTR was 42 minutes.\n"  # 5 and 39
    "Incidents cost EUR 31,000; the CEO asked for a plan.\n"  # plain words only
    "See https://example.com/SLO for details.\n"  # inside a URL: skipped
)


def test_bare_jargon_in_text_with_line_and_column(glossary: Glossary) -> None:
    findings = find_jargon(SAMPLE, glossary)
    assert found(findings) == [
        (3, 21, "SLO", "bare_jargon"),  # "Checkout missed its " is 20 characters
        (4, 5, "error budget", "bare_jargon"),  # "The " is 4
        (4, 39, "MTTR", "bare_jargon"),  # "The error budget ran out on the 14th; " is 38
    ]
    assert findings[0].suggestion == "reliability target"
    assert findings[1].suggestion == "downtime allowance"
    assert findings[1].term == "error budget"


def test_acronyms_match_case_sensitively_other_names_do_not(glossary: Glossary) -> None:
    text = "slo and Slo are words; SLOs are not. Error-Budgets too, and a Canary."
    assert found(find_jargon(text, glossary)) == [
        (1, 24, "SLOs", "bare_jargon"),
        (1, 38, "Error-Budgets", "bare_jargon"),
        (1, 63, "Canary", "bare_jargon"),  # 38 + "Error-Budgets too, and a " (25),
    ]


def test_whole_words_and_longest_name(glossary: Glossary) -> None:
    # "SLOW" and "toilet" hold SLO and toil but are other words ("SLOW", in capitals,
    # looks like an acronym with no entry); "error budget policy" is one entry
    text = "SLOW toilet. Our error budget policy says so."
    assert found(find_jargon(text, glossary)) == [
        (1, 1, "SLOW", "undefined"),
        (1, 18, "error budget policy", "bare_jargon"),
    ]


def test_plain_terms_are_not_jargon(glossary: Glossary) -> None:
    text = "One incident cost of downtime: a rollback, an alert and an audit, by severity."
    assert find_jargon(text, glossary) == []


def test_severity_codes_are_jargon(glossary: Glossary) -> None:
    found = find_jargon("One SEV1 and two SEV3s", glossary)
    assert [(f.word, f.kind, f.term) for f in found] == [
        ("SEV1", "bare_jargon", "severity code"),
        ("SEV3s", "bare_jargon", "severity code"),
    ]


def test_undefined_technical_words(glossary: Glossary) -> None:
    text = "The MTBF rose; sli_total and budgetRemaining leaked. CONFIDENTIAL, PDF, USD, KPIs ok."
    assert found(find_jargon(text, glossary)) == [
        (1, 5, "MTBF", "undefined"),
        (1, 16, "sli_total", "undefined"),
        (1, 30, "budgetRemaining", "bare_jargon"),  # a glossary name in disguise
    ]
    # a field name that is a glossary name is bare jargon, not undefined
    [finding] = find_jargon("budget_remaining: 0.4", glossary)
    assert (finding.kind, finding.term) == ("bare_jargon", "budget remaining")


def test_say_instead_phrases_hold_no_jargon(glossary: Glossary) -> None:
    """The briefing prints these phrases as is: none may trip the check itself."""
    for entry in glossary:
        assert find_jargon(entry.say_instead, glossary) == [], entry.term
    # and the check would notice if one did
    assert find_jargon("downtime allowance (SLO)", glossary) != []


HTML = """<!doctype html>
<html><head><title>SLO report</title>
<style>.SLO { color: red }</style></head>
<body>
<p title="error budget">Checkout: <b>error</b>&nbsp;budget spent.</p>
<p>Response <abbr title="MTTR">time</abbr> was fine.</p>
<section data-lint="skip"><h2>Words we use</h2><p>SLO: reliability target</p></section>
<p>Our burn rate doubled.</p><script>var SLO = "MTTR";</script>
<svg><title>SLO chart</title><text x="1">p90</text></svg>
</body></html>
"""


def test_html_checks_only_visible_text(glossary: Glossary) -> None:
    assert found(find_jargon(HTML, glossary, html=True)) == [
        # line 5: '<p title="error budget">Checkout: <b>' is 37 characters
        (5, 38, "error budget", "bare_jargon"),
        (8, 8, "burn rate", "bare_jargon"),  # "<p>Our " is 7
        (9, 42, "p90", "bare_jargon"),  # SVG text is visible; its <title> is not
    ]


def test_words_do_not_join_across_blocks(glossary: Glossary) -> None:
    assert find_jargon("<p>error</p><p>budget</p>", glossary, html=True) == []
    assert found(find_jargon("<p>error <em>budget</em></p>", glossary, html=True)) == [
        (1, 4, "error budget", "bare_jargon")
    ]


def test_check_file_tells_html_from_text(tmp_path: Path, glossary: Glossary) -> None:
    page = tmp_path / "page.htm"
    page.write_text('<p data-lint="skip">SLO</p><p>SLA</p>', encoding="utf-8")
    assert found(check_file(page, glossary)) == [(1, 31, "SLA", "bare_jargon")]
    doc = tmp_path / "page.txt"
    doc.write_text("<!DOCTYPE html><p title=SLO>fine</p>", encoding="utf-8")
    assert check_file(doc, glossary) == []  # HTML by its doctype: attributes do not count
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\n- The `SLO` was met.\n", encoding="utf-8")
    assert found(check_file(notes, glossary)) == [(3, 8, "SLO", "bare_jargon")]


def test_check_file_errors(tmp_path: Path, glossary: Glossary) -> None:
    with pytest.raises(BriefingError, match="file not found"):
        check_file(tmp_path / "missing.md", glossary)
    binary = tmp_path / "data.txt"
    binary.write_bytes(b"ok \xff\xfe")
    with pytest.raises(BriefingError, match="not UTF-8"):
        check_file(binary, glossary)


def test_cli_check_reports_positions_and_exits_1(tmp_path: Path) -> None:
    sample = tmp_path / "summary.txt"
    sample.write_text(SAMPLE, encoding="utf-8")
    clean = tmp_path / "clean.md"
    clean.write_text("Checkout met its reliability target.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["glossary", "check", str(clean), str(sample)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{sample}:3:21: jargon 'SLO' (SLO); say 'reliability target'",
        f"{sample}:4:5: jargon 'error budget' (error budget); say 'downtime allowance'",
        f"{sample}:4:39: jargon 'MTTR' (MTTR); say 'typical time to restore service'",
    ]
    ok = CliRunner().invoke(cli, ["glossary", "check", str(clean)])
    assert ok.exit_code == 0
    assert ok.stdout == ""


def test_cli_check_json_and_missing_file(tmp_path: Path) -> None:
    import json

    sample = tmp_path / "summary.txt"
    sample.write_text("Our SLO held.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["glossary", "check", "--format", "json", str(sample)])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "path": str(sample),
            "line": 1,
            "column": 5,
            "word": "SLO",
            "kind": "bare_jargon",
            "suggestion": "reliability target",
            "term": "SLO",
        }
    ]
    missing = CliRunner().invoke(cli, ["glossary", "check", str(tmp_path / "nope.html")])
    assert missing.exit_code == 1
    assert "nope.html: file not found" in missing.output


def test_technical_details_are_found_only_when_asked(glossary: Glossary) -> None:
    text = (
        "From 2026-10-01T00:00:00+02:00 we read exports/sli.csv.gz and risks.yaml; "
        "reported by [redacted]. Version 1.2.3 took 3.5 min, e.g. on 1 October."
    )
    details = [(f.word, f.kind) for f in find_jargon(text, glossary, details=True)]
    assert details == [
        ("2026-10-01T00:00:00+02:00", "technical_detail"),
        ("exports/sli.csv.gz", "technical_detail"),
        ("risks.yaml", "technical_detail"),
        ("[redacted]", "technical_detail"),
    ]
    # `briefing glossary check` reports words, not these details
    assert [f.kind for f in find_jargon(text, glossary)] == []
