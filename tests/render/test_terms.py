"""Render: the glossary terms a page prints come from `Briefing.terms`, marked once each."""

from __future__ import annotations

import re

from briefing.config import load_config, packaged_sample_config
from briefing.model import Period, Term
from briefing.pipeline import build
from briefing.render.terms import TermMarkup
from briefing.translate.glossary import load_glossary


def _term(name: str) -> Term:
    entry = load_glossary()[name]
    return Term(entry.term, entry.say_instead, entry.definition, entry.metaphor)


def test_say_footnotes_a_term_once_and_keeps_a_plural_inside() -> None:
    markup = TermMarkup(load_glossary(), [_term("incident")])
    first = str(markup.say("incident", plural=True))
    # the "s" sits inside the phrase, before the footnote's mark, and the footnote comes once
    assert first.startswith('<span class="term" title="')
    assert '>service disruptions</span><span class="fn">Service disruption: ' in first
    assert 'class="fn"' not in str(markup.say("incident"))


def test_business_marks_plurals_and_possessives_and_can_leave_footnotes_out() -> None:
    markup = TermMarkup(load_glossary(), [_term("risk register"), _term("incident")])
    text = str(markup.business("The risk register's forecast & 2 service disruptions", False))
    assert "risk register&#39;s</span>" in text  # the possessive inside the mark, escaped once
    assert ">service disruptions</span>" in text
    assert "&amp;" in text  # the rest escaped
    assert 'class="fn"' not in text  # tooltips only
    # footnoted at the next use
    assert 'class="fn"' in str(markup.business("the risk register"))


def test_a_template_term_the_briefing_did_not_record_still_prints_and_is_listed() -> None:
    markup = TermMarkup(load_glossary(), [_term("incident")])
    assert ">reliability target</span>" in str(markup.say("SLO"))
    assert [t.term for t in markup.used()] == ["SLO", "incident"]  # by the printed words


def test_the_sample_prints_exactly_the_terms_translate_recorded() -> None:
    config = load_config(packaged_sample_config())
    result = build(config, Period(2026, 10, config.timezone), formats=("html",))
    html = result.outputs["html"].decode("utf-8")
    words = html[html.index('id="words-title"') : html.index("<!-- appendix:start -->")]
    listed = [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r"<dt>(.*?)</dt>", words)]
    recorded = sorted(result.briefing.terms, key=lambda t: (t.say_instead.casefold(), t.term))
    # one source of truth: "Words we use" is Briefing.terms (also in the JSON), no more, no less
    assert listed == [t.say_instead[:1].upper() + t.say_instead[1:] for t in recorded]
    body = re.sub(r"<[^>]+>", " ", html[: html.index("<!-- appendix:start -->")]).casefold()
    for term in recorded:
        assert term.say_instead.casefold() in body.replace("\n", " "), term.term


def test_the_pdf_prints_a_term_as_plain_words_with_its_footnote() -> None:
    """On paper nothing hovers: the phrase is plain text (an inline box around a phrase
    that has to wrap made the PDF's line breaker leave a word alone on a line) and the
    definition is the footnote, once."""
    markup = TermMarkup(load_glossary(), [_term("incident")], tooltips=False)
    first = str(markup.say("incident", plural=True))
    assert first.startswith('service disruptions<span class="fn">Service disruption: ')
    assert str(markup.say("incident")) == "service disruption"
    text = str(markup.business("2 service disruptions & more"))
    assert text == "2 service disruptions &amp; more"  # escaped, unmarked, footnoted already
