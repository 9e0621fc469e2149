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
