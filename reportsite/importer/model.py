"""The plain data passed between the importer's stages: source -> blocks -> report -> files."""

from __future__ import annotations

from dataclasses import dataclass, field


class SourceError(Exception):
    """A source that cannot be imported; the message is the one line an editor sees."""


@dataclass(frozen=True)
class Where:
    """Where something was in the source: file and page and line (PDF), paragraph (Word) or line (text)."""

    file: str
    page: int | None = None
    line: int | None = None
    paragraph: int | None = None
    table: int | None = None

    def __str__(self) -> str:
        at = [self.file]
        if self.page is not None:
            at.append(f"page {self.page}")
        if self.line is not None:
            at.append(f"line {self.line}")
        if self.table is not None:
            at.append(f"table {self.table}")
        if self.paragraph is not None:
            at.append(f"paragraph {self.paragraph}")
        return ", ".join(at)


@dataclass(frozen=True)
class SourceLine:
    """One line of the source as printed (a Word paragraph counts as a line), for the word check.

    `hyphen` is set when the line ends with a hyphen that the next line may continue.
    """

    where: Where
    text: str
    hyphen: bool = False


@dataclass
class Block:
    """A block the reader found: a paragraph, heading, list item, table, footnote or contents list.

    Text keeps footnote markers as superscript digits (¹ ²), as the report prints them.
    `heading_level` is the reader's best guess from the type (1 largest); 0 means a heading
    whose level only the structure can tell (plain text), None means not a heading.
    """

    kind: str  # "text", "heading", "item", "table", "note", "contents"
    text: str
    where: Where
    page: int | None = None
    heading_level: int | None = None
    depth: int = 0  # list items: 0 top level
    rows: list[list[str]] = field(default_factory=list)  # tables
    label: str = ""  # footnotes: the printed marker
    lines: list[str] = field(default_factory=list)  # text printed on separate lines, kept apart
    continues: bool = False  # may be the rest of the previous block, cut by a page break
    weak: bool = False  # a heading only by its look, over no text of substance: a part if a contents list says so


@dataclass(frozen=True)
class LeftOut:
    """Something of the source that is not in the content, and why."""

    where: Where
    text: str
    why: str


@dataclass(frozen=True)
class Change:
    """A change of layout the import made (never of words), said in the import report."""

    where: Where
    what: str


@dataclass
class Source:
    """What a reader returns: the blocks in reading order, and everything it set aside."""

    file: str
    kind: str  # "pdf", "docx", "text"
    blocks: list[Block]
    lines: list[SourceLine]
    left_out: list[LeftOut] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    title_hint: str = ""  # a title the format states (Word's Title style)


@dataclass
class Paragraph:
    """One block of a part as it will be written: numbered, prose, heading, item, table."""

    kind: str  # "numbered", "prose", "heading", "item", "table"; "markdown": an editor's, written as given
    text: str = ""
    number: str = ""  # numbered paragraphs: as printed, "12" or "2.14"
    level: int = 2  # headings: Markdown level
    depth: int = 0
    rows: list[list[str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    where: Where | None = None  # where it starts in the source


@dataclass
class Part:
    title: str
    slug: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    recommendations: str = ""  # "", "true" or "separate"
    notes: dict[str, str] = field(default_factory=dict)  # footnote label -> text, in order
    front: dict = field(default_factory=dict)  # front matter an editor's recipe adds, after the title
    where: Where | None = None  # where its heading was printed; None for the text before the first heading


@dataclass
class ImportedReport:
    """The report as found: title, parts, numbering, and what was left out or changed."""

    source: Source
    title: str
    parts: list[Part]
    numbering: str  # "sequence" or "chapter"
    left_out: list[LeftOut]
    changes: list[Change]
    title_where: Where | None = None  # where the title was printed, when a block printed it
