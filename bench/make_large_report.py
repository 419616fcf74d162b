#!/usr/bin/env python3
"""Write a large report in the same content format as content/, for benchmarks.

  python bench/make_large_report.py --paragraphs 25000 --out /tmp/large-report

The report's own files besides its parts are copied; the parts are generated: an
executive summary and the local authority as in the real report, then recommendations
citing paragraphs across every part, then parts of about 100 numbered
paragraphs each (the first ones carrying the slugs the front page's judgements name). Each
paragraph's text is a real paragraph of the report, taken in turn, so the
Markdown has the report's own length and texture; about one paragraph in ten
cites a paragraph in another part, as inspection reports do.
The output depends only on the arguments: the same report every time.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
PARAGRAPHS_PER_PART = 100
COPIED_FILES = ("report.yaml", "front-page.md", "about.md", "abbreviations.yaml")
JUDGEMENT = "```notice\nlabel: 'Judgement:'\ntext: '**Requires improvement**'\n```\n\n"


def judged_parts() -> tuple[tuple[str, str], ...]:
    """(slug, title) of the parts the front page's judgements name, in the order it has them."""
    front = (CONTENT / "front-page.md").read_text(encoding="utf-8")
    slugs = list(dict.fromkeys(re.findall(r"^\s*part: (\S+)$", front, flags=re.M)))
    titles = {}
    for path in sorted((CONTENT / "parts").glob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        titles[meta.get("slug") or re.sub(r"^\d+[-_ ]*", "", path.stem)] = meta["title"]
    return tuple((slug, titles[slug]) for slug in slugs)


JUDGED_PARTS = judged_parts()
NUMBERED = re.compile(r"^(\d+)\. (.*)$")
CITATION = re.compile(r"\s*\(paragraphs?\s[^)]*\)")
FOOTNOTE = re.compile(r"\[\^[^\]]+\]")


def real_paragraphs(content_dir: Path) -> list[str]:
    """The text of every numbered paragraph of the real report, without its citations or footnotes."""
    texts = []
    for path in sorted((content_dir / "parts").glob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = NUMBERED.match(line)
            if match:
                texts.append(FOOTNOTE.sub("", CITATION.sub("", match.group(2))).strip())
    return texts


def front_matter(**fields) -> str:
    lines = ["---"]
    for name, value in fields.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        lines.append(f"{name}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def plan_parts(paragraphs: int) -> tuple[int, list[tuple[int, int]]]:
    """(number of recommendations, [(first, last) paragraph of each body part])."""
    recommendations = max(1, min(PARAGRAPHS_PER_PART, paragraphs // 100))
    body = paragraphs - recommendations
    ranges = []
    first = recommendations + 1
    while body > 0:
        size = min(PARAGRAPHS_PER_PART, body)
        ranges.append((first, first + size - 1))
        first += size
        body -= size
    return recommendations, ranges


def citation(numbers: list[int]) -> str:
    numbers = sorted(set(numbers))
    noun = "paragraph" if len(numbers) == 1 else "paragraphs"
    return f"({noun} {', '.join(str(n) for n in numbers)})"


def make_report(paragraphs: int, out_dir: Path, content_dir: Path = CONTENT, seed: int = 2015) -> None:
    """Write a report of `paragraphs` numbered paragraphs into `out_dir` (replacing it)."""
    if paragraphs < 2:
        raise ValueError("a report needs at least 2 paragraphs")
    pool = real_paragraphs(content_dir)
    rng = random.Random(seed)
    recommendations, ranges = plan_parts(paragraphs)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    parts_dir = out_dir / "parts"
    parts_dir.mkdir(parents=True)
    for name in COPIED_FILES:
        shutil.copyfile(content_dir / name, out_dir / name)

    files: list[tuple[str, str]] = []
    summary = (content_dir / "parts" / "01-executive-summary.md").read_text(encoding="utf-8")
    files.append(("executive-summary", summary.split("---\n", 2)[2]))
    area = (content_dir / "parts" / "02-the-local-authority.md").read_text(encoding="utf-8")
    files.append(("the-local-authority", area.split("---\n", 2)[2]))

    def part_of(number: int) -> int:
        return (number - recommendations - 1) // PARAGRAPHS_PER_PART

    lines = []
    for number in range(1, recommendations + 1):
        cited = [rng.randint(recommendations + 1, paragraphs) for _ in range(rng.randint(2, 6))]
        lines.append(f"{number}. {pool[(number - 1) % len(pool)]} {citation(cited)}.\n")
    files.append(("recommendations", "\n".join(lines)))

    next_text = 0
    for index, (first, last) in enumerate(ranges):
        lines = []
        for number in range(first, last + 1):
            if (number - first) % 25 == 0:
                lines.append(f"## Findings {(number - first) // 25 + 1}\n")
            text = pool[next_text % len(pool)]
            next_text += 1
            if number % 10 == 0 and len(ranges) > 1:
                other = rng.randrange(len(ranges) - 1)
                other += other >= index
                target = rng.randint(*ranges[other])
                text = f"{text} {citation([target])}."
            lines.append(f"{number}. {text}\n")
        files.append((f"part-{index + 1}", "\n".join(lines)))

    order = 0
    for slug, body in files:
        order += 1
        index = int(slug.split("-")[1]) - 1 if slug.startswith("part-") else None
        fields: dict = {"order": order}
        if slug == "executive-summary":
            fields |= {"title": "Executive summary", "slug": slug}
        elif slug == "the-local-authority":
            fields |= {"title": "The local authority", "slug": slug}
        elif slug == "recommendations":
            fields |= {"title": "Recommendations", "slug": slug, "recommendations": True}
        elif index is not None and index < len(JUDGED_PARTS):
            judged_slug, title = JUDGED_PARTS[index]
            fields |= {"title": title, "slug": judged_slug}
            body = JUDGEMENT + body
        else:
            volume, chapter = divmod(index, 20)
            first, last = ranges[index]
            fields |= {"title": f"Volume {volume + 1}, chapter {chapter + 1} (paragraphs {first} to {last})",
                       "slug": f"volume-{volume + 1}-chapter-{chapter + 1}"}
        name = f"{order:04d}-{fields['slug']}.md"
        (parts_dir / name).write_text(front_matter(**dict(sorted(fields.items(), key=lambda kv: kv[0] != "title"))) + body,
                                      encoding="utf-8")
    # The judgements must name parts that exist, even in a report too small to have them all.
    missing = [slug for slug, _ in JUDGED_PARTS[len(ranges):]]
    if missing:
        for slug in missing:
            order += 1
            (parts_dir / f"{order:04d}-{slug}.md").write_text(
                front_matter(title=slug.replace("-", " ").capitalize(), order=order, slug=slug) + "Text.\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paragraphs", type=int, required=True, help="how many numbered paragraphs")
    parser.add_argument("--out", type=Path, required=True, help="the content folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=2015, help="seed for the citations (default: %(default)s)")
    arguments = parser.parse_args(argv)
    make_report(arguments.paragraphs, arguments.out, seed=arguments.seed)
    size = sum(path.stat().st_size for path in arguments.out.rglob("*") if path.is_file())
    print(f"Wrote a report of {arguments.paragraphs} paragraphs ({size / 1e6:.1f} MB) into {arguments.out}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
