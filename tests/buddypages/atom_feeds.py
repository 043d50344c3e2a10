"""Reading an Atom feed as its clients do, and checking it against the standard.

Two independent checks: feedparser (what feed readers and schedulers are built on) must read
it without complaint (``bozo`` false), and the feed must be valid by the RELAX NG grammar of
RFC 4287, Appendix B (atom_rfc4287.rng, checked with lxml), including the two Schematron
rules that grammar carries as annotations (an author for every entry, an alternate link).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import feedparser
from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
SCHEMATRON = "http://www.ascc.net/xml/schematron"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA = Path(__file__).with_name("atom_rfc4287.rng")


@cache
def _grammar() -> tuple[etree.RelaxNG, list[tuple[str, str, str]]]:
    document = etree.parse(str(SCHEMA))
    rules = [
        (rule.get("context"), check.get("test"), check.text)
        for rule in document.iter(f"{{{SCHEMATRON}}}rule")
        for check in rule.iter(f"{{{SCHEMATRON}}}assert")
    ]
    return etree.RelaxNG(document), rules


def atom_problems(body: bytes) -> list[str]:
    """What RFC 4287's grammar finds wrong with ``body`` (empty when it is valid)."""
    grammar, rules = _grammar()
    root = etree.fromstring(body)
    problems = [] if grammar.validate(root) else [str(error) for error in grammar.error_log]
    namespaces = {"atom": ATOM}
    for context, test, message in rules:
        for node in root.xpath(f"descendant-or-self::{context}", namespaces=namespaces):
            if not node.xpath(f"boolean({test})", namespaces=namespaces):
                problems.append(message)
    return problems


def read_feed(response):
    """The feed as feedparser reads it, after both checks; the XML root is ``.root``."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    body = response.content
    problems = atom_problems(body)
    assert not problems, problems
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    parsed.root = etree.fromstring(body)
    return parsed
