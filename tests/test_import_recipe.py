"""content/ is the import of the source text with the editors' recipe (content/import.yaml); importing
again with --update keeps the editors' work, and refuses, writing nothing, what would lose it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from build import main
from tests.seedtext import SEED

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
EDITORS_FILES = ["abbreviations.yaml", "about.md", "front-page.md", "import.yaml", "key-figures.yaml", "report.yaml"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def content(tmp_path) -> Path:
    """A copy of content/, to import into."""
    return Path(shutil.copytree(CONTENT, tmp_path / "content"))


def update(source: Path, folder: Path) -> int:
    return main(["import", str(source), "--content", str(folder), "--update"])


def test_the_source_text_with_the_recipe_imports_to_the_parts_of_content_byte_for_byte(tmp_path):
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copy(CONTENT / "import.yaml", fresh)
    assert main(["import", str(SEED), "--content", str(fresh)]) == 0
    made = snapshot(fresh)
    parts = {name: data for name, data in snapshot(CONTENT).items() if name.startswith("parts/")}
    assert {name: data for name, data in made.items() if name.startswith("parts/")} == parts
    said, committed = (yaml.safe_load(folder.joinpath("import-report.yaml").read_text()) for folder in (fresh, CONTENT))
    assert said["left_out"] == committed["left_out"] and said["changes"] == committed["changes"]
    assert yaml.safe_load(made["report.yaml"]) == {"title": yaml.safe_load((CONTENT / "report.yaml").read_text())["title"]}


def test_importing_the_source_again_into_content_changes_no_file(content, capsys):
    before = snapshot(content)
    assert update(SEED, content) == 0
    assert snapshot(content) == before
    assert capsys.readouterr().out.endswith(f"{content / 'report.yaml'}: left as the editors wrote it.\n")


def test_every_word_of_the_source_is_in_content_or_its_import_report(capsys):
    assert main(["import", str(SEED), "--content", str(CONTENT), "--verify"]) == 0
    assert capsys.readouterr().out == f"Every word of {SEED.name} is in {CONTENT} or in its import-report.yaml.\n"


def test_a_corrected_source_updates_the_parts_and_leaves_the_editors_files_alone(content, tmp_path):
    corrected = tmp_path / SEED.name
    text = SEED.read_text(encoding="utf-8")
    corrected.write_text(text.replace("12. Integrated early help services sit in locality teams",
                                      "12. Integrated early help services now sit in locality teams"), encoding="utf-8")
    before = snapshot(content)
    assert update(corrected, content) == 0
    after = snapshot(content)
    assert "12. Integrated early help services now sit in locality teams" in after["parts/05-help-and-protection.md"].decode()
    assert {name for name in after if after[name] != before.get(name)} == {"parts/05-help-and-protection.md",
                                                                          "import-report.yaml"}
    assert all(after[name] == before[name] for name in EDITORS_FILES)
    assert main(["import", str(corrected), "--content", str(content), "--verify"]) == 0


def test_a_paragraph_an_editor_changed_stops_the_update_and_nothing_is_written(content, capsys):
    part = content / "parts" / "05-help-and-protection.md"
    part.write_text(part.read_text().replace("sit in locality teams", "sit in four locality teams"))
    before = snapshot(content)
    assert update(SEED, content) == 1
    line = next(n for n, text in enumerate(part.read_text().split("\n"), start=1) if "four locality" in text)
    assert capsys.readouterr().err.split("\n")[1:3] == [
        f"{part}:{line}: changed since it was imported, and importing again would replace it. Put the change in "
        "content/import.yaml (see docs/importing.md), or undo it, and update again.",
        "1 file(s) changed by hand would be lost; nothing was written."]
    assert snapshot(content) == before


def test_a_part_the_import_no_longer_makes_is_removed_and_the_editors_own_files_kept(content, capsys):
    recipe = (content / "import.yaml").read_text()
    (content / "import.yaml").write_text(recipe.replace(
        "  - heading: Summary for children and young people\n",
        "  - heading: Summary for children and young people\n    set_aside: shown on a page of its own\n"))
    (content / "notes-for-editors.txt").write_text("Our own notes, not the import's.\n")
    assert update(SEED, content) == 0
    assert f"{content / 'parts' / '04-summary-for-children-and-young-people.md'}: removed: the import no longer makes it, " \
           "and nobody had changed it." in capsys.readouterr().out
    names = sorted(p.name for p in (content / "parts").iterdir())
    assert "04-summary-for-children-and-young-people.md" not in names and "04-help-and-protection.md" in names
    assert (content / "notes-for-editors.txt").read_text() == "Our own notes, not the import's.\n"
    left_out = yaml.safe_load((content / "import-report.yaml").read_text())["left_out"]
    assert sum(item["why"] == "shown on a page of its own" for item in left_out) == 11  # the heading and ten points


def test_an_update_of_a_folder_no_import_wrote_is_refused(tmp_path, capsys):
    folder = tmp_path / "mine"
    (folder / "parts").mkdir(parents=True)
    (folder / "report.yaml").write_text("title: Mine\n")
    assert update(SEED, folder) == 1
    assert capsys.readouterr().err == (f"{folder}: there is no import-report.yaml, so the import cannot tell its own "
                                       "files from the editors'. Import into a new folder instead; nothing was written.\n")
    assert snapshot(folder) == {"report.yaml": b"title: Mine\n"}


RECIPE_ERRORS = {
    "a heading the source does not have": (
        "parts:\n  - heading: Conclusions\n",
        "import.yaml:2: no part of the source is headed 'Conclusions'. Write the heading as printed, parts in the "
        "source's order (import-report.yaml and parts/ show the headings found)."),
    "a paragraph the part does not have": (
        "parts:\n  - heading: Recommendations\n    changes:\n      - text: Improve the food\n        level: 3\n",
        "import.yaml:4: the part 'Recommendations' has no paragraph that starts 'Improve the food'. Write its first "
        "words as printed, in the part it is in."),
    "a replacement that leaves out a word": (
        "parts:\n  - heading: Executive summary\n    changes:\n      - text: Services for disabled children\n"
        "        replace: Services for children in Brent are effective.\n",
        "import.yaml:4: what replaces the passage leaves out or reorders its words from 'disabled children in brent are "
        "effective good integration'. The report's words must all be there, in order."),
    "a field the import does not know": (
        "parts:\n  - heading: Executive summary\n    colour: red\n",
        "import.yaml:3: 'colour' is not a field the import knows. Write one of: changes, front, heading, join, set_aside, "
        "starts_at, title."),
    "a slug that cannot be a web address": (
        "parts:\n  - heading: Executive summary\n    front:\n      order: 1\n      slug: ../../elsewhere\n",
        "import.yaml:5: the slug '../../elsewhere' cannot be a web address. Write lower-case letters, digits and hyphens, "
        "e.g. 'care-leavers'."),
    "a join that is not true or false": (
        "parts:\n  - heading: Executive summary\n  - heading: The local authority\n    join: previous\n",
        "import.yaml:4: 'join:' is true or false. Write 'join: true' to join the part to the one before it."),
    "YAML that does not parse": (
        "parts:\n  - heading: [Executive summary\n",
        None),
}


@pytest.mark.parametrize("case", RECIPE_ERRORS)
def test_a_recipe_the_import_cannot_follow_is_one_line_naming_its_line_and_nothing_is_written(case, tmp_path, capsys):
    recipe, message = RECIPE_ERRORS[case]
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "import.yaml").write_text(recipe)
    assert main(["import", str(SEED), "--content", str(folder)]) == 1
    err = capsys.readouterr().err.removeprefix("Finding the report's structure\n")
    assert err.count("\n") == 1 and "Traceback" not in err
    if message:
        assert err == message + "\n"
    else:
        assert err.startswith("import.yaml:3: this YAML does not parse")
    assert [p.name for p in folder.iterdir()] == ["import.yaml"]
