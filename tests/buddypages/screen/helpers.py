"""Reading the screen as a person would: its slides, each with its language and text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"meta", "link", "br", "img", "input", "path", "hr", "source"}


@dataclass
class Slide:
    kind: str  # "activities" or "tip"
    lang: str
    dir: str
    active: bool
    text: str = ""
    chunks: list[str] = field(default_factory=list)


class _SlideParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.slides: list[Slide] = []
        self.depth = 0  # inside the current slide's element tree
        self.html_attrs: dict = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "html":
            self.html_attrs = attrs
        if tag == "section" and "bp-slide" in classes:
            kind = "tip" if "bp-slide--tip" in classes else "activities"
            self.slides.append(
                Slide(kind, attrs.get("lang", ""), attrs.get("dir", ""), "is-active" in classes)
            )
            self.depth = 1
        elif self.depth and tag not in VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1
            if not self.depth:
                slide = self.slides[-1]
                slide.text = " ".join(" ".join(slide.chunks).split())

    def handle_data(self, data):
        if self.depth:
            self.slides[-1].chunks.append(data)


def slides_of(response) -> list[Slide]:
    parser = _SlideParser()
    parser.feed(response.content.decode())
    return parser.slides


def html_attributes(response) -> dict:
    parser = _SlideParser()
    parser.feed(response.content.decode())
    return parser.html_attrs
