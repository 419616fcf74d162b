"""Read a built page the way a reader sees it: its visible text, its links, its paragraphs."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK_TAGS = {
    "p", "div", "li", "dt", "dd", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    "br", "section", "nav", "header", "footer", "main", "address", "caption", "ul", "ol", "dl", "table",
}
VOID_TAGS = {"br", "img", "meta", "link", "input", "hr", "source", "wbr"}
# Text that is there for screen readers or for explanation, not the report's printed wording.
HIDDEN_CLASSES = ("rs-visually-hidden", "rs-abbr__expansion", "rs-footnote-ref")


class Element:
    def __init__(self, tag: str, attrs: dict, parent: "Element | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list = []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list["Element"]:
        return [e for e in self.iter() if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)]

    def by_id(self, id_: str) -> "Element | None":
        return next((e for e in self.iter() if e.attrs.get("id") == id_), None)

    def text(self, skip_classes: tuple[str, ...] = HIDDEN_CLASSES) -> str:
        """Visible text, blocks separated by spaces, whitespace collapsed."""
        pieces: list[str] = []

        def walk(node):
            if isinstance(node, str):
                pieces.append(node)
                return
            if any(c in node.classes for c in skip_classes) or node.tag in ("script", "style", "template"):
                return
            if node.tag in BLOCK_TAGS:
                pieces.append(" ")
            for child in node.children:
                walk(child)
            if node.tag in BLOCK_TAGS:
                pieces.append(" ")

        walk(self)
        return re.sub(r"\s+", " ", "".join(pieces)).strip()


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in VOID_TAGS:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
