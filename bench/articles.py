"""Synthetic Arabic news articles for benchmarks and reliability runs.

:func:`make_article` is built from sentences written for this project in the style of
wire copy, every one with a relative time expression. :func:`mixed_article` mixes the
rule families' own example sentences (40%) with sentences that hold no time, which
gives about the density of time expressions of real news (one every 150 characters
on the evaluation corpus); the extraction and pipeline benchmarks use it. ``size``
sets the length.
"""

from __future__ import annotations

import random
from functools import cache
from typing import Any

#: sentences with no time in them, so that articles are not all time expressions
FILLER = [
    "وقال المتحدث باسم الوزارة إن الحكومة ملتزمة بتنفيذ الإصلاحات المتفق عليها مع الشركاء.",
    "وأشار التقرير إلى أن الطلب على الخدمات الأساسية تزايد بشكل ملحوظ في المدن الكبرى.",
    "ودعت المنظمات الحقوقية السلطات إلى احترام حرية التعبير والإفراج عن المعتقلين.",
    "وأكد مصدر مطلع أن المفاوضات تناولت ملفات الأمن والاقتصاد وعودة اللاجئين.",
    "ويرى محللون أن ارتفاع أسعار الوقود سيزيد الضغوط على الأسر ذات الدخل المحدود.",
    "ونقلت وكالة الأنباء الرسمية عن مسؤول محلي قوله إن فرق الإنقاذ ما زالت تعمل في المنطقة.",
    "وتسعى الشركة إلى توسيع حصتها في السوق عبر شراكات مع مستثمرين من المنطقة.",
    "وطالب نواب المعارضة بفتح تحقيق مستقل في ملابسات الحادث ومحاسبة المسؤولين عنه.",
]


@cache
def own_sentences() -> tuple[str, ...]:
    """The example and negative sentences of every rule family."""
    from timeline.tagger.grammar import GRAMMAR

    examples = [e["text"] for f in GRAMMAR.families for e in f.examples]
    negatives = [e["text"] for f in GRAMMAR.families for e in f.negatives]
    return tuple(examples + negatives)


def mixed_text(rng: random.Random, size: int) -> str:
    """About ``size`` characters: a family sentence 40% of the time, else a filler."""
    sentences = own_sentences()
    parts: list[str] = []
    length = 0
    while length < size:
        pool = sentences if rng.random() < 0.4 else FILLER
        sentence = rng.choice(pool)
        parts.append(sentence)
        length += len(sentence) + 1
    return " ".join(parts)


def mixed_article(n: int, size: int = 4000, seed: int = 0, **fields: Any) -> dict[str, Any]:
    """A unique article of about ``size`` characters of :func:`mixed_text`."""
    rng = random.Random(seed * 1_000_003 + n)
    head = f"تقرير رقم {n}: متابعة لآخر التطورات\n"
    body = {
        "id": f"bench-{seed}-{n}",
        "outlet": f"Outlet {n % 5}",
        "published": "2017-05-04T18:00:00+03:00",
        "text": head + mixed_text(rng, max(1, size - len(head))),
    }
    body.update(fields)
    return body


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
