"""Bad content gets one clear line per problem, exit status 1, no traceback, and the old site is kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_build


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def published(small_report, tmp_path) -> Path:
    """A site already built from the small report, which a failed build must not touch."""
    out = tmp_path / "site"
    result = run_build("--content", str(small_report), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_fails_with(content: Path, out: Path, *expected: str, command: str = "build", templates: Path | None = None) -> list[str]:
    before = snapshot(out)
    arguments = ([] if command == "build" else [command]) + ["--content", str(content), "--out", str(out)]
    if templates:
        arguments += ["--templates", str(templates)]
    result = run_build(*arguments)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    for text in expected:
        assert any(text in line for line in lines), f"{text!r} not in:\n{result.stderr}"
    assert snapshot(out) == before, "the previous site was changed"
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(".site-") and p.name != ".site-cache"]
    assert leftovers == [], "a failed build left its temporary folder behind"
    return lines


@pytest.mark.parametrize("command", ["build", "check"])
def test_yaml_that_does_not_parse_is_named_by_file_and_line(small_report, published, command):
    replace_in(small_report / "report.yaml", "publisher: The Testshire Inspectorate", "publisher: [The Testshire Inspectorate")
    lines = assert_fails_with(small_report, published, "report.yaml:7: this YAML does not parse", command=command)
    assert "(while parsing a flow sequence that starts on line 6)" in lines[0]
    assert "Check the indentation and quoting" in lines[0]


def test_a_missing_required_field_says_what_to_add(small_report, published):
    replace_in(small_report / "report.yaml", "title: Inspection of services for children in Testshire\n", "")
    assert_fails_with(small_report, published, "report.yaml:1: the required field 'title' is missing. Add 'title:' with text.")


def test_a_field_of_the_wrong_type_says_what_to_write(small_report, published):
    replace_in(small_report / "parts" / "03-findings.md", "order: 3", "order: third")
    assert_fails_with(small_report, published, "03-findings.md:3: 'order' should be a whole number, but it is text. Write a whole number here.")


def test_a_nested_field_of_the_wrong_type_is_located(small_report, published):
    replace_in(small_report / "report.yaml", '  telephone: "020 0000 0000"', "  telephone: 02000000000")
    assert_fails_with(small_report, published, "report.yaml:15: 'contact.telephone' should be text, but it is a whole number.",
                      'put the value in quotes')


def test_a_citation_of_a_paragraph_that_does_not_exist(small_report, published):
    replace_in(small_report / "parts" / "01-recommendations.md", "(paragraph 5)", "(paragraph 50)")
    assert_fails_with(small_report, published,
                      "01-recommendations.md:8: recommendation 2 cites paragraph 50, which does not exist. Cite a paragraph between 1 and 5, or add paragraph 50.")


def test_a_paragraph_number_repeated(small_report, published):
    replace_in(small_report / "parts" / "03-findings.md", "4. Plans use", "3. Plans use")
    lines = assert_fails_with(small_report, published,
                      "03-findings.md:15: paragraph 3 is numbered twice; it is already at",
                      "03-findings.md:13. Number this paragraph 4 and renumber the ones after it")
    assert len(lines) == 2, "one repeated number is one problem"


def test_a_paragraph_number_skipped(small_report, published):
    replace_in(small_report / "parts" / "03-findings.md", "4. Plans use", "7. Plans use")
    lines = assert_fails_with(small_report, published,
                              "03-findings.md:15: paragraph 7 follows paragraph 3: paragraph 4 is missing. Number this paragraph 4")
    assert len(lines) == 2, "one wrong number is one problem"


def test_a_markdown_file_without_front_matter(small_report, published):
    path = small_report / "parts" / "03-findings.md"
    path.write_text(path.read_text().split("---\n", 2)[2])
    assert_fails_with(small_report, published, "03-findings.md:1: this Markdown file does not start with front matter.")


def test_front_matter_that_is_not_closed(small_report, published):
    replace_in(small_report / "parts" / "03-findings.md", "heading: Inspection findings\n---\n", "heading: Inspection findings\n")
    assert_fails_with(small_report, published, "03-findings.md:1: the front matter is not closed.")


def test_a_file_that_is_not_utf8_is_named_with_its_line(small_report, published):
    path = small_report / "parts" / "03-findings.md"
    path.write_bytes(path.read_bytes().replace("Early help is timely.".encode(), "Early help is timely \u2013 mostly.".encode("cp1252")))
    assert_fails_with(small_report, published, "03-findings.md:13: this file is not UTF-8 text (byte 0x96 cannot be read). Save the file with the encoding 'UTF-8'")


def test_a_template_syntax_error_is_named_by_template_and_line(small_report, published, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    replace_in(templates / "components" / "glossary_list.html", "{% endfor %}", "{% endfo %}")
    assert_fails_with(small_report, published, "glossary_list.html:10: template error: Encountered unknown tag 'endfo'.", templates=templates)


def test_a_template_that_uses_an_unknown_name_is_named_by_template_and_line(small_report, published, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    path = templates / "pages" / "not_found.html"
    lines = path.read_text().split("\n")
    number = next(i for i, line in enumerate(lines) if "<h1" in line) + 1
    lines[number - 1] = lines[number - 1].replace("Page not found", "{{ page.heading_text }}")
    path.write_text("\n".join(lines))
    assert_fails_with(small_report, published, f"not_found.html:{number}: template error while rendering 404.html", templates=templates)


def test_every_problem_is_reported_at_once(small_report, published):
    replace_in(small_report / "parts" / "03-findings.md", "order: 3", "order: third")
    replace_in(small_report / "report.yaml", "title: Inspection of services for children in Testshire\n", "")
    lines = assert_fails_with(small_report, published, "03-findings.md:3:", "report.yaml:1:")
    assert lines[-1] == "2 problems found; nothing was written."


def test_check_writes_nothing(small_report, tmp_path):
    out = tmp_path / "never"
    result = run_build("check", "--content", str(small_report), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "The content is valid: 5 paragraphs, 3 citations" in result.stdout
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [small_report]


def test_a_footnote_without_its_note(small_report, published):
    replace_in(small_report / "parts" / "03-findings.md", "Early help is timely.", "Early help is timely.[^4]")
    assert_fails_with(small_report, published, "03-findings.md:13: the footnote [^4] has no note. Add a line '[^4]: the text of the note'")


def test_a_block_that_names_a_part_that_does_not_exist(small_report, published):
    replace_in(small_report / "front-page.md", "    part: findings\n", "    part: finding\n")
    assert_fails_with(small_report, published, "front-page.md:17: 'part: finding' names no part of the report. Did you mean 'findings'?")


def test_an_output_folder_that_cannot_be_written_is_reported_without_a_traceback(small_report, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_build("--content", str(small_report), "--out", str(blocker / "site"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "nothing was changed" in result.stderr


KEY_FIGURES = """\
- id: early-help
  title: Early help
  paragraph: 3
  unit: per cent
  description: Early help rose.
  labels: Year
  bars:
    - label: 2013–14
      value: 40
    - label: 2014–15
      value: 60
"""


def add_key_figures(content: Path, old: str, new: str) -> None:
    """Give the small report a key-figures.yaml, with `old` changed to `new`."""
    assert old in KEY_FIGURES
    (content / "key-figures.yaml").write_text(KEY_FIGURES.replace(old, new, 1), encoding="utf-8")


def test_a_key_figure_from_a_paragraph_that_does_not_exist(small_report, published):
    add_key_figures(small_report, "paragraph: 3", "paragraph: 30")
    assert_fails_with(small_report, published,
                      "key-figures.yaml:3: the figure 'early-help' comes from paragraph 30, which does not exist. "
                      "Give the number of a paragraph between 1 and 5")


def test_a_key_figure_whose_value_is_not_a_number(small_report, published):
    add_key_figures(small_report, "value: 40", "value: 40 per cent")
    assert_fails_with(small_report, published,
                      "key-figures.yaml:9: the value of '2013–14' is '40 per cent', which is not a number. "
                      "Write the number alone, as the paragraph gives it, without its unit")


def test_a_key_figure_in_a_unit_a_chart_cannot_show(small_report, published):
    add_key_figures(small_report, "unit: per cent", "unit: percent")
    assert_fails_with(small_report, published,
                      "key-figures.yaml:4: 'unit: percent' is not a unit a chart can show. Use one of: weeks, days, per cent.")


def test_a_key_figure_whose_bars_are_all_comparisons(small_report, published):
    add_key_figures(small_report, "      value: 40\n    - label: 2014–15\n      value: 60\n",
                    "      value: 40\n      comparison: true\n    - label: 2014–15\n      value: 60\n      comparison: true\n")
    assert_fails_with(small_report, published,
                      "key-figures.yaml:8: every bar of the figure 'early-help' is a comparison, so there is nothing to "
                      "compare them with. Leave out 'comparison: true' for the figures of what the report is about")


def test_a_part_number_that_is_not_digits_and_dots(small_report, published):
    replace_in(small_report / "parts" / "03-findings.md", "order: 3\n", "order: 3\nnumber: 2a\n")
    assert_fails_with(small_report, published, "03-findings.md:4: 'number: 2a' is not a part's number. "
                      "Write the number the report prints for this part, digits with dots between them")


def test_a_part_number_given_twice(small_report, published):
    replace_in(small_report / "parts" / "02-the-local-authority.md", "order: 2\n", "order: 2\nnumber: 1\n")
    replace_in(small_report / "parts" / "03-findings.md", "order: 3\n", "order: 3\nnumber: 1\n")
    assert_fails_with(small_report, published, "03-findings.md:4: the number 1 is also given to ",
                      "02-the-local-authority.md. Give each part the number the report prints for it.")


def test_a_part_numbered_under_a_part_that_is_not_there(small_report, published):
    replace_in(small_report / "parts" / "03-findings.md", "order: 3\n", "order: 3\nnumber: 2.1\n")
    assert_fails_with(small_report, published, "03-findings.md:4: this part is numbered 2.1, but no part before it "
                      "is numbered 2. Number the part it belongs to 'number: 2'")
