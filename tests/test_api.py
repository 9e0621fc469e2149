"""The HTTP API over real HTTP against a real Redis: every endpoint, its limits, its errors."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from openapi_spec_validator import validate

from config.settings import Settings
from service.demo import SAMPLE_STORY
from service.testing import ROOT, free_port, run_cli
from tests.live import LiveAPI, call


@pytest.fixture
def api_settings(story_api: LiveAPI) -> Settings:
    return story_api.settings


@pytest.fixture
def live(story_api: LiveAPI) -> LiveAPI:
    return story_api


def story_pages(live: LiveAPI, path: str) -> list[dict[str, Any]]:
    """Every entry, following ``next`` from page to page."""
    entries: list[dict[str, Any]] = []
    cursor = None
    for _ in range(50):
        sep = "&" if "?" in path else "?"
        reply = live.get(path + (f"{sep}cursor={cursor}" if cursor else ""))
        assert reply.status == 200, reply.text
        page = reply.json()
        entries += page["entries"]
        cursor = page.get("next")
        if cursor is None:
            return entries
    raise AssertionError("the pages never end")


def test_health(live: LiveAPI) -> None:
    reply = live.get("/health")
    assert (reply.status, reply.json()) == (200, {"status": "ok", "redis": True})


def test_an_article_is_its_entries(live: LiveAPI) -> None:
    """One entry per happening; reporting clauses attributed; undated clauses on ``all``."""
    reply = live.get("/articles/wadi-truce-2019-03-12")
    assert reply.status == 200
    view = reply.json()
    assert view["state"] == "done" and view["story"] == SAMPLE_STORY
    assert [e["trigger"] for e in view["entries"]] == ["انطلقت", "وقعت", "سيبدأ"]
    assert view["entries"][2]["sources"][0]["attribution"] == "وقال الوسيط الأممي"
    assert view["hidden"] == 1
    everything = live.get("/articles/wadi-truce-2019-03-12?all=true").json()
    assert len(everything["entries"]) == 4


def test_an_unknown_article_is_404(live: LiveAPI) -> None:
    reply = live.get("/articles/never-seen")
    assert reply.status == 404
    assert reply.json()["detail"] == "article_id: unknown article never-seen"


def test_events_are_merged_chronological_and_paged(live: LiveAPI) -> None:
    """The story's four happenings and the hostile outlet's one, in order, across pages of
    three; the signing once with two sources, the exchange with its disagreement."""
    entries = story_pages(live, "/events?from=2019-02-01&to=2019-03-31")
    assert [e["trigger"] for e in entries] == ["انطلقت", "وقعت", "سيبدأ", "أعلنت", "يجتمع"]
    signing = entries[1]
    assert signing["outlets"] == ["Nahr Agency", "Wadi Post"] and len(signing["sources"]) == 2
    assert signing["merged_because"][0].startswith("Wadi Post (wadi-truce-2019-03-12/e2) joined")
    assert entries[2]["disagreement"]["dates"] == {
        "2019-03-13": ["Wadi Post"],
        "2019-03-14": ["Jabal Times"],
    }
    starts = [e["earliest"] for e in entries]
    assert starts == sorted(starts)


def test_events_by_words_and_outlet(live: LiveAPI) -> None:
    by_word = story_pages(live, "/events?q=" + quote("والأسرى"))
    assert [e["trigger"] for e in by_word] == ["سيبدأ"]
    one_outlet = story_pages(live, "/events?outlet=" + quote("Nahr Agency"))
    assert [e["trigger"] for e in one_outlet] == ["وقعت", "يجتمع"]
    assert [s["outlet"] for s in one_outlet[0]["sources"]] == ["Nahr Agency"]
    two = story_pages(
        live, "/events?" + urlencode([("outlet", "Nahr Agency"), ("outlet", "Jabal Times")])
    )
    assert [e["trigger"] for e in two] == ["وقعت", "بدأ", "يجتمع"]
    assert story_pages(live, "/events?q=" + quote("أستانة")) == []


def test_a_story_by_its_key(live: LiveAPI) -> None:
    entries = story_pages(live, f"/stories/{SAMPLE_STORY}")
    assert len(entries) == 5
    assert story_pages(live, "/stories/no-such-story") == []
    narrowed = story_pages(live, f"/stories/{SAMPLE_STORY}?from=2019-03-14")
    assert [e["trigger"] for e in narrowed] == ["بدأ", "أعلنت", "يجتمع"]


def test_the_openapi_document_is_valid_and_lists_every_endpoint(live: LiveAPI) -> None:
    reply = live.get("/openapi.json")
    assert reply.status == 200
    document = reply.json()
    validate(document)
    assert set(document["paths"]) == {
        "/health",
        "/articles/{article_id}",
        "/events",
        "/stories/{key}",
        "/timeline",
    }
    parameters = {p["name"] for p in document["paths"]["/events"]["get"]["parameters"]}
    assert parameters == {"from", "to", "q", "outlet", "cursor", "limit"}


def test_the_page_escapes_what_outlets_write(live: LiveAPI) -> None:
    reply = live.get(f"/timeline?story={SAMPLE_STORY}&limit=10")
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/html")
    html = reply.text
    assert '<html dir="rtl" lang="ar">' in html
    assert "<script" not in html
    assert "&lt;script&gt;pwned=1&lt;/script&gt;" in html
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    assert "Sahil &lt;b&gt;Wire&lt;/b&gt;" in html
    assert 'href="https://news.example.org/hostile?a=1&amp;b=&lt;2&gt;"' in html
    assert "script-src" not in reply.headers["content-security-policy"]
    assert "default-src 'none'" in reply.headers["content-security-policy"]
    assert html.count('class="entry') == 5


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/events?limit=0", 400, "limit: Input should be greater than or equal to 1"),
        ("/events?limit=51", 400, "limit: 51 is over the most a page holds (50)"),
        ("/events?limit=ten", 400, "limit: Input should be a valid integer"),
        ("/events?from=yesterday", 400, "from: not an ISO 8601 date or date-time: 'yesterday'"),
        ("/events?from=2019-03-10&to=2019-03-01", 400, "to: must come after from"),
        ("/events?q=" + quote("في من"), 400, "q: no content word"),
        ("/events?q=" + "a" * 201, 400, "q: String should have at most 200 characters"),
        ("/events?cursor=bm9wZQ", 400, "cursor: not a cursor this service gave out"),
        ("/events?" + "outlet=x&" * 11, 400, "outlet: List should have at most 10 items"),
        ("/stories/bad%20key", 400, "key: String should match pattern"),
        ("/articles/" + "x" * 201, 400, "article_id: String should have at most 200 characters"),
        ("/timeline?to=2019-13-01", 400, "to: not an ISO 8601 date or date-time"),
        ("/events?q=" + "%D9%85" * 2100, 414, "request: the URL is over 4096 bytes"),
    ],
)
def test_bad_parameters_get_4xx_naming_the_parameter(
    live: LiveAPI, path: str, status: int, message: str
) -> None:
    reply = live.get(path)
    assert reply.status == status
    assert reply.json()["detail"].startswith(message), reply.json()


def test_a_cursor_of_another_query_is_refused(live: LiveAPI) -> None:
    first = live.get("/events?from=2019-03-01&limit=1").json()
    reply = live.get(f"/events?from=2019-03-02&limit=1&cursor={first['next']}")
    assert reply.status == 400
    assert reply.json()["detail"].startswith("cursor: it belongs to another query")


def test_the_api_is_read_only_and_bounds_request_bodies(live: LiveAPI) -> None:
    assert live.get("/events", method="POST", data=b"{}").status == 405
    assert live.get("/articles/x", method="DELETE").status == 405
    big = live.get("/events", data=b"x" * 5000, method="GET")
    assert big.status == 413 and big.json()["detail"].startswith("request: bodies over")


def test_a_query_too_broad_to_merge_is_refused(api_settings: Settings) -> None:
    server = LiveAPI(Settings(**{**api_settings.model_dump(), "max_query_reports": 3})).start()
    try:
        reply = server.get("/events")
        assert reply.status == 400
        assert reply.json()["detail"] == (
            "the query matches over 3 reports: narrow it with from, to, q or outlet"
        )
        assert server.get("/events?q=" + quote("والأسرى")).status == 200
    finally:
        server.stop()


def test_a_token_guards_everything_but_health(api_settings: Settings) -> None:
    guarded = Settings(**{**api_settings.model_dump(), "api_token": "s3cret-token"})
    server = LiveAPI(guarded).start()
    try:
        assert server.get("/health").status == 200
        for path in ("/events", "/openapi.json", f"/stories/{SAMPLE_STORY}", "/timeline"):
            reply = server.get(path)
            assert reply.status == 401, path
            assert reply.headers["www-authenticate"] == "Bearer"
            assert "authorization: a bearer token is required" in reply.json()["detail"]
        wrong = server.get("/events", headers={"Authorization": "Bearer nope"})
        assert wrong.status == 401
        right = server.get("/events", headers={"Authorization": "Bearer s3cret-token"})
        assert right.status == 200 and len(right.json()["entries"]) == 3
    finally:
        server.stop()


def test_redis_credentials_never_reach_responses(tmp_path: Any) -> None:
    """With a password-protected Redis that is down, nothing answered names it."""
    secret = "pw-" + uuid.uuid4().hex
    settings = Settings(
        redis_url=f"redis://:{secret}@127.0.0.1:{free_port()}/0",
        key_prefix="down",
        redis_retry_seconds=0,
    )
    server = LiveAPI(settings).start()
    try:
        replies = [
            server.get(p)
            for p in ("/health", "/events", "/articles/a", "/timeline?q=" + quote("ميناء"))
        ]
        assert [r.status for r in replies] == [503, 503, 503, 503]
        for reply in replies:
            assert secret not in reply.text and "127.0.0.1" not in reply.text
        assert replies[1].json() == {"detail": "store: unavailable, try again later"}
    finally:
        server.stop()


def test_serve_refuses_other_hosts_without_a_token(api_settings: Settings) -> None:
    run = run_cli(api_settings, "serve", "--host", "0.0.0.0", "--port", str(free_port()))
    assert run.returncode == 2
    assert "--host: 0.0.0.0 is reachable from other machines; set TIMELINE_API_TOKEN" in run.stderr


def test_timeline_serve_answers_over_http(live: LiveAPI, api_settings: Settings) -> None:
    """``timeline serve`` as a user runs it, reading TIMELINE_REDIS_URL."""
    port = free_port()
    env = {
        "TIMELINE_REDIS_URL": api_settings.redis_url,
        "TIMELINE_KEY_PREFIX": api_settings.key_prefix,
        "TIMELINE_LOG_FORMAT": "json",
        "PATH": "/usr/bin:/bin",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                reply = call(f"http://127.0.0.1:{port}/stories/{SAMPLE_STORY}?limit=10")
                break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "timeline serve did not answer"
                time.sleep(0.1)
        assert reply.status == 200 and len(reply.json()["entries"]) == 5
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    logged = [json.loads(line) for line in stderr.decode().splitlines() if line.startswith("{")]
    assert any(e.get("event") == "http.request" and e.get("status") == 200 for e in logged)
    assert api_settings.redis_url not in stderr.decode()
