"""A small Arabic news site on a loopback HTTP server: pages, an RSS and an Atom feed.

The articles were written for these tests (news style, with dates in the forms real
sites use); no text comes from any outlet.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    #: how the page states its date: ("meta"|"json-ld"|"time"|"visible"|"none", value)
    page_date: tuple[str, str]
    outlet: str = "جريدة الاختبار"

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def path(self) -> str:
        return f"/news/{self.slug}.html"


STORIES = {
    story.slug: story
    for story in (
        Story(
            "1001",
            "وزارة الزراعة تطلق خطة لدعم مزارعي القمح",
            (
                "أعلنت وزارة الزراعة أمس الأربعاء عن خطة جديدة لدعم مزارعي القمح في سهل البقاع.",
                "وقال الوزير في مؤتمر صحفي إن المرحلة الأولى ستبدأ في الأول من حزيران المقبل، "
                "على أن تصرف القروض الميسرة قبل نهاية الصيف.",
                "وكانت نقابة المزارعين قد اعتصمت أمام مبنى الوزارة في آذار الماضي للمطالبة "
                "بتعويضات عن خسائر موسم الجفاف.",
            ),
            ("visible", "نشر في: الخميس 4 أيار 2017 - 18:00"),
        ),
        Story(
            "1002",
            "افتتاح معرض الكتاب الدولي بمشاركة 40 دولة",
            (
                "افتتح وزير الثقافة صباح اليوم الأحد معرض الكتاب الدولي في دورته الخامسة "
                "والعشرين بمشاركة أكثر من 400 دار نشر من 40 دولة.",
                "ويستمر المعرض حتى الحادي والعشرين من آب الجاري، وتقام على هامشه ندوات يومية.",
                "وقال مدير المعرض إن التحضيرات بدأت قبل ستة أشهر، وإن عدد الزوار في الدورة "
                "السابقة تجاوز نصف مليون زائر.",
            ),
            ("meta", "2018-08-12T10:05:00+03:00"),
        ),
        Story(
            "1003",
            "البنك المركزي يثبت أسعار الفائدة",
            (
                "قرر البنك المركزي يوم الاثنين الإبقاء على أسعار الفائدة دون تغيير للمرة الثالثة "
                "على التوالي.",
                "وأوضح البنك في بيان أن لجنة السياسة النقدية ستعقد اجتماعها المقبل في السادس "
                "والعشرين من أيلول.",
                "وكان البنك قد رفع الفائدة بنقطة مئوية كاملة في كانون الثاني الماضي لكبح التضخم.",
            ),
            ("json-ld", "2018-08-13T09:30:00+02:00"),
        ),
        Story(
            "1004",
            "انطلاق حملة تطعيم ضد شلل الأطفال",
            (
                "انطلقت صباح اليوم الأربعاء حملة وطنية للتطعيم ضد شلل الأطفال تستهدف أكثر من "
                "مليوني طفل دون سن الخامسة.",
                "وتستمر الحملة خمسة أيام، على أن تتبعها جولة ثانية بعد شهر.",
                "وقالت وزارة الصحة إن فرقها زارت الأسبوع الماضي المناطق النائية لتحديد أعداد "
                "الأطفال.",
            ),
            ("time", "2019-04-03T14:30:00+01:00"),
        ),
        Story(
            "1005",
            "تدشين خط القطار السريع بين العاصمة ووهران",
            (
                "دشن رئيس الحكومة أمس الثلاثاء الخط الجديد للقطار السريع بين العاصمة ومدينة "
                "وهران، بعد أشغال دامت أربع سنوات.",
                "وستنطلق الرحلات التجارية الأولى يوم الأحد المقبل بمعدل ست رحلات يوميا.",
                "وكانت الحكومة قد أعلنت عن المشروع في جانفي 2015.",
            ),
            ("visible", "الأربعاء 3 أفريل 2019 - 14:30"),
            outlet="أخبار الجزائر",
        ),
        Story(
            "1006",
            "بلدية المدينة تعلن إغلاق الطريق الساحلي للصيانة",
            (
                "أعلنت بلدية المدينة أن الطريق الساحلي سيغلق أمام حركة السير اعتبارا من يوم "
                "السبت المقبل ولمدة أسبوعين.",
                "وأوضحت البلدية أن أعمال الصيانة تأجلت مرتين منذ الشتاء الماضي بسبب الأمطار.",
            ),
            ("none", ""),
        ),
    )
}


def page(story: Story) -> str:
    """The article page, stating its date the way the story says."""
    kind, value = story.page_date
    head = [
        '<meta charset="utf-8">',
        f"<title>{escape(story.title)} | {escape(story.outlet)}</title>",
        f'<meta property="og:site_name" content="{escape(story.outlet)}">',
        f'<meta property="og:title" content="{escape(story.title)}">',
    ]
    date_html = ""
    if kind == "meta":
        head.append(f'<meta property="article:published_time" content="{value}">')
    elif kind == "json-ld":
        head.append(
            '<script type="application/ld+json">{"@context": "https://schema.org", '
            f'"@type": "NewsArticle", "headline": "{story.title}", '
            f'"datePublished": "{value}"}}</script>'
        )
    elif kind == "time":
        date_html = f'<time datetime="{value}" class="published">{value[:10]}</time>'
    elif kind == "visible":
        date_html = f'<span class="post-date">{escape(value)}</span>'
    body = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
    return (
        '<!DOCTYPE html><html lang="ar" dir="rtl"><head>'
        + "".join(head)
        + "</head><body>"
        + '<header><a href="/">الرئيسية</a> | <a href="/economy">اقتصاد</a> | '
        + '<a href="/culture">ثقافة</a></header>'
        + f'<main><article id="story-{story.slug}"><h1 class="headline">{escape(story.title)}'
        + f"</h1>{date_html}<div class='body'>{body}</div></article></main>"
        + "<aside><h3>الأكثر قراءة</h3><ul><li>خبر أول</li><li>خبر ثان</li></ul></aside>"
        + "<footer>جميع الحقوق محفوظة</footer></body></html>"
    )


@dataclass
class FeedItem:
    story: Story
    #: the entry's date exactly as the feed states it
    date: str
    #: full text in the feed (content:encoded / Atom content), or only a summary
    full: bool = False


def rss(base: str, title: str, items: list[FeedItem]) -> str:
    entries = []
    for item in items:
        story = item.story
        content = ""
        if item.full:
            body = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
            content = f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        entries.append(
            f"<item><title>{escape(story.title)}</title><link>{base}{story.path}</link>"
            f'<guid isPermaLink="false">rss-{story.slug}</guid>'
            f"<pubDate>{escape(item.date)}</pubDate>"
            f"<description>{escape(story.paragraphs[0][:80])}…</description>{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{escape(title)}</title><link>{base}/</link>"
        "<description>آخر الأخبار</description><language>ar</language>"
        + "".join(entries)
        + "</channel></rss>"
    )


def atom(base: str, title: str, items: list[FeedItem]) -> str:
    entries = []
    for item in items:
        story = item.story
        content = ""
        if item.full:
            body = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
            content = f'<content type="html">{escape(body)}</content>'
        entries.append(
            f"<entry><title>{escape(story.title)}</title>"
            f'<link rel="alternate" href="{base}{story.path}"/>'
            f"<id>tag:test.example,2019:{story.slug}</id>"
            f"<published>{escape(item.date)}</published><updated>{escape(item.date)}</updated>"
            f"<summary>{escape(story.paragraphs[0][:80])}…</summary>{content}</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>{base}/atom.xml</id>"
        f"<updated>2019-04-03T14:30:00Z</updated>" + "".join(entries) + "</feed>"
    )


@dataclass
class Site:
    """Serves ``routes`` (path → (content type, body)) on 127.0.0.1; change them any time."""

    routes: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def set(self, path: str, body: str, content_type: str = "text/html; charset=utf-8") -> None:
        self.routes[path] = (content_type, body.encode("utf-8"))

    def add_pages(self) -> None:
        for story in STORIES.values():
            self.set(story.path, page(story))

    def start(self) -> Site:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                found = site.routes.get(self.path.split("?")[0])
                if found is None:
                    self.send_error(404)
                    return
                content_type, body = found
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def rfc822(moment: datetime) -> str:
    return format_datetime(moment)
