"""Small hand-written articles for the service tests."""

from __future__ import annotations

from typing import Any

PUBLISHED = "2017-05-04T18:00:00+03:00"


def article(n: int = 0, **fields: Any) -> dict[str, Any]:
    """A valid article; ``n`` makes its text (and so its derived id) unique."""
    body = {
        "id": f"art-{n}",
        "outlet": "Test Wire",
        "published": PUBLISHED,
        "text": (
            f"أعلنت الحكومة أمس عن خطة جديدة رقم {n} لدعم المزارعين. "
            "وقال وزير الزراعة إن التنفيذ سيبدأ غدا في جميع المحافظات."
        ),
    }
    body.update(fields)
    return body


def story_articles() -> list[dict[str, Any]]:
    """The sample articles of three outlets about one story (``SAMPLE_STORY``)."""
    from service.demo import SAMPLE_STORY, sample_articles

    return [a for a in sample_articles() if a.get("story") == SAMPLE_STORY]


#: an outlet that puts markup and script in what it publishes, about the sample story
HOSTILE = {
    "id": "hostile-2019-03-15",
    "story": "sakhr-truce-2019",
    "outlet": "Sahil <b>Wire</b>",
    "url": "https://news.example.org/hostile?a=1&b=<2>",
    "title": "<script>document.title='pwned'</script> الميناء يفتح",
    "published": "2019-03-15T12:00:00+03:00",
    "text": (
        "أعلنت السلطات اليوم الجمعة فتح ميناء الصخر أمام السفن <script>pwned=1</script> التجارية."
    ),
}
