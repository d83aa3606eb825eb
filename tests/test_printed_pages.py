"""The sample's PDF as a reader gets it: words, sums and type sizes, read from the PDF itself."""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

import pytest
from pypdf import PdfReader

from briefing.config import load_config, packaged_sample_config
from briefing.model import Period
from briefing.pipeline import build
from briefing.translate.glossary import load_glossary
from briefing.translate.lint import find_jargon

MONEY = re.compile(r"€[\d,]+")


def euros(text: str) -> list[int]:
    return [int(m.group()[1:].replace(",", "")) for m in MONEY.finditer(text)]


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    config = load_config(packaged_sample_config())
    result = build(config, Period(2026, 10, config.timezone), formats=("pdf",))
    reader = PdfReader(io.BytesIO(result.outputs["pdf"]))
    return {
        "briefing": result.briefing,
        "reader": reader,
        "text": [page.extract_text() for page in reader.pages],
        "layout": [page.extract_text(extraction_mode="layout") for page in reader.pages],
    }


def _lines(sample: dict[str, Any]) -> list[str]:
    return "\n".join(sample["layout"]).splitlines()


def _service_rows(sample: dict[str, Any]) -> dict[str, str]:
    """The services table's first line for each service, by name."""
    lines = _lines(sample)
    end = next(i for i, line in enumerate(lines) if line.strip().startswith("All services"))
    start = max(i for i, line in enumerate(lines[:end]) if "TARGET" in line and "ACHIEVED" in line)
    names = [s.name for s in sample["briefing"].services]
    return {
        name: line
        for line in lines[start:end]
        for name in names
        if line.strip().startswith(name + " ")
    }


def test_nothing_technical_before_the_technical_appendix(sample: dict[str, Any]) -> None:
    text = "\n".join(sample["text"])
    assert text.count("Technical appendix") == 1
    before, after = text.split("Technical appendix")
    # bare jargon and machine detail; undefined acronyms are the HTML lint's (the build
    # runs it with --strict), as the PDF prints CSS-uppercased headings in capitals
    findings = find_jargon(before, load_glossary(), details=True)
    assert [(f.word, f.kind) for f in findings if f.kind != "undefined"] == []
    for code in ("SEV1", "SEV2", "SEV3", "SEV4", "log-normal", "Poisson", "20261001", "seed"):
        assert code not in before, code
    assert "[redacted]" not in text
    # the appendix still carries the exact detail for those who check
    assert "2026-10-01T00:00:00+02:00" in after
    assert "sli.csv.gz" in after
    assert "SEV1: critical" in after


def test_page_one_states_the_decision_and_the_number(sample: dict[str, Any]) -> None:
    page = " ".join(sample["text"][0].split())
    assert "154%" in page
    assert "Pause new feature releases for Online checkout" in page
    assert "Head of Commerce Engineering" in page
    # the decision box comes before the supporting figures
    assert page.index("Pause new feature releases") < page.index("Behind the number")


def test_services_costs_add_up_to_their_printed_total(sample: dict[str, Any]) -> None:
    rows = _service_rows(sample)
    costs = [euros(line)[-1] for line in rows.values()]
    assert len(costs) == len(sample["briefing"].services)
    lines = _lines(sample)
    total = next(euros(line)[0] for line in lines if line.strip().startswith("All services"))
    # 48,215 + 18,291 + 3,135 + 4,341 + 2,686 = 76,668
    assert sum(costs) == total == 76_668
    # page 1 states the same total
    assert "€76,668" in sample["text"][0]


def test_incident_costs_add_up_to_their_printed_total(sample: dict[str, Any]) -> None:
    lines = _lines(sample)
    end = next(
        i for i, line in enumerate(lines) if re.match(r"\s*All \d+ service disruptions", line)
    )
    start = next(i for i, line in enumerate(lines) if re.match(r"\s*Started\s", line))
    rows = [line for line in lines[start:end] if re.match(r"\s*\d{1,2} \w+", line)]
    measured, declared = zip(*(euros(line)[:2] for line in rows if euros(line)), strict=True)
    assert len(measured) == sample["briefing"].incidents.count == 10
    measured_total, declared_total = euros(lines[end])
    assert sum(measured) == measured_total
    assert sum(declared) == declared_total == 46_960
    # the measured column is the services' "in recorded disruptions" column, to the euro:
    # both print the same total, and the bridge on page 1 says it too
    bridge = next(
        line for line in lines if line.strip().startswith("All services") and len(euros(line)) == 3
    )
    assert euros(bridge)[0] == measured_total
    assert f"€{measured_total:,} in the 10 recorded disruptions" in " ".join(
        sample["text"][0].split()
    )


def test_the_cost_of_each_service_splits_into_parts_that_add_up(sample: dict[str, Any]) -> None:
    lines = _lines(sample)
    names = [s.name for s in sample["briefing"].services]
    start = next(i for i, line in enumerate(lines) if "Where the cost was recorded" in line)
    rows = [line for line in lines[start:] if any(line.strip().startswith(n + " ") for n in names)][
        : len(names)
    ]
    for row in rows:
        recorded, unrecorded, cost = euros(row)
        assert recorded + unrecorded == cost, row
    total = next(line for line in lines[start:] if line.strip().startswith("All services"))
    columns = list(zip(*(euros(row) for row in rows), strict=True))
    assert [sum(c) for c in columns] == euros(total)
    # 43,601 + 14,757 + 764 + 2,085 + 1,310 = 62,517 recorded; the whole is 76,668
    assert euros(total)[2] == 76_668


def test_risk_costs_add_up_to_their_printed_total(sample: dict[str, Any]) -> None:
    lines = _lines(sample)
    rows = [line for line in lines if re.search(r"(Needs action|Within limits)\s*$", line)]
    costs = [euros(line)[-1] for line in rows]
    assert len(costs) == len(sample["briefing"].risks.items) == 8
    total = next(euros(line)[0] for line in lines if re.match(r"\s*All 8 risks", line))
    assert sum(costs) == total


def test_loss_avoided_total_is_printed_once_and_adds_up(sample: dict[str, Any]) -> None:
    text = " ".join("\n".join(sample["text"]).split())
    sums = re.findall(r"Total (€[\d,]+(?: \+ €[\d,]+)+) (€[\d,]+)", text)
    assert len(sums) == 1
    parts, total = sums[0]
    # 16,100.00 + 91,633.33 + 15,159.39 = 122,892.72; in hundreds 161.00 + 916.33 + 151.59
    # = 1,228.93 -> 1,229; floors 161 + 916 + 151 = 1,228, one short: the largest
    # remainder (.59) goes up: 16,100 + 91,600 + 15,200 = 122,900
    assert euros(parts) == [16_100, 91_600, 15_200]
    assert sum(euros(parts)) == euros(total)[0] == 122_900
    assert "€122,900" in sample["text"][0]


def test_achieved_and_allowance_used_agree(sample: dict[str, Any]) -> None:
    rows = _service_rows(sample)
    for service in sample["briefing"].services:
        row = rows[service.name]
        target, achieved, used = (float(x) for x in re.findall(r"([\d.]+)%", row)[:3])
        # the reader's check: (100 - achieved) / (100 - target) is the allowance used printed
        assert round((100 - achieved) / (100 - target) * 100) == used, service.name


def test_type_is_8_pt_or_more_and_never_under_7(sample: dict[str, Any]) -> None:
    sizes: Counter[float] = Counter()

    for page in sample["reader"].pages:

        def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
            if not text.strip():
                return
            # the size on paper: the font size scaled by the text and page matrices
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
            sizes[round(size * abs(a * d - b * c) ** 0.5, 1)] += len(text.strip())

        page.extract_text(visitor_text=visit)
    total = sum(sizes.values())
    assert total > 5_000
    assert min(sizes) >= 7.0
    at_least_8 = sum(n for size, n in sizes.items() if size >= 7.95)
    assert at_least_8 / total >= 0.97


def test_page_one_holds_the_whole_decision_and_every_figure(sample: dict[str, Any]) -> None:
    page = " ".join(sample["text"][0].split())
    for words in ("Covers", "Until", "Why", "If nothing changes", "Cost of acting", "Alternative"):
        assert words in page, words
    assert "Issued 2 November 2026" in page
    assert "15 November 2026" in page  # until
    assert "4 November 2026" in page  # due, a working day
    assert "€46,597" in page  # not acting
    assert "€37,500" in page  # acting
    assert "Bad settings change takes checkout down" in page  # the cause's registered risk
    assert len(sample["briefing"].facts) == 5
    for value in ("€76,668", "36 min", "€122,900"):
        assert value in page
    assert "likely range holds the true figure 8 times in 10" in page
    # the body starts on page 2 with nothing of page 1 carried over
    second = " ".join(sample["text"][1].split())
    assert "How Online checkout used its allowance" in second
    assert "counted in the systems' own records" not in second
    assert "Behind the number" not in second


def _text_heights(page: Any) -> list[float]:
    """The height on the page of every piece of text, as a share of the page's height."""
    found: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            found.append(tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    height = float(page.mediabox.height)
    return [y / height for y in found]


def test_no_page_but_the_last_is_mostly_empty(sample: dict[str, Any]) -> None:
    # between the page header and the footer, no stretch without text covers half of a
    # page but the last: pages end early only to keep a row, a chart or a section together
    # (footnotes sit at the foot of their page, so a page of one paragraph and a footnote
    # shows as the gap between them)
    gaps = []
    for page in sample["reader"].pages[:-1]:
        ys = sorted({0.08, 0.92, *(y for y in _text_heights(page) if 0.08 < y < 0.92)})
        gaps.append(max(b - a for a, b in zip(ys, ys[1:], strict=False)))
    assert all(gap < 0.5 for gap in gaps), [round(g, 2) for g in gaps]
