"""Checks of rendered packs by real parsers (markdown-it, html.parser), shared by the render
tests. Not a test module."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from markdown_it import MarkdownIt


def _unescaped_pipes(line: str) -> int:
    count, index = 0, 0
    while index < len(line):
        if line[index] == "\\":
            index += 2
            continue
        if line[index] == "|":
            count += 1
        index += 1
    return count


def markdown_tables(text: str) -> list[list[str]]:
    """Blocks of consecutive lines starting with `|`."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def assert_markdown_safe(text: str) -> None:
    """Every table keeps its shape; no raw HTML, link, image or autolink comes through."""
    blocks = markdown_tables(text)
    for block in blocks:
        assert len(block) >= 2 and re.fullmatch(r"\|(---\|)+", block[1]), block[:2]
        width = _unescaped_pipes(block[0])
        for line in block:
            assert _unescaped_pipes(line) == width, f"table row out of shape: {line!r}"
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    tokens = parser.parse(text)
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) == len(blocks), "a table did not parse as a table"
    rows = sum(1 for t in tokens if t.type == "tr_open")
    assert rows == sum(len(b) - 1 for b in blocks), "a table row did not parse as a row"

    def walk(items: list[Any]) -> None:
        for token in items:
            assert token.type not in ("html_inline", "html_block"), token.content
            assert token.type not in ("link_open", "image"), token.attrs
            if token.children:
                walk(token.children)

    walk(tokens)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def parse_html(text: str) -> _Collector:
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return collector


def assert_html_safe(text: str) -> None:
    """No script, no event handler, no inline style attribute, no reference outside the page."""
    page = parse_html(text)
    for tag, attrs in page.tags:
        assert tag not in ("script", "iframe", "object", "embed", "img", "link", "base", "form"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            if name in ("href", "src", "action", "formaction", "srcset"):
                assert value is not None and value.startswith("#"), (tag, name, value)
    assert len(page.styles) == 1


def assert_html_accessible(text: str) -> None:
    """lang, one h1, headings in order, a header scope on every table header cell."""
    page = parse_html(text)
    html_tag = next(attrs for tag, attrs in page.tags if tag == "html")
    assert html_tag.get("lang") == "en-GB"
    assert page.headings.count(1) == 1 and page.headings[0] == 1, page.headings[:5]
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    for tag, attrs in page.tags:
        if tag == "th":
            assert attrs.get("scope") in ("col", "row"), attrs
    assert any(tag == "title" for tag, _ in page.tags)
    assert any(tag == "main" for tag, _ in page.tags)
