"""Synthetic Arabic news articles for benchmarks and reliability runs.

Built from sentences written for this project in the style of wire copy, with
the relative time expressions real articles carry. ``size`` sets the length.
"""

from __future__ import annotations

import random
from typing import Any

SENTENCES = [
    "أعلنت وزارة الخارجية أمس عن استئناف المفاوضات بين الطرفين في العاصمة.",
    "وقال المتحدث باسم الحكومة إن الاجتماع المقبل سيعقد الأحد المقبل بحضور الوسطاء.",
    "وكانت الفصائل قد علقت مشاركتها قبل يومين احتجاجا على القصف المتواصل.",
    "وأكد مصدر دبلوماسي أن الاتفاق الذي تم التوصل إليه نهاية العام الماضي ما زال صامدا.",
    "وفي اليوم التالي، عقد وزير الداخلية مؤتمرا صحفيا أعلن فيه نتائج التحقيق.",
    "وارتفعت أسعار النفط بنحو 3 في المائة خلال الأسبوع الماضي بعد تراجع المخزونات.",
    "ومن المقرر أن يصوت البرلمان على مشروع القانون مطلع الشهر المقبل.",
    "وأشار التقرير إلى أن عدد الزوار ارتفع في 15 مارس 2018 إلى مستوى قياسي.",
    "وذكرت وكالة الأنباء الرسمية أن الرئيس استقبل صباح الخميس وفدا من رجال الأعمال.",
    "وبعد ساعات على إعلان القرار، خرج المئات إلى الشوارع في عدة مدن.",
    "وأوضح المدير التنفيذي أن الشركة ستعلن نتائجها المالية في منتصف أبريل.",
    "وتستمر الدورة التدريبية ثلاثة أيام وتنطلق يوميا على الساعة العاشرة صباحا.",
    "وكان مجلس الأمن قد دعا في 8 شعبان 1438 هـ إلى وقف فوري لإطلاق النار.",
    "وشهدت المنطقة منذ ثلاثة أسابيع موجة من الأمطار الغزيرة أدت إلى إغلاق الطرق.",
    "ونقلت صحيفة محلية عن مسؤول في البلدية قوله إن أعمال الصيانة ستنتهي غدا.",
]


def make_article(n: int, size: int = 4000, seed: int = 0, **fields: Any) -> dict[str, Any]:
    """A unique article of about ``size`` characters (its number is in the text)."""
    rng = random.Random(seed * 1_000_003 + n)
    parts = [f"تقرير رقم {n}: متابعة لآخر التطورات\n"]
    length = len(parts[0])
    while length < size:
        sentence = rng.choice(SENTENCES)
        parts.append(sentence + (" " if rng.random() < 0.8 else "\n\n"))
        length += len(parts[-1])
    body = {
        "id": f"bench-{seed}-{n}",
        "outlet": f"Outlet {n % 5}",
        "published": "2018-03-22T14:00:00+02:00",
        "text": "".join(parts)[:size],
    }
    body.update(fields)
    return body
