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
    if (style.visibility === 'hidden' || el.closest('[inert], [hidden]') || !el.getClientRects().length || !el.checkVisibility()) continue;  // checkVisibility: not in a closed <details>
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

# Where a reader first meets each abbreviation on the page, in reading order: a plain use (and
# whether its block spells the abbreviation out before it), or an explained use (a link to the
# glossary), with what the link holds and what describes it.
ABBREVIATIONS_JS = r"""
(expansions) => {
  const keys = Object.keys(expansions);
  const pattern = new RegExp('(?<![A-Za-z0-9])(' + keys.map(k => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
                              .sort((a, b) => b.length - a.length).join('|') + ')s?(?![A-Za-z0-9])', 'g');
  const skip = 'a, abbr, h1, h2, h3, h4, h5, h6, title, script, style, .rs-visually-hidden, .rs-abbreviations-used';
  const blocks = 'p, li, dd, dt, td, th, div, h1, h2, h3, h4, h5, h6, caption, figcaption, blockquote, section, '
               + 'article, aside, table, tr, ul, ol, dl, main, header, footer, nav, body';
  const words = (text) => text.replace(/[\u2018\u2019]/g, "'").toLowerCase().split(/\s+/).filter(Boolean).join(' ');
  const spelledOut = (key, node, offset) => {
    const range = document.createRange();
    range.setStart((node.nodeType === 1 ? node : node.parentElement).closest(blocks), 0);
    range.setEnd(node, offset);
    const escaped = words(expansions[key]).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp('(?<![\\p{L}\\p{N}_])' + escaped + '(?:s|es)?(?![\\p{L}\\p{N}_])', 'u').test(words(range.toString()));
  };
  const events = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === 1) {
      if (node.matches('a.rs-abbr')) {
        const written = (node.querySelector('abbr') || node).textContent;
        const match = [...written.matchAll(pattern)][0];
        const key = match ? match[1] : written;
        const describedBy = node.getAttribute('aria-describedby');
        const description = describedBy ? document.getElementById(describedBy) : null;
        const range = document.createRange();
        range.setStartBefore(node);
        events.push({kind: 'explained', key, written, text: node.textContent, href: node.getAttribute('href'),
                     describedBy, description: description ? description.textContent : null,
                     descriptionApart: !!(description && description.closest('.rs-abbreviations-used[hidden]')),
                     overlay: node.getAttribute('data-rs-expansion'),
                     spelledOut: spelledOut(key, range.startContainer, range.startOffset)});
      }
      continue;
    }
    if (node.parentElement.closest(skip)) continue;
    for (const m of node.textContent.matchAll(pattern)) {
      events.push({kind: 'plain', key: m[1], context: node.textContent.trim().slice(0, 80),
                   spelledOut: spelledOut(m[1], node, m.index)});
    }
  }
  return events;
}
"""


def abbreviation_failures(page, expansions: dict[str, str]) -> tuple[int, list[str]]:
    """(abbreviations explained, failures): the first use of each abbreviation on the page is spelled
    out before it in its own block, or is a link to its glossary entry that holds the abbreviation as
    written and nothing else, described by its expansion (kept apart from the text, hidden) and
    showing it as an overlay; later uses are plain text."""
    events = page.evaluate(ABBREVIATIONS_JS, {key: expansions[key] for key in sorted(expansions)})
    failures, first = [], {}
    for event in events:
        key = event["key"]
        if key not in first:
            first[key] = event
            if event["kind"] == "plain" and not event["spelledOut"]:
                failures.append(f"abbreviations: the first use of {key} is neither explained nor spelled out (in: {event['context']!r})")
        elif event["kind"] == "explained":
            failures.append(f"abbreviations: {key} is explained more than once on the page")
    explained = [e for e in events if e["kind"] == "explained"]
    for event in explained:
        key, expansion = event["key"], expansions.get(event["key"])
        if event["text"] != event["written"]:
            failures.append(f"abbreviations: the link for {key} adds words to the text: {event['text']!r}")
        if event["spelledOut"]:
            failures.append(f"abbreviations: {key} is explained although the text spells it out just before")
        if event["description"] != expansion or event["overlay"] != expansion:
            failures.append(f"abbreviations: the link for {key} is not described by its expansion {expansion!r}: "
                            f"described by {event['description']!r}, overlay {event['overlay']!r}")
        elif not event["descriptionApart"]:
            failures.append(f"abbreviations: the description of {key} is not kept apart from the text, hidden")
        if not re.fullmatch(r"(glossary\.html)?#abbreviation-[a-z0-9-]+", event["href"] or ""):
            failures.append(f"abbreviations: the link for {key} does not lead to its glossary entry: {event['href']}")
    return len(explained), failures


# Every element's box, in document coordinates, and the document's size: what must not move.
BOXES_JS = r"""
() => {
  const x = window.scrollX, y = window.scrollY;
  const boxes = [...document.querySelectorAll('*')].map(el => {
    const r = el.getBoundingClientRect();
    return [r.left + x, r.top + y, r.width, r.height].map(v => Math.round(v * 100) / 100).join(',');
  });
  return {boxes, width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight};
}
"""

# The overlay seen from the page: what is drawn at its centre, whether the link it belongs to still has
# focus, and the link's box with its focus indicator (2 px above, 4 px below: base.css).
OVERLAY_AT_JS = r"""
([index, x, y]) => {
  const link = document.querySelectorAll('a.rs-abbr')[index];
  const top = document.elementFromPoint(x, y);
  const r = link.getBoundingClientRect();
  const after = getComputedStyle(link, '::after');
  return {onTop: !!top && (top === link || link.contains(top)), focused: document.activeElement === link,
          link: [r.left, r.top - 2, r.right, r.bottom + 4], colour: after.color, background: after.backgroundColor,
          frame: after.boxShadow, viewport: [document.documentElement.clientWidth, document.documentElement.clientHeight]};
}
"""


PAGE_BACKGROUND_JS = r"""
() => {
  for (const el of [document.body, document.documentElement]) {
    const colour = getComputedStyle(el).backgroundColor;
    if (colour !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(colour)) return colour;
  }
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'rgb(18, 18, 18)' : 'rgb(255, 255, 255)';
}
"""


class DevTools:
    """What Chromium's DevTools protocol tells of an element named by a JavaScript expression: the box the
    browser draws for its ::after, and its node in the accessibility tree."""

    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("DOM.enable")
        self.cdp.send("Accessibility.enable")
        self.cdp.send("DOM.getDocument", {"depth": 0})

    def _node(self, element: str) -> dict:
        found = self.cdp.send("Runtime.evaluate", {"expression": element})
        return self.cdp.send("DOM.describeNode", {"objectId": found["result"]["objectId"], "depth": 0})["node"]

    def after_box(self, element: str) -> dict | None:
        """The border and padding boxes of the element's ::after as [left, top, right, bottom], None when not drawn."""
        after = [p for p in self._node(element).get("pseudoElements", []) if p.get("pseudoType") == "after"]
        if not after:
            return None
        model = self.cdp.send("DOM.getBoxModel", {"backendNodeId": after[0]["backendNodeId"]})["model"]
        return {name: [model[name][0], model[name][1], model[name][4], model[name][5]] for name in ("border", "padding")}

    def accessible(self, element: str) -> dict:
        """The element's role, name and description in the accessibility tree, and the text of its nodes there."""
        backend = self._node(element)["backendNodeId"]
        nodes = self.cdp.send("Accessibility.getPartialAXTree", {"backendNodeId": backend, "fetchRelatives": False})["nodes"]
        node = next(node for node in nodes if node.get("backendDOMNodeId") == backend)
        return {"role": node.get("role", {}).get("value"), "name": node.get("name", {}).get("value"),
                "description": node.get("description", {}).get("value"), "text": self._text(node)}

    def _text(self, node: dict) -> str:
        """The text a node of the accessibility tree holds, as a screen reader reading the page finds it."""
        if node.get("ignored"):
            return ""
        if node.get("role", {}).get("value") in ("StaticText", "InlineTextBox"):
            return node.get("name", {}).get("value", "")
        children = self.cdp.send("Accessibility.getChildAXNodes", {"id": node["nodeId"]})["nodes"]
        return "".join(self._text(child) for child in children)


def _abbreviation_link(index: int) -> str:
    return f"document.querySelectorAll('a.rs-abbr')[{index}]"


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [float(v) / 255 for v in re.findall(r"[\d.]+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _overlaps(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def overlay_failures(page, expansions: dict[str, str], hover: bool = True, escape: bool = True) -> tuple[int, list[str]]:
    """(overlays checked, failures): each explained abbreviation, focused and hovered, shows its expansion
    laid over the page (WCAG 1.4.13): no other box moves, it lies within the viewport, covers neither the
    link nor its focus indicator, nothing covers it, its text has 7:1 contrast and its frame 3:1; the
    pointer can move onto it; Escape hides it and leaves focus on the link (`escape`: with the page's
    script). The link's name in the accessibility tree is the abbreviation as written, its description
    the expansion."""
    devtools = DevTools(page)
    background = page.evaluate(PAGE_BACKGROUND_JS)
    failures: list[str] = []
    count = page.locator("a.rs-abbr").count()
    for index in range(count):
        link = page.locator("a.rs-abbr").nth(index)
        written = link.text_content()
        name = f"the overlay of {written!r} at {page.viewport_size['width']} px"
        expansion = expansions.get(written) or expansions.get(written[:-1])
        link.evaluate("el => el.scrollIntoView({block: 'center'})")
        before = page.evaluate(BOXES_JS)
        if devtools.after_box(_abbreviation_link(index)) is not None:
            failures.append(f"abbreviations: {name} is shown before the link is hovered or focused")
        link.focus()
        box = devtools.after_box(_abbreviation_link(index))
        if box is None:
            failures.append(f"abbreviations: {name} is not shown when the link has focus")
            continue
        after = page.evaluate(BOXES_JS)
        moved = sum(1 for old, new in zip(before["boxes"], after["boxes"]) if old != new)
        if moved or (before["width"], before["height"]) != (after["width"], after["height"]):
            failures.append(f"abbreviations: {name} moves {moved} boxes (the page was {before['width']}x{before['height']}, "
                            f"is {after['width']}x{after['height']})")
        border, padding = box["border"], box["padding"]
        centre = [(padding[0] + padding[2]) / 2, (padding[1] + padding[3]) / 2]
        seen = page.evaluate(OVERLAY_AT_JS, [index, *centre])
        width, height = seen["viewport"]
        if border[0] < 0 or border[1] < 0 or border[2] > width or border[3] > height:
            failures.append(f"abbreviations: {name} leaves the {width}x{height} viewport: {[round(v) for v in border]}")
        if _overlaps(padding, seen["link"]):
            failures.append(f"abbreviations: {name} covers the link or its focus indicator")
        if not seen["onTop"]:
            failures.append(f"abbreviations: {name} is covered by other content")
        if _contrast(seen["colour"], seen["background"]) < BODY_TEXT_CONTRAST:
            failures.append(f"abbreviations: {name}'s text has a contrast below {BODY_TEXT_CONTRAST}:1")
        frame = re.match(r"(rgba?\([^)]*\))", seen["frame"])
        if not frame or _contrast(frame.group(1), background) < 3:
            failures.append(f"abbreviations: {name}'s frame has a contrast below 3:1 with the page ({seen['frame']})")
        accessible = devtools.accessible(_abbreviation_link(index))
        if (accessible["role"], accessible["name"], accessible["text"], accessible["description"]) != \
                ("link", written, written, expansion):
            failures.append(f"abbreviations: the link {written!r} is not named by its words and described by "
                            f"{expansion!r} in the accessibility tree while its overlay shows: {accessible}")
        if escape:
            page.keyboard.press("Escape")
            if devtools.after_box(_abbreviation_link(index)) is not None:
                failures.append(f"abbreviations: Escape does not hide {name}")
            if not page.evaluate(OVERLAY_AT_JS, [index, 0, 0])["focused"]:
                failures.append(f"abbreviations: Escape moves focus away from {written!r}")
        link.evaluate("el => el.blur()")
        if devtools.after_box(_abbreviation_link(index)) is not None:
            failures.append(f"abbreviations: {name} stays when the link loses focus")
        if hover:
            failures += _hover_failures(page, devtools, index, name, escape)
    return count, failures


def _hover_failures(page, devtools: DevTools, index: int, name: str, escape: bool) -> list[str]:
    """The overlay shows while the pointer is on the link, stays while it moves onto the overlay, and goes when
    it leaves; Escape hides it while hovered (`escape`)."""
    link = page.locator("a.rs-abbr").nth(index)
    box = link.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    shown = devtools.after_box(_abbreviation_link(index))
    if shown is None:
        return [f"abbreviations: {name} is not shown when the pointer is on the link"]
    failures = []
    padding = shown["padding"]
    x, y = box["x"] + box["width"] / 2, (padding[1] + padding[3]) / 2
    if not padding[0] < x < padding[2]:
        failures.append(f"abbreviations: {name} is not straight below or above the link")
    for target in ((x, y), ((padding[0] + padding[2]) / 2, y)):  # straight onto it, then to its middle
        page.mouse.move(*target, steps=4)
        if devtools.after_box(_abbreviation_link(index)) is None:
            failures.append(f"abbreviations: {name} goes when the pointer moves onto it")
            break
    if escape:
        page.keyboard.press("Escape")
        if devtools.after_box(_abbreviation_link(index)) is not None:
            failures.append(f"abbreviations: Escape does not hide {name} while the pointer is on it")
    page.mouse.move(0, 0)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    if devtools.after_box(_abbreviation_link(index)) is None:
        failures.append(f"abbreviations: {name} does not show again when the pointer comes back")
    page.mouse.move(0, 0)
    if devtools.after_box(_abbreviation_link(index)) is not None:
        failures.append(f"abbreviations: {name} stays when the pointer leaves")
    return failures


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
    if (!/footnote/i.test(ref.getAttribute('aria-label') || ref.textContent)) failures.push('footnotes: the reference is not announced as a footnote: ' + window.__rsDescribe(ref));
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
    if (s.clipPath === 'inset(50%)' || el.closest('.rs-visually-hidden, .rs-skip-link')) continue;
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
