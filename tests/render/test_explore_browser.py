"""Every row of a generated organisation on the HTML page, in a real headless Chromium:
grouped by unit and collapsed, sorted and filtered with the keyboard, offline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from briefing import pipeline
from briefing.config import load_config
from briefing.model import Period
from tests.axe_support import axe_script, violations
from tests.render.test_briefing_browser import ARGS, CHROMIUM
from tools.make_organisation import Organisation, make_organisation

# 9 services in 3 units, 90 incidents, 12 risks
ORG = Organisation(services=9, days=30, incidents=90, risks=12, groups=3, seed=7)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium (CI installs it)"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("org")
    config = load_config(make_organisation(ORG, root / "ws"))
    result = pipeline.build(
        config,
        Period(2026, 10),
        formats=["html", "json"],
        out_dir=root / "out",
        now=datetime(2026, 11, 2, tzinfo=UTC),
    )
    return result.files["html"].as_uri(), json.loads(result.outputs["json"])


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def test_every_row_by_unit_collapsed_and_offline(browser: Any, built: tuple) -> None:
    url, data = built
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    assert requests == [url]
    units = page.locator("details[data-unit]")
    assert units.count() == 3
    assert (
        page.eval_on_selector_all("details[data-unit]", "ds => ds.map(d => d.open)") == [False] * 3
    )
    found = page.eval_on_selector_all("tr[data-find]", "rows => rows.length")
    # every service, incident and risk: 9 + the period's incidents + 12
    assert found == len(data["services"]) + data["incidents"]["count"] + len(data["risks"]["items"])
    text = page.content()
    for item in data["incidents"]["items"]:
        assert item["id"] in text
    page.close()


def test_sort_and_filter_with_the_keyboard(browser: Any, built: tuple) -> None:
    url, data = built
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    first = page.locator("details[data-unit] > summary").first
    first.focus()
    page.keyboard.press("Enter")
    assert page.eval_on_selector("details[data-unit]", "d => d.open") is True
    # the unit's services by cost: Tab to the cost heading's button, Enter sorts descending
    button = page.locator("details[data-unit]").first.locator("thead button", has_text="Cost")
    button.first.focus()
    page.keyboard.press("Enter")
    costs = (
        page.locator("details[data-unit]")
        .first.locator("table")
        .first.evaluate(
            "t => Array.from(t.tBodies[0].rows).map(r => parseFloat(r.cells[3].dataset.sort))"
        )
    )
    assert costs == sorted(costs, reverse=True)
    page.keyboard.press("Enter")  # again: ascending
    costs = (
        page.locator("details[data-unit]")
        .first.locator("table")
        .first.evaluate(
            "t => Array.from(t.tBodies[0].rows).map(r => parseFloat(r.cells[3].dataset.sort))"
        )
    )
    assert costs == sorted(costs)
    # type a service's id: its service row, incidents and risks stay, in the one unit
    service = data["services"][4]["id"]
    page.locator("#explore-filter").focus()
    page.keyboard.type(service.upper())  # case does not matter
    shown = page.eval_on_selector_all(
        "tr[data-find]:not([hidden])", "rows => rows.map(r => r.dataset.find)"
    )
    own = 1 + sum(1 for i in data["incidents"]["items"] if i["service"] == service)
    own += sum(1 for r in data["risks"]["items"] if r["service"] == service)
    assert len(shown) == own
    assert all(service in row for row in shown)
    open_units = page.eval_on_selector_all(
        "details[data-unit]:not([hidden])", "ds => ds.map(d => d.open)"
    )
    assert open_units == [True]
    assert "match" in page.locator("#explore-status").inner_text()
    page.keyboard.press("Escape")
    assert page.eval_on_selector_all("tr[data-find][hidden]", "rows => rows.length") == 0
    page.close()


def test_axe_finds_nothing_serious_with_every_unit_open(browser: Any, built: tuple) -> None:
    url, _ = built
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(url)
    page.eval_on_selector_all("details[data-unit]", "ds => ds.forEach(d => { d.open = true; })")
    assert violations(page, axe_script()) == []
    page.close()
