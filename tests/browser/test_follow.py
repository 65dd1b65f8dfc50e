"""Deadlines that follow you, in Chromium at 320, 375, 768 and 1280 px.

A site built as ``make publish`` builds it, with its own address (here the local server's, so that every
link works) offers a webcal:// link and the calendar's address to copy; the "Copy the address" button
copies it. A ``make html`` build offers the calendar to download. Either way the link is on screen at
every width, and without JavaScript the address is still there to select.
"""

from __future__ import annotations

import icalendar
import pytest
from playwright.sync_api import expect

from conftest import OPPORTUNITIES, ROOT, portal_settings
from support.server import serve

from .test_enhance import AXE, WCAG_22_AA

pytestmark = pytest.mark.browser

WIDTHS = [320, 375, 768, 1280]


@pytest.fixture(scope="module")
def published_url(tmp_path_factory):
    """The opportunities fixture built with publishconf.py and SITEURL = the address it is served at."""
    from svportal.build import build

    output = tmp_path_factory.mktemp("follow-published") / "output"
    with serve(output) as url:
        assert build(ROOT / "publishconf.py", output, {**portal_settings(OPPORTUNITIES), "SITEURL": url}) == 0
        yield url


def within_width(locator, width: int) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5


@pytest.mark.parametrize("width", WIDTHS)
def test_the_calendar_address_is_copied_and_the_subscribe_link_is_on_screen(page, published_url, problems, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=published_url)
    page.goto(f"{published_url}/opportunities/")
    page.get_by_role("link", name="Follow all opportunities").click()
    assert page.url.endswith("/opportunities/#follow")
    follow = page.locator("section.app-follow")
    host = published_url.removeprefix("http://")
    subscribe = follow.get_by_role("link", name="Subscribe in your calendar app")
    expect(subscribe).to_be_visible()
    expect(subscribe).to_have_attribute("href", f"webcal://{host}/opportunities/deadlines.ics")
    address = follow.get_by_label("Or copy this address into your calendar")
    expect(address).to_have_value(f"{published_url}/opportunities/deadlines.ics")
    expect(address).not_to_be_editable()
    button = follow.get_by_role("button", name="Copy the address")
    for part in (subscribe, address, button):
        expect(part).to_be_visible()
        assert within_width(part, width), f"cut off at {width} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    button.click()
    expect(follow.get_by_role("status")).to_have_text("Address copied. Paste it into your calendar.")
    assert page.evaluate("navigator.clipboard.readText()") == f"{published_url}/opportunities/deadlines.ics"
    length = len(f"{published_url}/opportunities/deadlines.ics")
    assert address.evaluate("i => [i.selectionStart, i.selectionEnd]") == [0, length]  # selected, to copy by hand
    assert problems == []


@pytest.mark.parametrize("width", WIDTHS)
def test_an_opportunitys_own_calendar_is_one_click_away(page, published_url, problems, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{published_url}/opportunities/opp-tomorrow/")
    follow = page.locator("section.app-follow")
    expect(follow.get_by_role("heading", level=2)).to_have_text("Follow this opportunity")
    subscribe = follow.get_by_role("link", name="Subscribe in your calendar app")
    expect(subscribe).to_be_visible()
    assert within_width(subscribe, width)
    href = subscribe.get_attribute("href")
    assert href == f"webcal://{published_url.removeprefix('http://')}/opportunities/opp-tomorrow/deadlines.ics"
    response = page.request.get(href.replace("webcal://", "http://"))
    assert response.status == 200
    events = icalendar.Calendar.from_ical(response.body()).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Closing date: Hospital discharge support"]
    assert [a["TRIGGER"].to_ical() for a in events[0].walk("VALARM")] == [b"-P6DT15H", b"-PT15H"]
    assert problems == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_development_build_offers_the_download_and_the_instructions(page, opportunities_site_url, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{opportunities_site_url}/opportunities/vcse/")
    follow = page.locator("section.app-follow")
    download = follow.get_by_role("link", name="Download the calendar (iCalendar file)")
    expect(download).to_be_visible()
    assert within_width(download, width)
    assert page.request.get(download.evaluate("a => a.href")).status == 200
    expect(follow.locator("li")).to_have_text(
        [
            "Outlook: select Add calendar, then Subscribe from web.",
            "Google Calendar, on a computer: next to Other calendars select +, then From URL.",
            "Apple Calendar: choose File, then New Calendar Subscription (on an iPhone or iPad, select the subscribe "
            "link).",
        ]
    )
    expect(follow.get_by_role("button")).to_have_count(0)
    expect(follow.get_by_role("textbox")).to_have_count(0)


def test_without_javascript_the_address_is_there_to_select(browser, published_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{published_url}/opportunities/")
    address = page.get_by_label("Or copy this address into your calendar")
    expect(address).to_be_visible()
    expect(address).to_have_value(f"{published_url}/opportunities/deadlines.ics")
    expect(page.get_by_role("button", name="Copy the address")).to_have_count(0)
    address.focus()
    page.keyboard.press("Control+a")
    assert address.evaluate("i => i.value.slice(i.selectionStart, i.selectionEnd)") == address.input_value()
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_follow_section_passes_axe_once_copied(browser, published_url, width):
    assert AXE.is_file(), f"axe-core is not installed at {AXE}: run `npm ci` in tests/gates (make test does)"
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=published_url)
    page = context.new_page()
    page.goto(f"{published_url}/opportunities/")
    page.get_by_role("button", name="Copy the address").click()
    expect(page.get_by_role("status").filter(has_text="Address copied")).to_be_visible()
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "tags => axe.run(document.querySelector('section.app-follow'), {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`))",
        WCAG_22_AA,
    )
    context.close()
    assert found == []
