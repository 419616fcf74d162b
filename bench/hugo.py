#!/usr/bin/env python3
"""Hugo's copy of a report, so that Hugo can be timed on the same text as this project.

  python bench/hugo.py --content content --out /tmp/hugo-report     # then: hugo --source /tmp/hugo-report

Writes a small Hugo site from a content folder: one content file per part, with the same
words; each numbered paragraph keeps its number as a link to itself and gets the anchor
`#paragraph-N` (a Goldmark block attribute, so Hugo's own parser gives the id); each cited
number is a Markdown link to the paragraph on the page that holds it; the home page lists
the parts; the section's list page shows every part in full (as the large print edition does);
every page has the contents (every part) and links to the previous and next part.
What it leaves out is said in bench/README.md. The output depends only on the content folder.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import yaml

NUMBERED = re.compile(r"^(\d+)\. ")
# As reportsite/plugins/citations.py reads a citation today: "(paragraphs 18, 19 and 23)".
CITATION = re.compile(r"\(paragraphs?\s+\d+(?:\s*(?:,|and|&|to|–|-)\s*\d+)*\s*\)")
NUMBER = re.compile(r"\d+")

CONFIG = """\
baseURL = "http://127.0.0.1/"
languageCode = "en-GB"
title = "{title}"
uglyURLs = true
relativeURLs = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
enableGitInfo = false

[markup.goldmark.parser.attribute]
block = true
[markup.goldmark.parser]
autoHeadingID = true
"""

BASEOF = """\
<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} - {{ site.Title }}</title>
</head>
<body>
<a href="#main-content" class="skip-link">Skip to main content</a>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<nav aria-label="Contents"><ol>
{{- range (where site.RegularPages "Section" "report").ByWeight }}
<li><a href="{{ .RelPermalink }}"{{ if eq .RelPermalink $.RelPermalink }} aria-current="page"{{ end }}>{{ .Title }}</a></li>
{{- end }}
</ol></nav>
<main id="main-content">
{{ block "main" . }}{{ end }}
</main>
<footer><a href="{{ (site.GetPage "/report").RelPermalink }}">The whole report on one page</a></footer>
</body>
</html>
"""

SINGLE = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Params.judgement }}<p class="judgement">Judgement: <strong>{{ . }}</strong></p>{{ end }}
{{ .Content }}
<nav aria-label="Pagination"><ul>
{{ with .NextInSection }}<li><a rel="prev" href="{{ .RelPermalink }}">Previous: {{ .Title }}</a></li>{{ end }}
{{ with .PrevInSection }}<li><a rel="next" href="{{ .RelPermalink }}">Next: {{ .Title }}</a></li>{{ end }}
</ul></nav>
{{ end }}
"""

LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ range .Pages.ByWeight }}
<section id="part-{{ .Slug }}">
<h2>{{ .Title }}</h2>
{{ .Content }}
</section>
{{ end }}
{{ end }}
"""

HOME = """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
<ol>
{{ range (where site.RegularPages "Section" "report").ByWeight }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.judgement }}: {{ . }}{{ end }}</li>
{{ end }}
</ol>
{{ end }}
"""


def read_parts(content_dir: Path) -> list[tuple[dict, str]]:
    """(front matter, body) of every part, in the report's order."""
    parts = []
    for path in sorted((content_dir / "parts").glob("*.md")):
        _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(head) or {}
        meta["slug"] = part_slug(path)
        meta.setdefault("order", len(parts) + 1)
        parts.append((meta, body))
    return sorted(parts, key=lambda part: part[0]["order"])


def link_citations(line: str, slug: str, page_of: dict[int, str]) -> str:
    """Each number of each citation in `line` as a link to that paragraph; the words unchanged."""
    def link(number: re.Match) -> str:
        target = int(number.group())
        if target not in page_of:
            return number.group()
        page = "" if page_of[target] == slug else f"{page_of[target]}.html"
        return f"[{target}]({page}#paragraph-{target})"

    return CITATION.sub(lambda citation: NUMBER.sub(link, citation.group()), line)


def hugo_markdown(body: str, slug: str, page_of: dict[int, str]) -> str:
    """A part's Markdown for Hugo: numbered paragraphs as anchored paragraphs, citations as links."""
    out: list[str] = []
    anchor = None  # the attribute line owed to the numbered paragraph being copied
    for line in body.split("\n"):
        if not line.strip() and anchor:
            out.append(anchor)
            anchor = None
        numbered = NUMBERED.match(line)
        if numbered:
            number = int(numbered.group(1))
            line = f"[{number}.](#paragraph-{number}) {line[numbered.end():]}"
            anchor = f"{{#paragraph-{number} .paragraph}}"
        out.append(link_citations(line, slug, page_of) if "(paragraph" in line else line)
    if anchor:
        out.append(anchor)
    return "\n".join(out)


def part_slug(path: Path) -> str:
    """The slug of the part in the Markdown file `path`, as the build reads it."""
    meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1]) or {}
    return meta.get("slug") or re.sub(r"^\d+[-_ ]*", "", path.stem)


def make_hugo_site(content_dir: Path, out_dir: Path) -> dict[str, Path]:
    """Write Hugo's copy of the report in `content_dir` into `out_dir` (replacing it); returns each part's file by slug."""
    content_dir, out_dir = Path(content_dir), Path(out_dir)
    parts = read_parts(content_dir)
    page_of = {int(match.group(1)): meta["slug"]
               for meta, body in parts for match in re.finditer(r"^(\d+)\. ", body, flags=re.M)}
    report = yaml.safe_load((content_dir / "report.yaml").read_text(encoding="utf-8")) or {}
    title = str(report.get("title", "Report")).replace('"', "'")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    for name, text in (("config.toml", CONFIG.format(title=title)), ("layouts/_default/baseof.html", BASEOF),
                       ("layouts/_default/single.html", SINGLE), ("layouts/_default/list.html", LIST),
                       ("layouts/index.html", HOME), ("content/_index.md", "---\ntitle: Home\n---\n"),
                       ("content/report/_index.md", "---\ntitle: The whole report\nurl: /report/\n---\n")):
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    files = {}
    for meta, body in parts:
        slug = meta["slug"]
        front = {"title": str(meta["title"]), "weight": int(meta["order"]), "slug": slug}
        if meta.get("judgement"):
            front["judgement"] = str(meta["judgement"])
        text = "---\n" + yaml.safe_dump(front, sort_keys=True, allow_unicode=True) + "---\n" + hugo_markdown(body, slug, page_of)
        files[slug] = out_dir / "content" / "report" / f"{int(meta['order']):04d}-{slug}.md"
        files[slug].write_text(text, encoding="utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--content", type=Path, required=True, help="the report's content folder")
    parser.add_argument("--out", type=Path, required=True, help="the Hugo site folder to write (replaced)")
    arguments = parser.parse_args(argv)
    make_hugo_site(arguments.content, arguments.out)
    print(f"Wrote Hugo's copy of {arguments.content} into {arguments.out}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
