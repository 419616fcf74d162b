"""An organisation's look is content: its logo (an SVG file, with its text alternative), its name and its
brand colour, from report.yaml. The logo is checked before it is published; the colour is refused when a
link in it would have less than 7:1 contrast on a background it sits on, in the light or the dark scheme.
`--static DIR` lays other static files over static/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reportsite.build import Sources, build_files, check
from reportsite.errors import BuildError
from reportsite.colours import BACKGROUNDS, DARK, LIGHT, contrast_ratio, readable_variant, shortfall
from reportsite.logo import SITE_PATH
from tests.conftest import ROOT, run_build
from tests.sitetext import parse_html
from tests.test_content_errors import assert_fails_with, replace_in

LOOK = Path(__file__).parent / "fixtures" / "organisation-look"


@pytest.fixture
def look_report(tmp_path) -> Path:
    """A copy of the report with a logo and a brand colour, free to be broken by the test."""
    content = tmp_path / "content"
    shutil.copytree(LOOK, content)
    return content


@pytest.fixture
def published(look_report, tmp_path) -> Path:
    out = tmp_path / "site"
    result = run_build("--content", str(look_report), "--out", str(out), "--formats", "html")
    assert result.returncode == 0, result.stderr
    return out


def problems_of(content: Path) -> list[str]:
    """Each problem `check` finds in `content`, as build.py prints it."""
    with pytest.raises(BuildError) as raised:
        check(Sources(content=content))
    return [str(problem) for problem in raised.value.problems]


# -- colour contrast -------------------------------------------------------------------------------------

def test_contrast_is_measured_as_wcag_does():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest grey that passes AA on white
    assert contrast_ratio("#1a4480", "#f3f2f1") == contrast_ratio("#f3f2f1", "#1a4480")


def test_the_backgrounds_measured_against_are_the_stylesheets_own():
    css = (ROOT / "static" / "css" / "base.css").read_text(encoding="utf-8")
    light, dark = css.split("@media (prefers-color-scheme: dark)", 1)
    for scheme, text in ((LIGHT, light), (DARK, dark.split("}", 1)[0])):
        declared = dict(re.findall(r"--rs-colour-(background|panel):\s*(#[0-9a-f]{6})", text))
        assert [colour for _, colour in BACKGROUNDS[scheme]] == [declared["background"], declared["panel"]]


@pytest.mark.parametrize("colour", ["#ffdd00", "#88aaff", "#5a2d82", "#000000", "#ffffff", "#d4351c"])
@pytest.mark.parametrize("scheme", [LIGHT, DARK])
def test_a_readable_variant_reaches_7_to_1_on_every_background_of_its_scheme(colour, scheme):
    variant = readable_variant(colour, scheme)
    assert shortfall(variant, scheme) is None
    assert min(contrast_ratio(variant, background) for _, background in BACKGROUNDS[scheme]) >= 7
    if shortfall(colour, scheme) is None:
        assert variant == colour, "a readable colour is left as it is"


# -- a report with a logo and a brand colour ---------------------------------------------------------------

@pytest.fixture(scope="module")
def look_files() -> dict[str, bytes]:
    return build_files(Sources(content=LOOK), formats=("html",)).files


def test_the_logo_is_published_as_it_is_and_shown_on_every_page_with_its_text_alternative(look_files):
    assert look_files[SITE_PATH] == (LOOK / "logo.svg").read_bytes()
    pages = {path: parse_html(data.decode("utf-8")) for path, data in look_files.items() if path.endswith(".html")}
    assert len(pages) >= 5
    for path, page in pages.items():
        logos = page.find_all("img", cls="rs-organisation__logo")
        assert [(logo.attrs["src"], logo.attrs["alt"]) for logo in logos] == [("static/organisation/logo.svg", "Fellgate")], path
        header = page.find_all("header")[0].text()
        assert "Fellgate Borough Council" in header, "the name is beside a logo whose text alternative is not the name"


def test_the_name_is_not_written_again_when_the_logos_text_alternative_is_the_name(look_report):
    replace_in(look_report / "report.yaml", "logo_alt: Fellgate\n", "logo_alt: Fellgate Borough Council\n")
    page = build_files(Sources(content=look_report), formats=("html",)).files["index.html"].decode("utf-8")
    header = page[page.index("<header"):page.index("</header>")]
    assert header.count("Fellgate Borough Council") == 1
    assert 'alt="Fellgate Borough Council"' in header


def test_the_brand_colour_is_given_to_links_and_the_header_band_in_each_scheme(look_files):
    page = look_files["index.html"].decode("utf-8")
    style = page[page.index("<style>"):page.index("</style>")]
    light, dark = style.split("@media (prefers-color-scheme: dark)")
    assert "--rs-colour-link: #5a2d82;" in light and "--rs-colour-brand: #5a2d82;" in light
    dark_colour = readable_variant("#5a2d82", DARK)
    assert f"--rs-colour-link: {dark_colour};" in dark and f"--rs-colour-brand: {dark_colour};" in dark
    assert page.index('href="static/css/site.css"') < page.index("<style>"), "the brand colour overrides the stylesheet"
    assert '<link rel="stylesheet" href="static/css/organisation.css">' in page and "static/css/organisation.css" in look_files
    assert b"var(--rs-colour-brand, var(--rs-colour-border))" in look_files["static/css/site.css"]


def test_a_report_without_a_look_has_no_logo_and_no_colours_of_its_own():
    files = build_files(Sources(content=ROOT / "tests" / "fixtures" / "small-report"), formats=("html",)).files
    page = files["index.html"].decode("utf-8")
    assert "<style>" not in page and "rs-organisation" not in page and SITE_PATH not in files
    assert "organisation.css" not in page, "the logo's stylesheet is loaded only by pages that show a logo"


def test_the_look_is_built_the_same_every_time(look_files):
    assert build_files(Sources(content=LOOK), formats=("html",)).files == look_files


def test_a_dark_scheme_colour_that_is_given_is_used(look_report):
    replace_in(look_report / "report.yaml", '  brand_colour: "#5a2d82"\n', '  brand_colour: "#5a2d82"\n  brand_colour_dark: "#e0d0f0"\n')
    page = build_files(Sources(content=look_report), formats=("html",)).files["index.html"].decode("utf-8")
    assert "--rs-colour-link: #e0d0f0;" in page


# -- what is refused ---------------------------------------------------------------------------------------

def test_a_brand_colour_too_light_for_text_is_refused_with_the_contrast_it_got_and_needs(look_report, published):
    replace_in(look_report / "report.yaml", '"#5a2d82"', '"#88AAFF"')
    got = contrast_ratio("#88aaff", "#f3f2f1")  # the background of least contrast
    variant = readable_variant("#88aaff", LIGHT)
    assert got < 7 and shortfall(variant, LIGHT) is None
    assert_fails_with(look_report, published,
                      f"report.yaml:7: the brand colour #88aaff has a contrast of {int(got * 100) / 100:.2f}:1 with the header's "
                      "and footer's background (#f3f2f1) in the light scheme, and text needs at least 7:1. "
                      f"Choose a darker colour, such as {variant}, for 'brand_colour:'.")


def test_a_dark_scheme_colour_too_dark_is_refused(look_report, published):
    replace_in(look_report / "report.yaml", '  brand_colour: "#5a2d82"\n', '  brand_colour: "#5a2d82"\n  brand_colour_dark: "#5a2d82"\n')
    got = contrast_ratio("#5a2d82", "#1e1e1e")
    assert_fails_with(look_report, published,
                      f"report.yaml:8: the brand colour #5a2d82 has a contrast of {int(got * 100) / 100:.2f}:1 with the header's "
                      "and footer's background (#1e1e1e) in the dark scheme, and text needs at least 7:1. Choose a lighter colour")


def test_a_colour_not_written_as_rrggbb_is_refused(look_report, published):
    replace_in(look_report / "report.yaml", '"#5a2d82"', "purple")
    assert_fails_with(look_report, published, "report.yaml:7: 'purple' is not a colour written as #rrggbb.")


def test_a_logo_without_its_text_alternative_is_refused(look_report, published):
    replace_in(look_report / "report.yaml", "  logo_alt: Fellgate\n", "")
    assert_fails_with(look_report, published, "report.yaml:5: the logo has no text alternative. Add 'logo_alt:'")


@pytest.mark.parametrize("name, expected", [
    ("../outside.svg", "report.yaml:5: the logo '../outside.svg' is outside the content folder."),
    ("/etc/hostname", "report.yaml:5: the logo '/etc/hostname' is outside the content folder."),
    ("logo.png", "report.yaml:5: the logo 'logo.png' is not an SVG file."),
    ("missing.svg", "report.yaml:5: the logo 'missing.svg' does not exist in the content folder."),
])
def test_a_logo_that_is_not_an_svg_file_in_the_content_folder_is_refused(look_report, name, expected):
    (look_report.parent / "outside.svg").write_bytes((LOOK / "logo.svg").read_bytes())
    replace_in(look_report / "report.yaml", "logo: logo.svg", f"logo: {name}")
    assert [problem for problem in problems_of(look_report) if expected in problem] != []


def test_a_logo_linked_from_outside_the_content_folder_is_refused(look_report, published):
    (look_report.parent / "outside.svg").write_bytes((LOOK / "logo.svg").read_bytes())
    (look_report / "logo.svg").unlink()
    (look_report / "logo.svg").symlink_to(look_report.parent / "outside.svg")
    assert_fails_with(look_report, published, "report.yaml:5: the logo 'logo.svg' is outside the content folder.")


@pytest.mark.parametrize("inside, expected", [
    ("<script>alert(1)</script>", "logo.svg:3: this logo holds a script (<script>), which cannot be published."),
    ('<rect onclick="steal()" width="1" height="1"/>', "logo.svg:3: this logo holds an event attribute (onclick)"),
    ("<foreignObject><p>Hi</p></foreignObject>", "logo.svg:3: this logo holds HTML inside the picture (<foreignObject>)"),
    ('<image href="https://tracker.example/pixel.png"/>', 'logo.svg:3: this logo refers to something outside it (href="https://tracker.example/pixel.png")'),
    ('<use xlink:href="other.svg#shape"/>', 'logo.svg:3: this logo refers to something outside it (href="other.svg#shape")'),
    ('<rect style="fill: url(https://x.example/a.svg#g)"/>', "logo.svg:3: this logo's style refers to something outside it"),
    ("<style>@import url(https://x.example/a.css);</style>", "logo.svg:3: this logo's style refers to something outside it"),
    ("<rect", "logo.svg:4: this logo is not well-formed SVG"),
])
def test_a_logo_that_would_run_or_fetch_something_is_refused_at_its_line(look_report, inside, expected):
    (look_report / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
                                          f'<rect width="4" height="4"/>\n{inside}\n</svg>\n', encoding="utf-8")
    problems = problems_of(look_report)
    assert len(problems) == 1 and expected in problems[0], problems


def test_a_logo_with_a_doctype_or_that_is_not_svg_or_too_large_is_refused(look_report, published):
    logo = look_report / "logo.svg"
    logo.write_text('<!DOCTYPE svg [<!ENTITY a "aaaa">]>\n<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>\n', encoding="utf-8")
    assert [problem for problem in problems_of(look_report) if "logo.svg:1: this logo has a DOCTYPE" in problem] != []
    logo.write_text("<html><body>Not a picture</body></html>\n", encoding="utf-8")
    assert [problem for problem in problems_of(look_report) if "logo.svg:1: this file is not an SVG picture" in problem] != []
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg">' + "<!-- padding -->" * 7000 + "</svg>", encoding="utf-8")
    assert_fails_with(look_report, published, "logo.svg:1: this logo is 109 KB, more than the 100 KB a logo may be.")


# -- --static DIR ------------------------------------------------------------------------------------------

def test_static_files_of_the_same_path_are_replaced_and_others_added(tmp_path):
    overrides = tmp_path / "look"
    (overrides / "css").mkdir(parents=True)
    (overrides / "css" / "base.css").write_text(":root { --rs-colour-text: #101010; } /* ours */\n", encoding="utf-8")
    (overrides / "images").mkdir()
    (overrides / "images" / "mark.svg").write_bytes((LOOK / "logo.svg").read_bytes())
    out = tmp_path / "site"
    result = run_build("--content", str(LOOK), "--out", str(out), "--formats", "html", "--static", str(overrides))
    assert result.returncode == 0, result.stderr
    site_css = (out / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert site_css.startswith(":root { --rs-colour-text: #101010; }\n"), "base.css is the one given, without its comments"
    assert "--rs-colour-panel:" not in site_css, "static/'s own base.css is not bundled as well"
    assert ".rs-width-container" in site_css, "layout.css and components.css are static/'s own"
    assert (out / "static" / "images" / "mark.svg").read_bytes() == (LOOK / "logo.svg").read_bytes()
    assert (out / "static" / "js" / "search.js").read_bytes() == (ROOT / "static" / "js" / "search.js").read_bytes()


def test_a_static_folder_that_does_not_exist_or_leads_outside_itself_is_refused(tmp_path, look_report, published):
    missing = tmp_path / "missing"
    result = run_build("--content", str(look_report), "--out", str(published), "--static", str(missing))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{missing}:1: the folder given to --static does not exist." in result.stderr
    overrides = tmp_path / "look"
    overrides.mkdir()
    (overrides / "secret.txt").symlink_to(look_report / "report.yaml")
    result = run_build("--content", str(look_report), "--out", str(published), "--static", str(overrides))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "secret.txt:1: this is not an ordinary file inside the folder given to --static, so it cannot be published." in result.stderr
    assert not (published / "static" / "secret.txt").exists()


def test_serve_watches_the_static_folder_given(tmp_path):
    from reportsite.serve import ReportServer
    overrides = tmp_path / "look"
    overrides.mkdir()
    server = ReportServer(Sources(content=LOOK, static_overrides=overrides), tmp_path / "site")
    assert overrides in server._sources()
    assert ROOT / "static" in server._sources(), "static/ itself is still watched"


def test_a_build_on_several_cores_publishes_the_same_look(look_files):
    assert build_files(Sources(content=LOOK), formats=("html",), workers=2).files == look_files
