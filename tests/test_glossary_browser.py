"""The exported glossary page in a real headless Chromium: search, links, keyboard, print."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.render.glossary_page import write_glossary
from briefing.translate.export import anchor, search_text
from briefing.translate.glossary import Glossary, load_glossary
from tests.axe_support import axe_script, violations

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium (CI installs it)"
    ),
]


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


@pytest.fixture(scope="module")
def page_url(glossary: Glossary, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("glossary") / "glossary.html"
    write_glossary(glossary, "html", out, title="Glossary")
    return out.as_uri()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, page_url: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    requests: list[str] = []
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_url)
    yield page
    # the page is self-contained: the only request is the file itself
    assert requests == [page_url]
    context.close()


def visible_terms(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(
        ".entry",
        "els => els.filter(e => !e.hidden && e.offsetParent !== null).map(e => e.dataset.term)",
    )


def test_search_filters_entries_as_you_type(page, glossary: Glossary) -> None:  # type: ignore[no-untyped-def]
    assert len(visible_terms(page)) == len(glossary)
    page.fill("#glossary-search", "budget")
    shown = set(visible_terms(page))
    # entries whose term, aliases, phrase or definition hold "budget"
    expected = {e.term for e in glossary if "budget" in search_text(e)}
    assert shown == expected
    assert {
        "error budget",
        "error budget policy",
        "budget remaining",
        "budget consumed",
        "budget exhausted",
        "budget minutes",
        "budget fraction",
    } <= shown
    assert not {"SLA", "canary", "latency", "Monte Carlo", "DevSecOps"} & shown
    letters = page.eval_on_selector_all(
        "nav.letters a", "els => els.filter(e => !e.hidden).map(e => e.textContent)"
    )
    assert letters == sorted({term[0].upper() for term in expected})  # B and E
    assert page.inner_text(
        "#glossary-status"
    ) == f'{len(expected)} of {len(glossary)} terms match "budget"'.replace(
        '"budget"', "\u201cbudget\u201d"
    )
    # words of the definition and aliases count, several words must all match
    page.fill("#glossary-search", "smoke detector")  # the MTTD metaphor is not searched
    assert visible_terms(page) == []
    assert page.is_visible("#glossary-empty")
    page.fill("#glossary-search", "service level objective")  # an alias of SLO
    assert visible_terms(page) == ["SLO"]
    page.fill("#glossary-search", "Downtime allowance")  # the phrase, in any case
    assert "error budget" in visible_terms(page)


def test_related_link_scrolls_to_its_target(page) -> None:  # type: ignore[no-untyped-def]
    page.fill("#glossary-search", "error budget policy")
    assert "error budget policy" in visible_terms(page)
    # the related link points at an entry the filter hides: following it shows it
    link = page.locator(f"#{anchor('error budget policy')} .related a", has_text="feature freeze")
    link.click()
    target = anchor("feature freeze")
    page.wait_for_function(f"location.hash === '#{target}'")
    assert page.evaluate("document.querySelector(':target').id") == target
    page.wait_for_function(
        f"""() => {{
            const r = document.getElementById('{target}').getBoundingClientRect();
            return r.top >= 0 && r.top < window.innerHeight;
        }}"""
    )
    assert page.is_visible(f"#{target}")


def test_keyboard_reaches_the_labelled_search_box(page) -> None:  # type: ignore[no-untyped-def]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "glossary-search"
    label = page.evaluate("document.querySelector('label[for=glossary-search]').textContent")
    assert label == "Search the glossary"
    page.keyboard.type("canary")
    assert visible_terms(page) == ["canary"]
    page.keyboard.press("Enter")  # jumps to the first match
    page.wait_for_function(f"location.hash === '#{anchor('canary')}'")
    page.focus("#glossary-search")
    page.keyboard.press("Escape")  # clears the search
    assert page.input_value("#glossary-search") == ""
    assert len(visible_terms(page)) > 40


def test_readable_on_a_phone_and_in_print(browser, page_url: str, glossary: Glossary) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2)
    phone = context.new_page()
    phone.goto(page_url)
    # no sideways scrolling, and body text no smaller than 16 CSS pixels
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    phone.fill("#glossary-search", "budget")
    phone.emulate_media(media="print")
    assert not phone.is_visible("#glossary-search")
    shown = phone.eval_on_selector_all(".entry", "els => els.filter(e => e.offsetParent).length")
    assert shown == len(glossary)  # print shows every entry, whatever the search
    context.close()


def test_contrast_of_text_and_links(page) -> None:  # type: ignore[no-untyped-def]
    ratios = page.evaluate(
        """() => {
        const lum = c => {
          const [r, g, b] = c.match(/\\d+/g).slice(0, 3).map(Number).map(v => {
            v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const ratio = (el, bg) => {
          const a = lum(getComputedStyle(el).color), b = lum(bg);
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        };
        const white = 'rgb(255, 255, 255)';
        return {
          body: ratio(document.querySelector('.definition'), white),
          link: ratio(document.querySelector('.related a'), white),
          muted: ratio(document.querySelector('.aliases'), white),
          badge: ratio(document.querySelector('.badge'),
                       getComputedStyle(document.querySelector('.badge')).backgroundColor),
        };
    }"""
    )
    for name, value in ratios.items():
        assert value >= 4.5, (name, value)  # WCAG AA for normal text


def test_the_page_takes_a_screenshot_as_the_docs_show_it(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The README's docs/glossary.png shows this view; the test writes to its own folder,
    never into the clone."""
    page.fill("#glossary-search", "budget")
    page.evaluate("window.scrollTo(0, 0)")
    target = tmp_path / "glossary.png"
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert os.access(target, os.R_OK)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_serious_or_critical_violation(
    browser, page_url: str, width: int, scheme: str
) -> None:  # type: ignore[no-untyped-def]
    script = axe_script()
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(page_url)
    assert violations(page, script) == []
    context.close()
