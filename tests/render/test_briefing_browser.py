"""The briefing's HTML page in a real headless Chromium: self-contained, readable on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefing.render import render
from tests.axe_support import axe_script, violations
from tests.render.fixtures import make_briefing, make_glossary

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium (CI installs it)"),
]


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    html = render(make_briefing(), ["html"], glossary=make_glossary())["html"]
    path = tmp_path_factory.mktemp("briefing") / "briefing.html"
    path.write_bytes(html)
    return path.as_uri()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_page_fits_the_screen_and_fetches_nothing(browser: Any, page_url: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_url)
    assert requests == [page_url]  # no font, image, script or style from anywhere else
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    card = page.locator(".headline-card")
    assert card.is_visible()
    assert card.bounding_box()["width"] <= width
    page.close()


def test_terms_explain_themselves_on_hover(browser: Any, page_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(page_url)
    term = page.locator("[data-exec] .term").first
    assert term.is_visible()
    title = term.get_attribute("title")
    assert title is not None
    assert len(title.split()) >= 5  # a definition, not a label
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_serious_or_critical_violation(
    browser: Any, page_url: str, width: int, scheme: str
) -> None:
    script = axe_script()
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(page_url)
    assert violations(page, script) == []
    context.close()


def test_tables_that_scroll_sideways_on_a_phone_can_be_reached_by_keyboard(
    browser: Any, page_url: str
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(page_url)
    regions = page.eval_on_selector_all(
        "table",
        """tables => tables.map(t => {
            const box = t.closest('.scroll');
            return box && box.scrollWidth > box.clientWidth
                ? [box.tabIndex, box.getAttribute('role'),
                   document.getElementById(box.getAttribute('aria-labelledby')).textContent]
                : null;
        }).filter(Boolean)""",
    )
    assert regions  # at 390 px the services table is wider than the screen
    for tab_index, role, name in regions:
        assert (tab_index, role) == (0, "region")
        assert name.strip()
    page.close()
