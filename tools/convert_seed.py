#!/usr/bin/env python3
"""Convert the seed text of Brent's 2015 Ofsted report into site content.

It writes the content in the format it was first written in (report.yaml with the front page and
closing notes as fields, committee.yaml, area.yaml), from which content/ was moved, words unchanged,
into the format of docs/content-format.md; it is kept as the record of how each line was placed.

    python tools/convert_seed.py            # write content/ from the seed, then verify
    python tools/convert_seed.py --verify   # only verify the existing content/

SOURCE: tests/fixtures/ofsted-brent-2015.txt, a copy of the seed (override with --seed PATH).

The report's licence forbids altering its text.  Every string written here is
copied from the seed programmatically; the script only decides *where* each
seed line goes (the hand-written line-number maps below).  The only changes
made to the text are the permitted ones:

  (a) paragraphs cut by a page break (text, blank line, lowercase
      continuation) are joined with a single space;
  (b) footnote markers ¹ ² ³ become [^1] [^2] [^3];
  (c) the print-only Contents list is dropped;
  (d) the `<p>...</p>` / `--` pair becomes a `###` heading;
  (e) Markdown escaping (`*` -> `\\*`) in Markdown bodies.

Every non-blank seed line must be claimed exactly once by the maps below,
otherwise generation stops.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
PARTS_DIR = CONTENT / "parts"
DEFAULT_SEED = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "ofsted-brent-2015.txt"

SUPERSCRIPTS = {"¹": "1", "²": "2", "³": "3"}

# Lines (1-based) that end a paragraph cut by a page break: the paragraph
# continues two lines further on (after one blank line), starting lowercase.
PAGE_BREAKS = [93, 236, 244, 252, 260, 301, 308, 322, 330, 342, 361, 407,
               415, 450, 457, 465]
# Blank-line-then-lowercase places that are NOT page breaks: the committee
# web address on its own line, and the "and" joining the two report titles.
NOT_PAGE_BREAKS = [33, 61]

CONTENTS_LINES = range(109, 124)  # "Contents" heading + list with page numbers

# ---------------------------------------------------------------------------
# seed access


class Seed:
    def __init__(self, path: Path):
        raw = path.read_bytes().decode("utf-8")
        self.lines = raw.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.used: dict[int, str] = {}
        self.cont = {n + 2: n for n in PAGE_BREAKS}  # continuation -> head
        self._check_page_breaks()

    def _check_page_breaks(self) -> None:
        found = [i for i in range(1, len(self.lines) - 1)
                 if self.raw(i + 1) == "" and self.raw(i + 2)[:1].islower()
                 and self.raw(i) != ""]
        expected = sorted(PAGE_BREAKS + NOT_PAGE_BREAKS)
        if found != expected:
            sys.exit(f"page-break candidates changed: {found} != {expected}")

    def raw(self, n: int) -> str:
        return self.lines[n - 1]

    def take(self, n: int, who: str) -> str:
        """Claim line n (and any page-break continuation); return its text."""
        if n in self.cont:
            raise ValueError(f"line {n} is a page-break continuation")
        text = self._claim(n, who)
        while n in PAGE_BREAKS:
            n += 2
            text += " " + self._claim(n, who)
        return text

    def _claim(self, n: int, who: str) -> str:
        text = self.raw(n)
        if not text:
            raise ValueError(f"line {n} is blank ({who})")
        if n in self.used:
            raise ValueError(f"line {n} claimed twice: {self.used[n]}, {who}")
        if text != text.rstrip() or (text != text.lstrip()
                                     and not text.startswith(" - ")):
            raise ValueError(f"line {n} has surrounding whitespace")
        self.used[n] = who
        return text

    def blocks(self, a: int, b: int, who: str) -> list[tuple[int, str]]:
        """All paragraphs whose first line is in a..b (inclusive)."""
        out = []
        for n in range(a, b + 1):
            if self.raw(n) == "" or n in self.cont:
                continue
            out.append((n, self.take(n, who)))
        return out

    def unclaimed(self) -> list[int]:
        return [n for n in range(1, len(self.lines) + 1)
                if self.raw(n) != "" and n not in self.used]


def footnote_refs(text: str) -> str:
    for sup, num in SUPERSCRIPTS.items():
        text = text.replace(sup, f"[^{num}]")
    return text


def strip_superscripts(text: str) -> str:
    for sup in SUPERSCRIPTS:
        text = text.replace(sup, "")
    return text


MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def md_inline(text: str) -> str:
    """Escape Markdown-active characters, then turn ¹²³ into [^n]."""
    return footnote_refs(MD_SPECIAL.sub(r"\\\1", text))


def md_block(text: str) -> str:
    """A prose paragraph: inline-escape, and make sure it cannot start a block."""
    out = md_inline(text)
    if re.match(r"(\d+[.)]|[-+#>]|=+|\s)", out):
        raise ValueError(f"prose paragraph would start a Markdown block: {out[:40]}")
    return out


def parse_date(text: str) -> dt.date:
    text = re.sub(r"^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) ",
                  "", text)
    return dt.datetime.strptime(text, "%d %B %Y").date()


def must(pattern: str, text: str) -> re.Match:
    m = re.fullmatch(pattern, text)
    if not m:
        raise ValueError(f"{pattern!r} does not match {text!r}")
    return m


# ---------------------------------------------------------------------------
# committee cover (lines 1-57)


def build_committee(s: Seed) -> dict:
    W = "committee"
    title = s.take(5, W)
    meeting = s.take(7, W)
    m = must(r"(.+) at (.+)", meeting)
    members_names = [s.take(n, W) for n in range(18, 23)]
    subs = s.take(28, W)
    contact_text = s.take(30, W)
    cm = must(r"For further information contact: (.+), (.+)", contact_text)
    tel, email = must(r"(.+), (\S+@\S+)", s.take(31, W)).groups()
    cols = s.take(41, W).split("\t")
    item = must(r"(\d+) (.+)\t(.+)", s.take(42, W))
    officer1 = s.take(49, W)
    officer2 = s.take(50, W)
    om = must(r"(Contact Officer:) ([^,]+), (.+)", officer1)
    nxt = must(r"(Date of the next meeting:) (.+)", s.take(52, W))
    heading_members = s.take(16, W)
    heading_subs = s.take(26, W)
    for h in (heading_members, heading_subs):
        must(r"Councillors:", h)
    return {
        "title": title,
        "meeting": {"date": parse_date(m.group(1)), "as_printed": meeting,
                    "time": m.group(2)},
        "venue": [s.take(9, W), s.take(10, W)],
        "membership_label": s.take(12, W),
        "members": {"label": s.take(14, W), "heading": heading_members[:-1],
                    "names": members_names},
        "substitutes": {"label": s.take(24, W), "heading": heading_subs[:-1],
                        "names_as_printed": subs,
                        "names": re.split(r", | and ", subs)},
        "contact": {"text": contact_text, "name": cm.group(1),
                    "team": cm.group(2), "telephone": tel, "email": email},
        "electronic_copies": {"text": s.take(33, W), "web": s.take(35, W)},
        "public_welcome": s.take(37, W),
        "agenda": {"title": s.take(39, W), "columns": cols,
                   "items": [{"item": item.group(1), "title": item.group(2),
                              "pages": item.group(3)}]},
        "purpose": s.take(44, W),
        "wards_affected_label": s.take(46, W),
        "wards_affected": s.take(47, W),
        "contact_officer": {"label": om.group(1), "name": om.group(2),
                            "role": f"{om.group(3)} {officer2}",
                            "as_printed": f"{om.group(2)}, {om.group(3)}\n{officer2}"},
        "next_meeting": {"label": nxt.group(1), "date": parse_date(nxt.group(2)),
                         "as_printed": nxt.group(2)},
        "notes": [must(r"- (.+)", s.take(n, W)).group(1) for n in (56, 57)],
    }


# ---------------------------------------------------------------------------
# report front page and back matter

JUDGEMENT_PARTS = {"1": "help-and-protection", "2": "children-looked-after",
                   "2.1": "adoption", "2.2": "care-leavers",
                   "3": "leadership"}


def build_report(s: Seed, committee: dict) -> dict:
    W = "report"
    authority = s.take(59, W)
    title = s.take(61, W)
    must("and", s.take(63, W))
    review = s.take(65, W)
    if not review.endswith("¹"):
        raise ValueError("title footnote marker moved")
    fn1 = must(r"¹ (.+)", s.take(79, W)).group(1)
    dates = must(r"(Inspection date:) ((.+) – (.+))", s.take(67, W))
    pub = must(r"(Report published:) (.+)", s.take(69, W))
    judgements = []
    for n in range(73, 78):
        m = must(r"(\d+(?:\.\d+)?)\.? (.+)\t(.+)", s.take(n, W))
        judgements.append({"number": m.group(1), "area": m.group(2),
                           "grade": m.group(3), "part": JUDGEMENT_PARTS[m.group(1)]})
    # LSCB judgement: stated in the LSCB part heading block (line 423)
    statement = s.raw(423)
    lm = must(r"(The Local Safeguarding Children Board) (requires improvement)",
              statement)
    team = []
    for n in range(490, 499, 2):
        role, names = must(r"([^:]+): (.+)", s.take(n, W)).groups()
        team.append({"role": role, "names": names.split(", ")})
    addr = [s.take(n, W) for n in range(510, 514)]
    tel = must(r"(T:) (.+)", s.take(514, W))
    txt = must(r"(Textphone:) (.+)", s.take(515, W))
    em = must(r"(E:) (.+)", s.take(516, W))
    web = must(r"(W:) (.+)", s.take(517, W))
    review_title = strip_superscripts(review)
    meeting = committee["meeting"]["as_printed"]
    return {
        "authority": authority,
        "title": title,
        "review_title": review_title,
        "title_footnote": "1",
        "footnotes": {"1": fn1},
        "inspection_dates": {"start": parse_date(dates.group(3)),
                             "end": parse_date(dates.group(4)),
                             "as_printed": dates.group(2),
                             "label": dates.group(1)},
        "published": {"date": parse_date(pub.group(2)), "as_printed": pub.group(2),
                      "label": pub.group(1)},
        "overall_judgement": s.take(71, W),
        "judgements": judgements,
        "lscb_judgement": {"area": lm.group(1),
                           "grade": lm.group(2)[0].upper() + lm.group(2)[1:],
                           "statement": statement, "part": "lscb"},
        "inspection_team_heading": s.take(488, W),
        "inspection_team": team,
        "complaints": s.take(500, W),
        "about_ofsted": s.take(502, W),
        "alternative_formats": s.take(504, W),
        "copyright": s.take(506, W),
        "email_alerts": s.take(508, W),
        "ofsted_address": {
            "lines": addr,
            "telephone": tel.group(2), "textphone": txt.group(2),
            "email": em.group(2), "web": web.group(2),
            "labels": {"telephone": tel.group(1), "textphone": txt.group(1),
                       "email": em.group(1), "web": web.group(1)},
        },
        "crown_copyright": s.take(518, W),
        "source": {
            "publisher": "Ofsted",
            "document": f"{authority} – {title} and {review_title}",
            "date_of_publication": pub.group(2),
            "printed_in": f"{committee['title']}, Brent Council, "
                          f"{must(r'(.+) at .+', meeting).group(1)}",
        },
    }


# ---------------------------------------------------------------------------
# area facts (lines 125-178)

AREA_GROUP_HEADINGS = [129, 135, 140, 155, 162]
AREA_FOOTNOTES = {"2": 153, "3": 178}


def build_area(s: Seed) -> dict:
    W = "area"
    part_title = s.take(125, W)
    title = md_inline(s.take(127, W))
    footnotes = {}
    for num, n in AREA_FOOTNOTES.items():
        m = must(r"(.) (.+)", s.take(n, W))
        if SUPERSCRIPTS.get(m.group(1)) != num:
            raise ValueError(f"footnote {num} marker mismatch at line {n}")
        footnotes[num] = m.group(2)
    groups = []
    bounds = AREA_GROUP_HEADINGS + [179]
    for h, nxt in zip(bounds, bounds[1:]):
        facts: list = []
        for n in range(h + 1, nxt):
            line = s.raw(n)
            if not line or n in AREA_FOOTNOTES.values():
                continue
            if line.startswith("- "):
                facts.append(md_inline(s.take(n, W)[2:]))
            elif line.startswith(" - "):
                last = facts[-1]
                if isinstance(last, str):
                    last = facts[-1] = {"text": last, "details": []}
                last["details"].append(md_inline(s.take(n, W)[3:]))
            else:
                raise ValueError(f"unexpected line {n} in area facts")
        groups.append({"heading": s.take(h, W), "facts": facts})
    return {"part_title": part_title, "title": title, "footnotes": footnotes,
            "groups": groups}


# ---------------------------------------------------------------------------
# parts
#
# body items:  ("h2", line) heading; ("h2p", line) the <p>...</p> + "--" pair;
#              ("h3", line) heading; ("paras", a, b) prose paragraphs;
#              ("numbered", a, b) numbered paragraphs; ("bullets", a, b) list.

PARTS = [
    dict(slug="executive-summary", title=81, body=[("paras", 83, 107)]),
    dict(slug="the-local-authority", title=125, shared_title=True,
         extra={"shows": "area"}, body=[]),
    dict(slug="recommendations", title=180, extra={"recommendations": True},
         body=[("numbered", 182, 193)]),
    dict(slug="summary-for-children-and-young-people", title=195,
         body=[("bullets", 197, 206)]),
    dict(slug="help-and-protection", title=208, judgement=210,
         body=[("h2", 212), ("paras", 214, 226), ("h2", 228),
               ("numbered", 230, 268)]),
    # The part on children looked after is three pages, one for each graded
    # judgement (2, 2.1 and 2.2), so that each page opens in one round trip.
    # The titles of the second and third are the judgement table's own words.
    dict(slug="children-looked-after", title=270, judgement=272,
         body=[("h2", 274), ("paras", 276, 292), ("h2", 294),
               ("numbered", 296, 335)]),
    dict(slug="adoption", title_text="Adoption performance", judgement_text="Good",
         body=[("h2p", 337), ("numbered", 340, 354)]),
    dict(slug="care-leavers", title_text="Experiences and progress of care leavers",
         judgement_text="Requires improvement",
         body=[("h2", 356), ("numbered", 358, 372)]),
    dict(slug="leadership", title=374, judgement=376,
         body=[("h2", 378), ("paras", 380, 388), ("h2", 390),
               ("numbered", 392, 419)]),
    dict(slug="lscb", title=421, statement=423,
         body=[("h2", 425), ("paras", 427, 435)]),
    dict(slug="lscb-recommendations", title=437,
         extra={"recommendations": True, "page": "recommendations",
                "heading": "The Local Safeguarding Children Board's recommendations"},
         body=[("numbered", 439, 444)]),
    dict(slug="lscb-inspection-findings", title=446,
         body=[("numbered", 448, 472)]),
    dict(slug="information-about-this-inspection", title=474,
         extra={"shows": "inspection_team"}, body=[("paras", 476, 486)]),
]

NUMBERED = re.compile(r"(\d+)\. (.+)")


def build_part(s: Seed, order: int, spec: dict) -> tuple[str, dict, str]:
    W = f"part {spec['slug']}"
    # part 02's title line is claimed by area.yaml (part_title)
    if "title_text" in spec:
        title = spec["title_text"]
    else:
        title = s.raw(spec["title"]) if spec.get("shared_title") else s.take(spec["title"], W)
    fm: dict = {"title": title, "order": order, "slug": spec["slug"]}
    if "judgement" in spec:
        fm["judgement"] = s.take(spec["judgement"], W)
    if "judgement_text" in spec:
        fm["judgement"] = spec["judgement_text"]
    if "statement" in spec:
        statement = s.take(spec["statement"], W)
        m = must(r"The Local Safeguarding Children Board (requires improvement)", statement)
        fm["judgement"] = m.group(1)[0].upper() + m.group(1)[1:]
        fm["judgement_statement"] = statement
    fm.update(spec.get("extra", {}))
    chunks: list[str] = []
    for item in spec["body"]:
        kind = item[0]
        if kind == "h2":
            chunks.append("## " + md_inline(s.take(item[1], W)))
        elif kind == "h3":
            chunks.append("### " + md_inline(s.take(item[1], W)))
        elif kind == "h2p":
            inner = must(r"<p>(.+)</p>", s.take(item[1], W)).group(1)
            must("--", s.take(item[1] + 1, W))
            chunks.append("## " + md_inline(inner))
        elif kind == "paras":
            chunks.extend(md_block(t) for _, t in s.blocks(item[1], item[2], W))
        elif kind == "numbered":
            for n, t in s.blocks(item[1], item[2], W):
                m = must(NUMBERED.pattern, t)
                chunks.append(f"{m.group(1)}. {md_inline(m.group(2))}")
        elif kind == "bullets":
            items = []
            for n, t in s.blocks(item[1], item[2], W):
                items.append("- " + md_inline(must(r"- (.+)", t).group(1)))
            chunks.append("\n".join(items))
        else:
            raise ValueError(kind)
    body = "\n\n".join(chunks)
    name = f"{order:02d}-{spec['slug']}.md"
    return name, fm, body


# ---------------------------------------------------------------------------
# abbreviations
#
# (abbreviation, expansion, given_in_report, note)
# given_in_report=True: the expansion is copied from where the report spells
# it out; --verify checks it occurs in the seed.  False: standard expansion.

ABBREVIATIONS = [
    ("ASYE", "Assessed and Supported Year in Employment", False,
     "The report glosses it as \"assessed first year of employment\"."),
    ("BFFD", "Brent Family Front Door", True, None),
    ("BFFS", "Brent Family Solutions Service", False,
     "Variant of BFSS used once in the report (paragraph 32)."),
    ("BFSS", "Brent Family Solutions Service", True, None),
    ("CAF", "Common Assessment Framework", True, None),
    ("Cafcass", "Children and Family Court Advisory and Support Service", True, None),
    ("CAMHS", "Child and Adolescent Mental Health Services", True, None),
    ("CFA", "child and family assessment", True, None),
    ("CIA", "Care in Action", True, None),
    ("CRG", "Community Reference Group", True, None),
    ("DCS", "Director of Children's Services", True, None),
    ("FGM", "female genital mutilation", True, None),
    ("GCSE", "General Certificate of Secondary Education", False, None),
    ("GUM", "genito-urinary medicine", True, None),
    ("HMI", "Her Majesty's Inspectors", True, None),
    ("IDVA", "independent domestic violence advocate", True, None),
    ("IRO", "independent reviewing officer", True, None),
    ("JSNA", "joint strategic needs assessment", True,
     "The executive summary calls it the \"Joint Strategic Needs Analysis\"."),
    ("LADO", "Local Authority Designated Officer", True, None),
    ("LSCB", "Local Safeguarding Children Board", True, None),
    ("MAPPA", "multi-agency public protection arrangements", True,
     "The report writes MAPPAs."),
    ("MARAC", "multi-agency risk assessment conference", True, None),
    ("MASE", "multi-agency sexual exploitation", True, None),
    ("NHS", "National Health Service", False, None),
    ("Ofsted", "Office for Standards in Education, Children's Services and Skills",
     True, None),
    ("PLO", "Public Law Outline", True, None),
    ("SCR", "serious case review", True, None),
    ("SDQ", "strength and difficulty questionnaire", True, None),
    ("SoS", "Signs of Safety", True, None),
]


def build_abbreviations() -> list[dict]:
    out = []
    for abbr, exp, _given, note in sorted(ABBREVIATIONS, key=lambda a: a[0].lower()):
        d = {"abbreviation": abbr, "expansion": exp}
        if note:
            d["note"] = note
        out.append(d)
    return out


# ---------------------------------------------------------------------------
# writing


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes multi-line strings as literal block scalars."""


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=10000)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not text.endswith("\n"):
        text += "\n"
    path.write_bytes(text.encode("utf-8"))


def generate(seed_path: Path) -> None:
    s = Seed(seed_path)
    for n in CONTENTS_LINES:  # (c) dropped on purpose
        if s.raw(n):
            s.used[n] = "contents (dropped)"
    committee = build_committee(s)
    report = build_report(s, committee)
    area = build_area(s)
    parts = [build_part(s, i, spec) for i, spec in enumerate(PARTS, start=1)]
    left = s.unclaimed()
    if left:
        sys.exit(f"seed lines not placed anywhere: {left}")

    write(CONTENT / "report.yaml", dump_yaml(report))
    write(CONTENT / "committee.yaml", dump_yaml(committee))
    write(CONTENT / "area.yaml", dump_yaml(area))
    write(CONTENT / "abbreviations.yaml", dump_yaml(build_abbreviations()))
    for name, fm, body in parts:
        text = "---\n" + dump_yaml(fm) + "---\n"
        if body:
            text += body + "\n"
        write(PARTS_DIR / name, text)
    print(f"wrote {4 + len(parts)} files under {CONTENT}")


# ---------------------------------------------------------------------------
# verification

MD_UNESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>&|~])")
FOOTREF = re.compile(r"\[\^(\d+)\]")


def md_plain(text: str) -> str:
    return MD_UNESCAPE.sub(r"\1", FOOTREF.sub("", text))


def split_front_matter(text: str) -> tuple[dict, str]:
    m = re.fullmatch(r"---\n(.*?\n)---\n(.*)", text, re.S)
    if not m:
        raise ValueError("no front matter")
    return yaml.safe_load(m.group(1)), m.group(2)


def strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from strings(v)


def reconstructed_lines(report: dict, committee: dict) -> list[str]:
    """Seed lines that were split into structured YAML fields, rebuilt."""
    out = []
    for j in report["judgements"]:
        dot = "" if "." in j["number"] else "."
        out.append(f"{j['number']}{dot} {j['area']}\t{j['grade']}")
    out.append(f"{report['review_title']}")
    out.append(f"{report['inspection_dates']['label']} {report['inspection_dates']['as_printed']}")
    out.append(f"{report['published']['label']} {report['published']['as_printed']}")
    for t in report["inspection_team"]:
        out.append(f"{t['role']}: {', '.join(t['names'])}")
    a = report["ofsted_address"]
    for k in ("telephone", "textphone", "email", "web"):
        out.append(f"{a['labels'][k]} {a[k]}")
    c = committee
    out.append(c["members"]["heading"] + ":")
    out.append(c["substitutes"]["heading"] + ":")
    out.append(f"{c['contact']['telephone']}, {c['contact']['email']}")
    out.append("\t".join(c["agenda"]["columns"]))
    for it in c["agenda"]["items"]:
        out.append(f"{it['item']} {it['title']}\t{it['pages']}")
    co = c["contact_officer"]
    out.append(f"{co['label']} {co['as_printed'].splitlines()[0]}")
    out.append(f"{c['next_meeting']['label']} {c['next_meeting']['as_printed']}")
    return out


def verify(seed_path: Path) -> bool:
    errors: list[str] = []
    notes: list[str] = []

    # (4) encoding, newline at end, no trailing whitespace
    files = sorted(CONTENT.rglob("*"))
    files = [f for f in files if f.is_file()]
    texts = {}
    for f in files:
        data = f.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            errors.append(f"{f}: not UTF-8 ({e})")
            continue
        texts[f] = text
        if not text.endswith("\n") or text.endswith("\n\n"):
            errors.append(f"{f}: must end with exactly one newline")
        if "\r" in text or "\t" in text:
            errors.append(f"{f}: contains a tab or carriage return")
        for i, line in enumerate(text.split("\n"), 1):
            if line != line.rstrip():
                errors.append(f"{f}:{i}: trailing whitespace")
    rel = sorted(str(f.relative_to(CONTENT)) for f in files)
    expected = (["abbreviations.yaml", "area.yaml", "committee.yaml", "report.yaml"]
                + [f"parts/{i:02d}-{p['slug']}.md" for i, p in enumerate(PARTS, 1)])
    if rel != sorted(expected):
        errors.append(f"unexpected file set: {sorted(set(rel) ^ set(expected))}")

    # (3) YAML loads (and dumps round-trip to the same data)
    loaded = {}
    for name in ("report", "committee", "area", "abbreviations"):
        f = CONTENT / f"{name}.yaml"
        try:
            loaded[name] = yaml.safe_load(texts[f])
        except Exception as e:  # noqa: BLE001
            errors.append(f"{f}: YAML does not load: {e}")
            continue
        if yaml.safe_load(dump_yaml(loaded[name])) != loaded[name]:
            errors.append(f"{f}: does not round-trip")
    parts = []
    for i, p in enumerate(PARTS, 1):
        f = PARTS_DIR / f"{i:02d}-{p['slug']}.md"
        try:
            fm, body = split_front_matter(texts[f])
        except Exception as e:  # noqa: BLE001
            errors.append(f"{f}: front matter: {e}")
            continue
        if fm.get("order") != i or fm.get("slug") != p["slug"]:
            errors.append(f"{f}: order/slug mismatch in front matter")
        if re.search(r"^# ", body, re.M):
            errors.append(f"{f}: h1 in body")
        parts.append((f, fm, body))
    if errors:
        for e in errors:
            print("ERROR", e)
        return False

    report, committee, area = loaded["report"], loaded["committee"], loaded["area"]
    for key, typ in (("telephone", str), ("textphone", str)):
        if not isinstance(report["ofsted_address"][key], typ):
            errors.append(f"report.ofsted_address.{key} is not a string")
    for j in report["judgements"]:
        if not isinstance(j["number"], str):
            errors.append(f"judgement number {j['number']!r} is not a string")
    for d in (report["inspection_dates"]["start"], report["inspection_dates"]["end"],
              report["published"]["date"], committee["meeting"]["date"],
              committee["next_meeting"]["date"]):
        if not isinstance(d, dt.date):
            errors.append(f"{d!r} is not a date")

    # seed, normalised: superscripts removed, page breaks joined
    s = Seed(seed_path)
    logical: list[tuple[int, str]] = []
    for n in range(1, len(s.lines) + 1):
        t = s.raw(n)
        if not t or n in s.cont or n in CONTENTS_LINES or n == 338:
            continue
        if n == 337:  # (d) the <p>...</p> sub-heading: compare its text
            t = must(r"<p>(.+)</p>", t).group(1)
        first = n
        while n in PAGE_BREAKS:
            n += 2
            t += " " + s.raw(n)
        # list markers ("- ", " - ") and footnote-definition markers are
        # structure, not text
        t = re.sub(r"^( ?- |[¹²³] )", "", t)
        logical.append((first, strip_superscripts(t)))
    seed_paras = {}
    for n, t in logical:
        m = NUMBERED.fullmatch(t)
        if m and n >= 180:
            seed_paras[int(m.group(1))] = t

    # (1) numbered paragraphs 1-129: once each, in order, one line, exact text
    found = []
    for f, fm, body in parts:
        lines = body.split("\n")
        for i, line in enumerate(lines):
            m = re.match(r"(\d+)\. ", line)
            if not m:
                continue
            num = int(m.group(1))
            found.append(num)
            if md_plain(line) != seed_paras.get(num):
                errors.append(f"{f.name}: paragraph {num} differs from the seed")
            if i + 1 < len(lines) and lines[i + 1] != "":
                errors.append(f"{f.name}: paragraph {num} not followed by a blank line")
            if i + 2 < len(lines) and re.match(r"\d+\. ", lines[i + 2]) is None \
                    and not lines[i + 2].startswith("#"):
                errors.append(f"{f.name}: paragraph {num}: unexpected line after it")
    if found != list(range(1, 130)):
        errors.append(f"numbered paragraphs out of order/missing: {found}")
    if sorted(seed_paras) != list(range(1, 130)):
        errors.append("seed numbering check failed")

    # corpus of all content text
    corpus: list[str] = []
    for name in ("report", "committee", "area", "abbreviations"):
        for v in strings(loaded[name]):
            corpus.extend(md_plain(x) for x in v.split("\n"))
    for f, fm, body in parts:
        for v in strings(fm):
            corpus.append(v)
        for line in body.split("\n"):
            corpus.append(md_plain(re.sub(r"^(#{2,3} |- )", "", line)))
    corpus.extend(reconstructed_lines(report, committee))
    joined = "\n".join(corpus)

    # (2) every seed line appears verbatim
    missing = [(n, t) for n, t in logical if t not in joined]
    for n, t in missing:
        errors.append(f"seed line {n} not found in content: {t[:70]!r}")
    whole = set(corpus)
    inside = [t for _, t in logical if t not in whole and t in joined]
    notes.append(f"{len(logical)} seed lines/paragraphs found, "
                 f"{len(logical) - len(inside)} as a whole value or line"
                 + (f"; inside a longer one: {inside}" if inside else ""))

    # reverse: every prose line / YAML string of content occurs in the seed
    seed_text = strip_superscripts("\n".join(t for _, t in logical))
    generated = {"Ofsted", "Brent Council", "1", "lscb", "area", "inspection_team",
                 "recommendations",
                 "The Local Safeguarding Children Board's recommendations",
                 report["source"]["document"], report["source"]["printed_in"],
                 committee["contact_officer"]["role"], "Councillors"}
    generated |= {p["slug"] for p in PARTS}
    generated |= {a[1] for a in ABBREVIATIONS} | {a[3] for a in ABBREVIATIONS if a[3]}
    for v in corpus:
        if v and v not in seed_text and v not in generated:
            errors.append(f"content text not in seed: {v[:70]!r}")

    # Markdown bodies: escapes needed and rendered text equals the seed
    for f, fm, body in parts:
        for line in body.split("\n"):
            bare = re.sub(r"\\.", "", line)
            if re.search(r"[*_`<>\[\]]", FOOTREF.sub("", bare)):
                errors.append(f"{f.name}: unescaped Markdown character: {line[:60]}")
    try:
        from markdown_it import MarkdownIt
        import html as _html
        md = MarkdownIt("commonmark")
        for f, fm, body in parts:
            rendered = md.render(body)
            text = _html.unescape(re.sub(r"<[^>]+>", "\n", rendered))
            for line in body.split("\n"):
                m = NUMBERED.fullmatch(line)
                want = md_plain(m.group(2) if m else re.sub(r"^(#{2,3} |- )", "", line))
                if want and want not in text:
                    errors.append(f"{f.name}: rendered text differs: {want[:60]!r}")
        notes.append("markdown-it render check done")
    except ImportError:
        notes.append("markdown-it not installed: render check skipped")

    # abbreviations: sorted, used, and expansions where the report gives them
    ab = loaded["abbreviations"]
    keys = [a["abbreviation"] for a in ab]
    if keys != sorted(keys, key=str.lower):
        errors.append("abbreviations not sorted")
    all_text = "\n".join(strings(report)) + "\n".join(strings(committee)) \
        + "\n".join(strings(area)) + "\n".join(b for _, _, b in parts)
    for abbr, exp, given, _ in ABBREVIATIONS:
        if not re.search(rf"\b{re.escape(abbr)}s?\b", all_text):
            errors.append(f"abbreviation {abbr} not used in content")
        if given and exp.lower() not in seed_text.lower():
            errors.append(f"abbreviation {abbr}: expansion not found in report")
    tokens = set(re.findall(r"\b([A-Z][A-Za-z]*[A-Z][A-Za-z]*?)s?\b", all_text))
    tokens -= {"McLaughlin"}
    uncovered = sorted(tokens - set(keys))
    if uncovered:
        errors.append(f"capitalised tokens without an abbreviation entry: {uncovered}")

    for n in notes:
        print("ok  ", n)
    for e in errors:
        print("ERROR", e)
    if not errors:
        print("verify: all checks passed")
    return not errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=Path, default=DEFAULT_SEED)
    ap.add_argument("--verify", action="store_true", help="only verify content/")
    args = ap.parse_args()
    if not args.verify:
        generate(args.seed)
    return 0 if verify(args.seed) else 1


if __name__ == "__main__":
    sys.exit(main())
