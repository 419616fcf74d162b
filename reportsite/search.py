"""Search: the report indexed with Pagefind at build time, one record per numbered paragraph.

Each numbered paragraph is one search result, linking to its anchor and naming its number and
the part of the report it is in; the text outside the numbered paragraphs (summaries, lists) is
one record per heading. The search page (templates/pages/search.html, static/js/search.js)
queries the index in the browser, and goes straight to a paragraph when a number is typed.

Pagefind is run as its own program (`pagefind --service`, from the pinned `pagefind[bin]`),
spoken to directly over its pipe, one request at a time (the protocol the package's own client
speaks: JSON in base64, each message ended by a comma). That client waits 100 ms before reading
each answer, so indexing the report's 141 records took 14.6 s; this way it takes 0.11 s. The
records are sent one at a time, in the report's order, and the index is the same, byte for
byte, from build to build.
"""

from __future__ import annotations

import base64
import itertools
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from .content import Part
from .crossrefs import Site, href
from .formats.blocks import inline_children_text
from .plugins.numbered_paragraphs import PARAGRAPH

INDEX_FOLDER = "pagefind"  # where the index lives in the site; search.js loads INDEX_FOLDER/pagefind.js
LANGUAGE = "en"
# Files the site does not use, left out of it: Pagefind's own ready-made interfaces, and the search
# engine for text in no known language (every record is in English).
UNUSED_FILES = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.", "wasm.unknown.")


class SearchUnavailable(Exception):
    """The search index could not be made; the message says why and what to do, for an editor."""


@dataclass(frozen=True)
class SearchRecord:
    """One search result: a numbered paragraph, or the text under one heading of a part."""

    url: str
    title: str
    part: str
    text: str
    paragraph: str | None = None  # the paragraph's label, as printed

    @property
    def meta(self) -> dict[str, str]:
        meta = {"title": self.title, "part": self.part}
        if self.paragraph is not None:
            meta["paragraph"] = self.paragraph
        return meta


def search_files(site: Site) -> dict[str, bytes]:
    """The search index, by path in the site; raises SearchUnavailable if Pagefind cannot make it."""
    return {f"{INDEX_FOLDER}/{path}": data for path, data in index_records(search_records(site)).items()
            if not path.startswith(UNUSED_FILES)}


def search_records(site: Site) -> list[SearchRecord]:
    """Every record of the index, in the report's order; URLs are relative to the search page."""
    from_page = site.page("search")
    records = []
    for part in site.report.parts:
        page = site.page_of_part(part.slug)
        for anchor, text in numbered_paragraph_texts(part):
            paragraph = site.paragraphs[anchor]
            numbered = paragraph.series == PARAGRAPH  # recommendations numbered on their own are not found by number
            records.append(SearchRecord(site.paragraph_href(anchor, from_page),
                                        f"{'Paragraph' if numbered else 'Recommendation'} {paragraph.label}",
                                        part.heading, text, paragraph.label if numbered else None))
        for heading, anchor, text in section_texts(part):
            if part is page.parts[0] and anchor is None:
                anchor = ""  # the part's opening text is the top of its page
            url = href(from_page, page, f"part-{part.slug}" if anchor is None else anchor)
            records.append(SearchRecord(url, heading or part.heading, part.heading, text))
    return records


def numbered_paragraph_texts(part: Part) -> list[tuple[str, str]]:
    """(anchor, plain text) of each numbered paragraph of the part."""
    found: list[tuple[str, str]] = []
    anchor, blocks = None, []
    for token in part.tokens:
        if token.type == "numbered_paragraph_open":
            anchor, blocks = token.meta["anchor"], []
        elif token.type == "numbered_paragraph_close":
            found.append((anchor, "\n".join(blocks)))
            anchor = None
        elif anchor is not None and token.type == "inline":
            blocks.append(plain_text(token))
        elif anchor is not None and token.type == "report_block":
            blocks += [plain_text(child) for child in token.children]
    return found


def section_texts(part: Part) -> list[tuple[str | None, str | None, str]]:
    """(heading, its anchor, plain text) of the text outside numbered paragraphs and footnotes, under each
    heading of the part; heading and anchor are None for the text before the part's first heading."""
    sections: list[tuple[str | None, str | None, list[str]]] = [(None, None, [])]
    outside = True  # not inside a numbered paragraph or the footnotes
    heading_id: str | None = None
    for token in part.tokens:
        if token.type in ("numbered_paragraph_open", "footnote_block_open"):
            outside = False
        elif token.type in ("numbered_paragraph_close", "footnote_block_close"):
            outside = True
        elif token.type == "heading_open":
            heading_id = token.attrGet("id")
        elif token.type == "inline" and outside:
            if heading_id is not None:
                sections.append((plain_text(token), heading_id, []))
                heading_id = None
            else:
                sections[-1][2].append(plain_text(token))
        elif token.type == "report_block" and outside:
            sections[-1][2].extend(plain_text(child) for child in token.children)
    return [(heading, anchor, "\n".join(blocks)) for heading, anchor, blocks in sections if blocks]


def plain_text(inline: Token) -> str:
    """The words of a piece of Markdown text, as a reader sees them, without footnote markers."""
    return inline_children_text(inline.children or (), footnote_ref=lambda label: "")


def index_records(records: list[SearchRecord]) -> dict[str, bytes]:
    """Pagefind's index of `records`, as its files by path."""
    program = pagefind_program()
    try:
        service = subprocess.Popen([str(program), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
    except OSError as error:
        raise SearchUnavailable(f"Pagefind ({program}) could not be started: {error.strerror or error}.") from None
    messages = itertools.count(1)
    try:
        index = ask(service, next(messages), {"type": "NewIndex", "config": {"force_language": LANGUAGE}})["index_id"]
        for record in records:
            ask(service, next(messages), {"type": "AddRecord", "index_id": index, "url": record.url,
                                          "content": record.text, "language": LANGUAGE, "meta": record.meta})
        files = ask(service, next(messages), {"type": "GetFiles", "index_id": index})["files"]
    finally:
        try:
            service.stdin.close()  # Pagefind ends when its input does
        except OSError:  # it has already stopped; the reason is being raised
            pass
        service.wait()
    return {file["path"]: base64.b64decode(file["content"]) for file in sorted(files, key=lambda file: file["path"])}


def pagefind_program() -> Path:
    """Pagefind's program, as its Python package finds it (PAGEFIND_BINARY_PATH, pagefind[bin], or PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchUnavailable("the Python package pagefind is not installed. "
                                "Run `.venv/bin/pip install -r requirements.txt`.") from None
    program = get_executable()
    if program is None or not Path(program).is_file():
        raise SearchUnavailable("Pagefind's program is not installed. Run `.venv/bin/pip install -r requirements.txt` "
                                "(it comes with the package pagefind[bin]), or set PAGEFIND_BINARY_PATH.")
    return Path(program)


def ask(service: subprocess.Popen, message_id: int, request: dict) -> dict:
    """Send one request to `pagefind --service` and return its answer.

    Each message is JSON in base64, ended by a comma, both ways."""
    message = {"message_id": message_id, "payload": request}
    try:
        service.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
        service.stdin.flush()
        answer = read_until_comma(service.stdout)
    except (OSError, EOFError):
        raise SearchUnavailable("Pagefind stopped before the index was made.") from None
    payload = json.loads(base64.b64decode(answer))["payload"]
    if payload.get("type") == "Error":
        raise SearchUnavailable(f"Pagefind could not index the report: {payload.get('message')}.")
    return payload


def read_until_comma(stream) -> bytes:
    """One answer from Pagefind: everything up to its closing comma (base64 has none).

    Only one request is ever waiting, so the answer is the last thing Pagefind has written."""
    chunks = [b""]
    while not chunks[-1].endswith(b","):
        chunk = stream.read1(1 << 20)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
    return b"".join(chunks)[:-1]
