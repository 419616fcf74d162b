"""The organisation's logo: an SVG file in the content folder, checked before it is published.

A logo is copied into the site as it is, so it must be a picture and nothing else: no script, no
event attribute, no HTML inside it (foreignObject), and nothing it would fetch (a link, image, style
or font outside the file). Any of these is refused at its line, with what to remove.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Problem, ProblemFound, display_path
from .textfile import read_bytes

MAX_LOGO_BYTES = 100 * 1024
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
SITE_PATH = "static/organisation/logo.svg"  # where the logo is published, from the site's root
REFUSED_ELEMENTS = {"script": "a script", "foreignObject": "HTML inside the picture",
                    "iframe": "an iframe", "embed": "an embedded object", "object": "an embedded object",
                    "handler": "an event handler", "listener": "an event listener"}
LINKING_ATTRIBUTES = {"href", f"{XLINK_NAMESPACE} href", "src"}
EXTERNAL_URL = re.compile(r"url\(\s*(?![\s'\"]*#)", re.I)  # url(...) of anything but a fragment of this file
IMPORT = re.compile(r"@import", re.I)
FIX = "Save the logo again as a plain SVG picture (for example with Inkscape's 'Plain SVG' or 'Optimized SVG'), without it."


def logo_path(content_dir: Path, name: str) -> Path:
    """Where `name` (as report.yaml writes it) is, within the content folder."""
    return Path(content_dir) / name


def check_logo(content_dir: Path, name: str, file: str, line: int) -> tuple[bytes | None, list[Problem]]:
    """The logo's bytes if it can be published, and the problems found; `file` and `line` are where
    report.yaml names it."""
    content_dir = Path(content_dir)
    path = logo_path(content_dir, name)
    if Path(name).is_absolute() or not path.resolve().is_relative_to(content_dir.resolve()):
        return None, [Problem(file, line, f"the logo '{name}' is outside the content folder.",
                              "Put the logo's file in the content folder and give its name there, e.g. 'logo: logo.svg'.")]
    if path.suffix.lower() != ".svg":
        return None, [Problem(file, line, f"the logo '{name}' is not an SVG file.",
                              "Give the logo as an SVG picture (a file whose name ends '.svg'), which stays sharp at every text size.")]
    if not path.exists() and not path.is_symlink():
        return None, [Problem(file, line, f"the logo '{name}' does not exist in the content folder.",
                              f"Put the file at {display_path(path)}, or correct its name.")]
    try:
        data = read_bytes(path)
    except ProblemFound as found:
        return None, found.problems
    logo_file = display_path(path)
    if len(data) > MAX_LOGO_BYTES:
        return None, [Problem(logo_file, 1, f"this logo is {len(data) // 1024} KB, more than the {MAX_LOGO_BYTES // 1024} KB "
                                            "a logo may be.", "Save it as a smaller SVG file (for example with 'Optimized SVG').")]
    problems = svg_problems(data, logo_file)
    return (None if problems else data), problems


def svg_problems(data: bytes, file: str) -> list[Problem]:
    """What in an SVG document cannot be published, each at its line."""
    import xml.parsers.expat  # only for a report with a logo

    problems: list[Problem] = []
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    elements: list[str] = []  # the elements open, by local name
    started = False
    style_text: list[str] = []

    def refuse(message: str, fix: str = FIX) -> None:
        problems.append(Problem(file, parser.CurrentLineNumber, message, fix))

    def stop_doctype(*_arguments) -> None:
        refuse("this logo has a DOCTYPE, which can make a file read others or grow without end.",
               "Delete the '<!DOCTYPE ...>' declaration; an SVG picture does not need it.")
        raise _Stop

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal started
        namespace, _, local = name.rpartition(" ")
        if not started and (namespace, local) != (SVG_NAMESPACE, "svg"):
            refuse("this file is not an SVG picture: it does not start with an <svg> element in the SVG namespace.",
                   f"Give an SVG file whose first element is <svg xmlns=\"{SVG_NAMESPACE}\">.")
        started = True
        elements.append(local)
        if local in REFUSED_ELEMENTS:
            refuse(f"this logo holds {REFUSED_ELEMENTS[local]} (<{local}>), which cannot be published.")
        for attribute, value in attributes.items():
            local_attribute = attribute.rpartition(" ")[2]
            if local_attribute.lower().startswith("on"):
                refuse(f"this logo holds an event attribute ({local_attribute}), which would run a script.")
            elif attribute in LINKING_ATTRIBUTES and not value.strip().startswith("#"):
                refuse(f"this logo refers to something outside it ({local_attribute}=\"{value[:60]}\"), "
                       "which would be fetched or followed.")
            elif EXTERNAL_URL.search(value) or IMPORT.search(value):
                refuse(f"this logo's {local_attribute} refers to something outside it ('{value[:60]}').")

    def end(_name: str) -> None:
        if elements.pop() == "style":
            style = "".join(style_text)
            style_text.clear()
            if EXTERNAL_URL.search(style) or IMPORT.search(style):
                refuse("this logo's style refers to something outside it (url() or @import).")

    def text(content: str) -> None:
        if elements and elements[-1] == "style":
            style_text.append(content)

    def instruction(target: str, _data: str) -> None:
        refuse(f"this logo holds a processing instruction (<?{target} ...?>), which may fetch a stylesheet.")

    parser.StartDoctypeDeclHandler = stop_doctype
    parser.EntityDeclHandler = stop_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(data, True)
    except _Stop:
        pass
    except xml.parsers.expat.ExpatError as error:
        problems.append(Problem(file, error.lineno, f"this logo is not well-formed SVG: {xml.parsers.expat.errors.messages[error.code]}.",
                                "Save the logo again from the program that drew it, as SVG."))
    if not started and not problems:
        problems.append(Problem(file, 1, "this logo holds no SVG picture.", "Give an SVG file."))
    return problems


class _Stop(Exception):
    """Parsing stops at a DOCTYPE: nothing after it is read."""
