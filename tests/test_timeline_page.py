"""The timeline page in headless Chromium: order, right to left, scraped script as text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.demo import SAMPLE_STORY
from tests.devtools import Browser, chromium
from tests.live import LiveAPI

BINARY = chromium()
pytestmark = pytest.mark.skipif(BINARY is None, reason="no chromium on this machine")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert BINARY is not None
    opened = Browser(BINARY)
    # a phone: 390 CSS pixels wide, touch, its viewport meta honoured
    opened.send(
        "Emulation.setDeviceMetricsOverride",
        width=390,
        height=844,
        deviceScaleFactor=2,
        mobile=True,
    )
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def page(browser: Browser, story_api: LiveAPI) -> Browser:
    browser.open(f"{story_api.base}/timeline?story={SAMPLE_STORY}&limit=20")
    return browser


def test_the_events_render_in_order(page: Browser, story_api: LiveAPI) -> None:
    """The cards follow the API's order, top to bottom, each with its date or bounds."""
    expected = story_api.get(f"/stories/{SAMPLE_STORY}?limit=20").json()["entries"]
    keys = page.evaluate("[...document.querySelectorAll('li.entry')].map(e => e.dataset.key)")
    assert keys == [e["key"] for e in expected] and len(keys) == 5
    tops = page.evaluate(
        "[...document.querySelectorAll('li.entry')].map(e => e.getBoundingClientRect().top)"
    )
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    dates = page.evaluate("[...document.querySelectorAll('time.when')].map(t => t.textContent)")
    assert dates == [
        "2019-02-26",
        "2019-03-12",
        "2019-03-13 … 2019-03-14",
        "2019-03-15",
        "2019-03-20",
    ]
    uncertain = page.evaluate("document.querySelectorAll('time.when.uncertain').length")
    assert uncertain == 1, "bounds are drawn apart from single dates"
    badges = page.evaluate(
        "[...document.querySelectorAll('li.entry')[1].querySelectorAll('.badge')]"
        ".map(b => b.textContent)"
    )
    assert badges == ["Nahr Agency", "Wadi Post"]


def test_the_page_is_right_to_left(page: Browser) -> None:
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('p.text')).direction") == "rtl"
    # the time axis runs down the right-hand side, the cards to its left
    axis_x = page.evaluate(
        "(() => { const r = document.querySelector('ol.axis').getBoundingClientRect();"
        " return [r.left, r.right]; })()"
    )
    card = page.evaluate(
        "(() => { const r = document.querySelector('article.card').getBoundingClientRect();"
        " return [r.left, r.right]; })()"
    )
    assert card[1] < axis_x[1] - 10, "the axis is to the right of the cards"
    # bounds read as dates do, left to right, inside the right-to-left text
    first, last = page.evaluate(
        "(() => { const n = document.querySelector('time.uncertain').firstChild;"
        " const at = (a, b) => { const r = document.createRange(); r.setStart(n, a);"
        " r.setEnd(n, b); return r.getBoundingClientRect().left; };"
        " return [at(0, 10), at(n.length - 10, n.length)]; })()"
    )
    assert first < last


def test_the_page_fits_a_phone(page: Browser) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert width == 390
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scroll"


def test_script_in_an_article_shows_as_text_and_never_runs(page: Browser) -> None:
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.evaluate("document.title").startswith("الخط الزمني")
    assert page.evaluate("document.scripts.length") == 0
    text = page.evaluate("document.body.innerText")
    assert "<script>pwned=1</script>" in text
    assert "<script>document.title='pwned'</script>" in text
    assert "Sahil <b>Wire</b>" in text


def test_a_screenshot_shows_the_page(page: Browser, tmp_path: Path) -> None:
    shot = tmp_path / "timeline.png"
    page.screenshot(shot)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
