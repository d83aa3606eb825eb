"""Translate: titles from the inputs print their jargon as the glossary's business phrase."""

from __future__ import annotations

import pytest

from briefing.translate.glossary import Glossary, load_glossary
from briefing.translate.plain import plain_words
from briefing.translate.words import Words


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Bad config push takes checkout down", "Bad settings change takes checkout down"),
        ("Expired TLS certificate", "Expired website security certificate"),
        # at the start of the title the phrase takes a capital
        ("CDN misconfiguration hides product images",
         "Web delivery network misconfiguration hides product images"),
        # a plural term gives a plural phrase
        ("Two TLS certificates expired", "Two website security certificates expired"),
        ("Search cluster runs out of disk", "Search server group runs out of disk"),
        # words of common incident titles (a generated organisation's)
        ("Elevated 5xx on svc-001", "Elevated server errors on svc-001"),
        ("svc-004 database connection pool exhausted", "svc-004 database connection limit exhausted"),
        # plain words and lower-case look-alikes of acronyms stay as they are
        ("Payment provider outage", "Payment provider outage"),
        ("The cdn-like cache", "The cdn-like cache"),
    ],
)  # fmt: skip
def test_jargon_in_titles_prints_as_business_words(
    glossary: Glossary, title: str, expected: str
) -> None:
    assert plain_words(title, glossary, lambda term: glossary[term].say_instead) == expected


def test_the_terms_replaced_are_recorded(glossary: Glossary) -> None:
    words = Words(glossary)
    plain_words("Database failover stalls after a config push", glossary, words.say)
    assert sorted(words.used) == ["configuration change", "failover"]
