"""Gates: WCAG 2.2 AA by axe-core in headless Chromium, and pages that work without JavaScript
and by keyboard alone, for every page type; and proof that the axe gate fails when it should."""

from __future__ import annotations

import pytest

from .conftest import PAGE_TYPES, describe, page_file, page_path, run_axe

SERVICE_NAVIGATION = {
    "Contracts",
    "Suppliers",
    "Buyers",
    "Priorities",
    "Indicators",
    "Opportunities",
    "Data",
    "About",
    "Search",
}
TABS_TO_TRY = 25  # focus styles are checked on the links reached by this many presses of Tab


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_no_wcag_22_aa_violations(page_type, site, site_url, axe_context):
    page_file(site, page_type)
    violations = run_axe(axe_context, site_url + page_path(site, page_type))
    assert violations == [], f"/{page_path(site, page_type)}: axe-core found\n{describe(violations)}"


def test_the_axe_gate_fails_an_inaccessible_page(inaccessible_url, axe_context):
    """The real base template plus four deliberate faults (tests/gates/fixtures/inaccessible.html)."""
    violations = run_axe(axe_context, inaccessible_url)
    found = {v["id"] for v in violations}
    assert found == {"image-alt", "label", "color-contrast", "link-name"}, describe(violations)
    faint = next(v for v in violations if v["id"] == "color-contrast")
    assert [n["target"] for n in faint["nodes"]] == [[".app-fixture-faint"]]


NO_JS_STATE = """() => {
  const shown = el => !!el && el.checkVisibility({visibilityProperty: true, opacityProperty: true})
    && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0;
  const main = document.querySelector('main#main-content'), h1s = document.querySelectorAll('h1');
  return {
    scripted: document.body.classList.contains('js-enabled'),
    h1s: h1s.length, h1Shown: shown(h1s[0]), h1Text: h1s.length ? h1s[0].innerText.trim() : '',
    h1InMain: !!main && !!main.querySelector('h1'),
    mainShown: shown(main), mainWords: main ? main.innerText.split(/\\s+/).filter(Boolean).length : 0,
    navigation: Array.from(document.querySelectorAll('.govuk-service-navigation a.govuk-service-navigation__link'),
                           a => [a.innerText.trim(), shown(a)]),
  };
}"""


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_works_without_javascript(page_type, site, site_url, no_js_context):
    """The heading, the main content and the service navigation are there and visible."""
    page_file(site, page_type)
    page = no_js_context.new_page()
    try:
        page.goto(site_url + page_path(site, page_type))
        state = page.evaluate(NO_JS_STATE)
    finally:
        page.close()
    assert not state["scripted"], "JavaScript ran"
    assert state["h1s"] == 1, f"{state['h1s']} h1 elements"
    assert state["h1Shown"] and state["h1Text"], "the h1 is hidden or empty"
    assert state["h1InMain"], "the h1 is not inside <main id=main-content>"
    assert state["mainShown"], "the main content is not visible"
    assert state["mainWords"] >= 10, "the main content is (nearly) empty"
    names = dict(state["navigation"])
    assert set(names) >= SERVICE_NAVIGATION, f"the service navigation has only {sorted(names)}"
    hidden = sorted(name for name, shown in names.items() if not shown)
    assert hidden == [], f"service navigation links not visible without JavaScript: {hidden}"


# Installed once the page has loaded: the style of every link before anything has focus, and a
# record of each element that then receives focus, with its style and box at that moment.
WATCH_FOCUS = """() => {
  const links = Array.from(document.querySelectorAll('a[href]'));
  const style = el => {
    const s = getComputedStyle(el);
    return {outline: [s.outlineStyle, s.outlineWidth, s.outlineColor].join(' '), shadow: s.boxShadow,
            background: s.backgroundColor, clipPath: s.clipPath, visibility: s.visibility, opacity: s.opacity,
            outlineVisible: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
              && !/rgba\\(.*, 0\\)$|transparent/.test(s.outlineColor)};
  };
  const unfocused = links.map(style);
  window.__focused = [];
  document.addEventListener('focusin', event => {
    const el = event.target, box = el.getBoundingClientRect(), index = links.indexOf(el);
    window.__focused.push({
      tag: el.tagName.toLowerCase(), cls: String(el.className), href: el.getAttribute('href'), id: el.id,
      text: (el.innerText || el.getAttribute('aria-label') || el.getAttribute('href') || '').trim().slice(0, 60),
      box: {width: box.width, height: box.height, top: box.top, left: box.left},
      style: style(el), before: index >= 0 ? unfocused[index] : null,
    });
  });
}"""


def has_focus_style(focused: dict, before: dict) -> bool:
    """A visible outline that was not there before, or a changed box shadow or background."""
    return (
        (focused["outlineVisible"] and focused["outline"] != before["outline"])
        or focused["shadow"] != before["shadow"]
        or focused["background"] != before["background"]
    )


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_usable_by_keyboard(page_type, site, site_url, strict_context):
    """The first Tab reaches the skip link, which shows; every link reached by Tab has a focus
    style that differs from its look without focus; Enter on the skip link focuses <main>."""
    page_file(site, page_type)
    page = strict_context.new_page()
    try:
        page.goto(site_url + page_path(site, page_type))
        page.evaluate(WATCH_FOCUS)
        for _ in range(TABS_TO_TRY):
            page.keyboard.press("Tab")
        focused = page.evaluate("window.__focused")
        page.locator("a.govuk-skip-link").focus()
        page.keyboard.press("Enter")
        after_enter = page.evaluate("document.activeElement.id")
        url_after_enter = page.url
    finally:
        page.close()

    assert focused, "Tab moved the focus nowhere"
    skip = focused[0]
    assert "govuk-skip-link" in skip["cls"] and skip["href"] == "#main-content", f"the first Tab focused {skip}"
    box, style = skip["box"], skip["style"]
    assert (
        box["width"] >= 24
        and box["height"] >= 24
        and box["top"] >= 0
        and box["left"] >= 0
        and style["clipPath"] == "none"
        and style["visibility"] == "visible"
        and style["opacity"] == "1"
    ), f"the focused skip link is not visible: {skip}"
    links = [f for f in focused if f["before"] is not None]
    assert len(links) >= 3, f"only {len(links)} links reached by {TABS_TO_TRY} presses of Tab"
    without = [f["text"] for f in links if not has_focus_style(f["style"], f["before"])]
    assert without == [], f"links with no visible focus style: {without}"
    assert after_enter == "main-content", f"Enter on the skip link focused #{after_enter}, not <main id=main-content>"
    assert url_after_enter.endswith("#main-content")
