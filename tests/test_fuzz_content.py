"""Whatever bytes, YAML or Markdown a content file holds, checking the content either builds every page
or stops with problems located by file and line: never another exception.

Hypothesis writes random content into a copy of the small report and builds its pages in memory, as
`check` does (which keeps only their sizes: here the pages are kept, to be read for characters HTML
cannot hold). A bounded number of examples each run; it keeps no database in the repository.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportsite.build import Sources, build_files
from reportsite.errors import BuildError
from reportsite.textfile import UNPUBLISHABLE
from tests.conftest import SMALL_REPORT
from tests.test_content_errors import KEY_FIGURES

FUZZ = settings(max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
FRONT_MATTER = "---\ntitle: Inspection findings\norder: 3\nslug: findings\nheading: Inspection findings\n---\n"

# What gives YAML and Markdown their structure, with characters that cannot be published and some that can.
YAML_CHARACTERS = list("-:[]{}&*!|>'\"#?,%@`\\ \n\t012389abcxyz.") + ["\x07", "\x85", "\ufffe", "é", "\u2028", "!!python/", "<<"]
MARKDOWN_CHARACTERS = list("*_[]()!<>`#-+.|^:\\ \n\t0123456789abcxyz&;=~\"'") + [
    "\x00", "\x0c", "\x1b", "\ufffe", "é", "&#7;", "&#x41;", "[^1]", "(paragraph 3)", "(paragraphs 3, 5)", "CAF", "> ", "1. "]


def outcome(content: Path) -> str:
    """'built', with no character in any page that HTML cannot hold, or 'refused' with every problem
    located; any other exception fails the test."""
    try:
        result = build_files(Sources(content=content), formats=("html",))
    except BuildError as error:
        assert error.problems, "a BuildError without a problem"
        for problem in error.problems:
            assert problem.line >= 1 and problem.message and "\n" not in str(problem), problem
        return "refused"
    for path, data in result.files.items():
        if path.endswith(".html"):
            assert not UNPUBLISHABLE.search(data.decode("utf-8")), f"{path} holds a character HTML cannot hold"
    return "built"


def with_file(name: str, data: bytes) -> str:
    """The outcome of checking the small report with the file `name` holding `data`."""
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        content = folder / "content"
        shutil.copytree(SMALL_REPORT, content)
        (content / name).write_bytes(data)
        return outcome(content)
    finally:
        shutil.rmtree(folder)


@FUZZ
@given(st.binary(max_size=3000))
def test_any_bytes_as_a_part(data):
    with_file("parts/03-findings.md", data)


@FUZZ
@given(st.binary(max_size=3000))
def test_any_bytes_as_a_yaml_file(data):
    with_file("report.yaml", data)


def pieces(alphabet: list[str], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(alphabet), max_size=max_size).map("".join)


@FUZZ
@given(pieces(YAML_CHARACTERS, 400))
def test_any_yaml_text_as_front_matter(text):
    with_file("parts/03-findings.md", f"---\n{text}\n---\n3. Early help is timely.\n\n4. Plans.\n\n5. Clear.\n".encode("utf-8"))


@FUZZ
@given(pieces(YAML_CHARACTERS, 400))
def test_any_yaml_text_as_a_yaml_file(text):
    with_file("abbreviations.yaml", text.encode("utf-8"))


@FUZZ
@given(pieces(MARKDOWN_CHARACTERS, 600))
def test_any_markdown_in_a_part(text):
    body = f"## Summary\n\n{text}\n\n3. Early help is timely.\n\n4. Plans use the SoS approach.\n\n5. Plans are clear.\n"
    with_file("parts/03-findings.md", (FRONT_MATTER + body).encode("utf-8"))


# Any value YAML can write, in place of a field of the report.
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.dates() | pieces(MARKDOWN_CHARACTERS, 40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text("abcdefgh_", min_size=1, max_size=8), children, max_size=4),
    max_leaves=12)
REPORT_FIELDS = list(yaml.safe_load((SMALL_REPORT / "report.yaml").read_text(encoding="utf-8")))


@FUZZ
@given(st.sampled_from(REPORT_FIELDS), VALUES)
def test_any_value_in_a_field_of_the_report(field, value):
    report = yaml.safe_load((SMALL_REPORT / "report.yaml").read_text(encoding="utf-8"))
    report[field] = value
    with_file("report.yaml", yaml.safe_dump(report, allow_unicode=True).encode("utf-8"))


KEY_FIGURE_FIELDS = ["id", "title", "paragraph", "unit", "description", "labels", "bars", "label", "value", "comparison", "group"]


@FUZZ
@given(st.sampled_from(KEY_FIGURE_FIELDS), VALUES)
def test_any_value_in_a_field_of_a_key_figure(field, value):
    figures = yaml.safe_load(KEY_FIGURES)
    if field in ("label", "value", "comparison", "group"):
        figures[0]["bars"][0][field] = value
    else:
        figures[0][field] = value
    with_file("key-figures.yaml", yaml.safe_dump(figures, allow_unicode=True).encode("utf-8"))
