"""Read a built page the way a reader sees it: its visible text, its links, its paragraphs."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK_TAGS = {
    "p", "div", "li", "dt", "dd", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    "br", "section", "nav", "header", "footer", "main", "address", "caption", "ul", "ol", "dl", "table",
}
VOID_TAGS = {"br", "img", "meta", "link", "input", "hr", "source", "wbr"}
# Text that is there for screen readers, and the footnote marks the source's text is compared without.
HIDDEN_CLASSES = ("rs-visually-hidden", "rs-footnote-ref")
# What the site puts beside a numbered paragraph's text, inside its element: its number (a link to
# itself) and, with JavaScript, the button that copies that link; a recommendation's evidence; the
# recommendations that cite it; the charts drawn from it. Each is an element of its own, never inside
# the report's sentences; everything else in the paragraph is the report's text.
PARAGRAPH_ADDITIONS = ("rs-paragraph__number", "rs-paragraph__copy", "rs-paragraph__evidence", "rs-paragraph__backlinks",
                       "rs-paragraph__charts")
# What the site puts between a part's sections on its pages: a link back to the contents (not in a download).
SECTION_ADDITIONS = ("rs-back-link",)


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
            if any(c in node.classes for c in skip_classes) or node.tag in ("script", "style", "template") \
                    or "hidden" in node.attrs:
                return
            if node.tag in BLOCK_TAGS:
                pieces.append(" ")
            for child in node.children:
                walk(child)
            if node.tag in BLOCK_TAGS:
                pieces.append(" ")

        walk(self)
        return re.sub(r"\s+", " ", "".join(pieces)).strip()


def paragraph_words(paragraph: Element) -> str:
    """A numbered paragraph's own text: every child of its element but the site's additions, nothing skipped
    within them (what textContent gives), whitespace collapsed."""
    own = [child for child in paragraph.children if not (isinstance(child, Element) and
                                                         any(c in child.classes for c in PARAGRAPH_ADDITIONS))]
    holder = Element("#paragraph", {}, None)
    holder.children = own
    return holder.text(skip_classes=())


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
