"""What the browser tests measure in a page, each returning the failures as readable lines.

Each function takes a Playwright page already showing the page under test and returns a list of
strings, one per failure, each naming the rule and the element (a short CSS path and its HTML), so
a failing test says what is wrong and where without a second run.
"""

from __future__ import annotations

import re

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_RULES = {"target-size": True}  # off by default in axe-core; WCAG 2.2 SC 2.5.8
BODY_TEXT_CONTRAST = 7.0  # WCAG 1.4.6 (AAA), asked of body text in both colour schemes
TEXT_AT_200_PERCENT = """
html, html[data-text-size], html:has(.rs-text-size__input:checked) { font-size: 200% !important; }
"""

# WCAG 1.4.12 Text Spacing: the spacing a reader may set, which must lose no content.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

# A short, stable description of an element, for failure messages.
DESCRIBE_JS = r"""
window.__rsDescribe = (el) => {
  if (!el || el.nodeType !== 1) return String(el);
  const path = [];
  for (let node = el; node && node.nodeType === 1 && path.length < 4; node = node.parentElement) {
    let part = node.tagName.toLowerCase();
    if (node.id) { part += '#' + node.id; path.unshift(part); break; }
    const cls = [...node.classList].slice(0, 2);
    if (cls.length) part += '.' + cls.join('.');
    path.unshift(part);
  }
  const html = el.outerHTML.replace(/\s+/g, ' ');
  return path.join(' > ') + ': ' + (html.length > 160 ? html.slice(0, 157) + '...' : html);
};
"""


def describe_js(page) -> None:
    page.evaluate("() => {" + DESCRIBE_JS + "}")


# --------------------------------------------------------------------------- reflow

OVERFLOW_JS = r"""
() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) return {scrollWidth: root.scrollWidth, width, culprits: []};
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 0.5) {
      const childOverflows = [...el.children].some(c => c.getBoundingClientRect().right > width + 0.5);
      if (!childOverflows) culprits.push(window.__rsDescribe(el) + ` (right edge at ${Math.round(r.right)}px)`);
    }
    if (culprits.length >= 5) break;
  }
  return {scrollWidth: root.scrollWidth, width, culprits};
}
"""


def horizontal_overflow(page) -> list[str]:
    """Failures if the page scrolls sideways (WCAG 1.4.10 Reflow)."""
    describe_js(page)
    result = page.evaluate(OVERFLOW_JS)
    if result["scrollWidth"] <= result["width"]:
        return []
    lines = [f"reflow: the page is {result['scrollWidth']}px wide in a {result['width']}px viewport"]
    return lines + [f"    - {c}" for c in result["culprits"]]


# --------------------------------------------------------------------------- contrast

CONTRAST_JS = r"""
(minimum) => {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1});
  const background = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg && bg.a > 0) { layers.push(bg); if (bg.a >= 1) break; }
    }
    let colour = {r: 255, g: 255, b: 255, a: 1};
    if (!layers.length || layers[layers.length - 1].a < 1) {
      const canvas = matchMedia('(prefers-color-scheme: dark)').matches ? {r: 18, g: 18, b: 18, a: 1} : colour;
      colour = canvas;
    }
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const hidden = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const s = getComputedStyle(node);
      if (s.display === 'none' || s.visibility === 'hidden') return true;
      if (s.clipPath === 'inset(50%)' || (s.position === 'absolute' && s.overflow === 'hidden' && node.offsetWidth <= 1)) return true;
    }
    return false;
  };
  const failures = [];
  let checked = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const el = text.parentElement;
    if (!text.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    if (hidden(el)) continue;
    const style = getComputedStyle(el);
    const bg = background(el);
    const fg = over(parse(style.color), bg);
    const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    checked += 1;
    if (ratio < minimum) {
      failures.push(`${ratio.toFixed(2)}:1 (${style.color} on rgb(${Math.round(bg.r)}, ${Math.round(bg.g)}, ${Math.round(bg.b)})) ` + window.__rsDescribe(el));
    }
  }
  return {checked, failures};
}
"""


def low_contrast_text(page, minimum: float = BODY_TEXT_CONTRAST) -> tuple[int, list[str]]:
    """(number of text elements checked, failures) for text below `minimum` contrast with its background."""
    describe_js(page)
    result = page.evaluate(CONTRAST_JS, minimum)
    return result["checked"], [f"contrast below {minimum}:1: {line}" for line in result["failures"]]


# --------------------------------------------------------------------------- keyboard

FOCUSABLE_JS = r"""
() => {
  const selector = 'a[href], area[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]),'
    + ' select:not([disabled]), textarea:not([disabled]), summary, iframe, [tabindex]:not([tabindex="-1"]),'
    + ' [contenteditable=""], [contenteditable="true"]';
  const stops = [];
  const groups = new Map();
  let index = 0;
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('[inert], [hidden]') || !el.getClientRects().length) continue;
    const stop = (el.type === 'radio' && el.name) ? 'radio:' + el.name : 'element:' + index;
    el.dataset.rsStop = stop;
    el.dataset.rsIndex = String(index);
    if (!groups.has(stop)) { groups.set(stop, window.__rsDescribe(el)); stops.push(stop); }
    el.dataset.rsUnfocused = [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow,
                              style.backgroundColor].join('|');
    index += 1;
  }
  return {stops, names: Object.fromEntries(groups)};
}
"""

FOCUSED_JS = r"""
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const focused = [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow,
                   style.backgroundColor].join('|');
  const transparent = (c) => c === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(c);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 && !transparent(style.outlineColor);
  const shadow = style.boxShadow !== 'none';
  const rect = [...el.getClientRects()].find(r => r.width > 0 && r.height > 0) || el.getBoundingClientRect();
  const x = rect.left + rect.width / 2, y = rect.top + rect.height / 2;
  const inView = x >= 0 && y >= 0 && x < innerWidth && y < innerHeight;
  const hit = inView ? document.elementFromPoint(x, y) : null;
  return {
    stop: el.dataset.rsStop || null,
    name: window.__rsDescribe(el),
    indicator: (outline || shadow) && focused !== el.dataset.rsUnfocused,
    inView,
    covered: inView && !(hit && (el === hit || el.contains(hit))),
    coveredBy: hit && !(el === hit || el.contains(hit)) ? window.__rsDescribe(hit) : null,
  };
}
"""


def keyboard_failures(page) -> tuple[int, list[str]]:
    """(tab stops reached, failures): Tab from the top reaches every link and control in turn, each
    with a visible focus indicator and not covered by anything."""
    describe_js(page)
    expected = page.evaluate(FOCUSABLE_JS)
    stops, names = expected["stops"], expected["names"]
    failures: list[str] = []
    reached: list[str] = []
    for _ in range(len(stops) + 3):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED_JS)
        if info is None or (reached and info["stop"] == reached[0]):
            break  # focus has left the document, or wrapped round
        if info["stop"] is None:
            failures.append(f"keyboard: Tab reached an element that is not a link or control: {info['name']}")
            continue
        reached.append(info["stop"])
        if not info["indicator"]:
            failures.append(f"focus-visible: no visible focus indicator on {info['name']}")
        if not info["inView"]:
            failures.append(f"focus-not-obscured: the focused element is not scrolled into view: {info['name']}")
        elif info["covered"]:
            failures.append(f"focus-not-obscured: {info['name']} is covered by {info['coveredBy']}")
    missing = [stop for stop in stops if stop not in reached]
    failures += [f"keyboard: Tab never reaches {names[stop]}" for stop in missing]
    if reached and reached[0] != stops[0]:
        failures.insert(0, f"skip-link: the first Tab reaches {names.get(reached[0], reached[0])}, not the skip link")
    return len(reached), failures


def skip_link_failures(page) -> list[str]:
    """The first Tab reaches the skip link, and following it moves focus to the main content."""
    describe_js(page)
    page.keyboard.press("Tab")
    first = page.evaluate("() => ({cls: document.activeElement.className, href: document.activeElement.getAttribute('href'),"
                          " name: window.__rsDescribe(document.activeElement)})")
    if "rs-skip-link" not in first["cls"] or first["href"] != "#main-content":
        return [f"skip-link: the first Tab reaches {first['name']}, not the skip link"]
    page.keyboard.press("Enter")
    focused = page.evaluate("() => document.activeElement.id")
    if focused != "main-content":
        return [f"skip-link: following the skip link focuses #{focused or 'nothing'}, not #main-content"]
    page.keyboard.press("Tab")
    inside = page.evaluate("() => document.getElementById('main-content').contains(document.activeElement)")
    return [] if inside else ["skip-link: the Tab after the skip link does not reach the main content"]


# --------------------------------------------------------------------------- abbreviations

ABBREVIATIONS_JS = r"""
(keys) => {
  const pattern = new RegExp('(?<![A-Za-z0-9])(' + keys.map(k => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
                              .sort((a, b) => b.length - a.length).join('|') + ')s?(?![A-Za-z0-9])', 'g');
  const skip = 'a, abbr, h1, h2, h3, h4, h5, h6, title, script, style, .rs-visually-hidden';
  const events = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === 1) {
      if (node.matches('a.rs-abbr')) {
        const word = node.querySelector('abbr').textContent;
        const match = [...word.matchAll(pattern)][0];
        events.push({kind: 'explained', key: match ? match[1] : word, text: node.textContent, href: node.getAttribute('href')});
      }
      continue;
    }
    if (node.parentElement.closest(skip)) continue;
    for (const m of node.textContent.matchAll(pattern)) events.push({kind: 'plain', key: m[1], context: node.textContent.trim().slice(0, 80)});
  }
  return events;
}
"""


def abbreviation_failures(page, expansions: dict[str, str]) -> tuple[int, list[str]]:
    """(abbreviations explained, failures): the first use of each abbreviation on the page is a link to
    its glossary entry whose name includes its expansion, shown when focused; later uses are plain."""
    events = page.evaluate(ABBREVIATIONS_JS, sorted(expansions))
    failures, first = [], {}
    for event in events:
        key = event["key"]
        if key not in first:
            first[key] = event
            if event["kind"] == "plain":
                failures.append(f"abbreviations: the first use of {key} is not explained (in: {event['context']!r})")
        elif event["kind"] == "explained":
            failures.append(f"abbreviations: {key} is explained more than once on the page")
    explained = [e for e in events if e["kind"] == "explained"]
    for event in explained:
        key = event["key"]
        expected = f"({expansions.get(key)})"
        if expected not in event["text"]:
            failures.append(f"abbreviations: the link for {key} does not carry its expansion {expected}: {event['text']!r}")
        if not re.fullmatch(r"(glossary\.html)?#abbreviation-[a-z0-9-]+", event["href"] or ""):
            failures.append(f"abbreviations: the link for {key} does not lead to its glossary entry: {event['href']}")
    links = page.locator("a.rs-abbr")
    for index in range(min(links.count(), 3)):  # the expansion shows when the link has focus
        link = links.nth(index)
        link.focus()
        width = link.locator(".rs-abbr__expansion").evaluate("el => el.getBoundingClientRect().width")
        if width <= 1:
            failures.append(f"abbreviations: the expansion of {link.inner_text()!r} is not shown when it has focus")
    return len(explained), failures


# --------------------------------------------------------------------------- footnotes

FOOTNOTES_JS = r"""
() => {
  const failures = [];
  const refs = [...document.querySelectorAll('[role="doc-noteref"]')];
  for (const ref of refs) {
    const note = document.getElementById((ref.getAttribute('href') || '').slice(1));
    if (!note || note.getAttribute('role') !== 'doc-footnote') {
      failures.push('footnotes: the reference does not link to a doc-footnote: ' + window.__rsDescribe(ref));
      continue;
    }
    const back = note.querySelector('[role="doc-backlink"]');
    if (!back || back.getAttribute('href') !== '#' + ref.id) {
      failures.push('footnotes: the note has no doc-backlink to its reference: ' + window.__rsDescribe(note));
    } else if (!/back/i.test(back.textContent) || !/footnote/i.test(back.textContent)) {
      failures.push('footnotes: the back link does not say what it does: ' + window.__rsDescribe(back));
    }
    if (!/footnote/i.test(ref.textContent)) failures.push('footnotes: the reference is not announced as a footnote: ' + window.__rsDescribe(ref));
  }
  for (const note of document.querySelectorAll('[role="doc-footnote"]')) {
    if (!refs.some(ref => ref.getAttribute('href') === '#' + note.id)) failures.push('footnotes: nothing refers to ' + window.__rsDescribe(note));
  }
  return {count: refs.length, failures};
}
"""


def footnote_failures(page) -> tuple[int, list[str]]:
    describe_js(page)
    result = page.evaluate(FOOTNOTES_JS)
    return result["count"], result["failures"]


# --------------------------------------------------------------------------- consistent help

HELP_JS = r"""
() => {
  const nav = document.querySelector('header nav[aria-label="Help and other formats"]');
  const main = document.querySelector('main');
  return {
    links: nav ? [...nav.querySelectorAll('a')].map(a => [a.textContent.trim(), a.getAttribute('href')]) : null,
    beforeMain: !!(nav && main && (nav.compareDocumentPosition(main) & Node.DOCUMENT_POSITION_FOLLOWING)),
    textSize: !!document.querySelector('header fieldset#text-size'),
  };
}
"""


def help_links(page) -> dict:
    return page.evaluate(HELP_JS)


CLIPPED_JS = r"""
() => {
  const clipped = [];
  for (const el of document.body.querySelectorAll('*')) {
    const s = getComputedStyle(el);
    if (s.clipPath === 'inset(50%)' || el.closest('.rs-visually-hidden, .rs-abbr__expansion, .rs-skip-link')) continue;
    const hides = (v) => v === 'hidden' || v === 'clip';
    if ((hides(s.overflowX) && el.scrollWidth > el.clientWidth + 1) || (hides(s.overflowY) && el.scrollHeight > el.clientHeight + 1)) {
      clipped.push(window.__rsDescribe(el));
    }
    if (clipped.length >= 5) break;
  }
  return clipped;
}
"""


def clipped_content(page) -> list[str]:
    """Failures for elements that cut their content off."""
    describe_js(page)
    return [f"text-spacing: content is cut off in {c}" for c in page.evaluate(CLIPPED_JS)]
