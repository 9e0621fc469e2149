"""The contract rejects bad articles with messages naming the field."""

from __future__ import annotations

import json

import pytest

from producer import InvalidArticle, parse_article
from tests.articles import article
from timeline.contract import Article, content_digest, derive_article_id


def parse(raw: object, limit: int = 10_000) -> Article:
    return parse_article(raw, max_text_chars=limit)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"text": None}, "text", "string"),
        ({"text": "   "}, "text", "empty"),
        ({"text": "The minister said on Thursday."}, "text", "no Arabic"),
        ({"text": 42}, "text", "string"),
        ({"published": "2017-05-04T18:00:00"}, "published", "timezone"),
        ({"published": "yesterday-ish"}, "published", "datetime"),
        ({"published": None}, "published", "datetime"),
        ({"id": "has space"}, "id", "pattern"),
        ({"id": "x" * 300}, "id", "at most 200"),
        ({"url": "javascript:alert(1)"}, "url", "http"),
        ({"language": "en"}, "language", "'ar'"),
        ({"outlet": ["a", "b"]}, "outlet", "string"),
    ],
)
def test_bad_field_is_named(change: dict[str, object], field: str, words: str) -> None:
    """Each kind of bad value is rejected with a message that starts with the field name."""
    data = article(1)
    data.update(change)
    with pytest.raises(InvalidArticle) as caught:
        parse(data)
    message = str(caught.value)
    assert message.startswith(f"{field}:"), message
    assert words.lower() in message.lower(), message


def test_missing_fields_are_named() -> None:
    """A missing field is named as missing."""
    with pytest.raises(InvalidArticle, match=r"text: Field required.*published: Field required"):
        parse({"id": "x"})


def test_text_over_the_limit() -> None:
    """Text over the configured size is rejected at the door."""
    with pytest.raises(InvalidArticle, match=r"^text: .*over the limit of 100"):
        parse(article(1, text="خبر " * 100), limit=100)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('"a string"', "expected a JSON object"),
        ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
        ('{"text": "' + "x" * 200_000 + '"}', "document is .* bytes, over the limit"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
    ],
)
def test_malformed_json(raw: str | bytes, words: str) -> None:
    """Malformed documents are rejected with a clear reason, never an exception leak."""
    with pytest.raises(InvalidArticle, match=words):
        parse(raw)


def test_control_characters_are_neutralised() -> None:
    """Control characters in the text become spaces; the article is still valid."""
    parsed = parse(article(1, text="قال\x00 الوزير\x07 أمس"))
    assert "\x00" not in parsed.text and "\x07" not in parsed.text


def test_derived_id_ignores_layout() -> None:
    """The same text with other white space and bidi marks gets the same derived id."""
    a = parse({"text": "قال الوزير  أمس", "published": "2017-05-04T18:00:00+03:00"})
    b = parse({"text": "\u200fقال الوزير أمس\n", "published": "2017-05-04T18:00:00+03:00"})
    assert a.id == b.id == derive_article_id("قال الوزير أمس")


def test_content_digest_is_stable() -> None:
    """Digests stored by earlier versions still match: ids derived from content and the
    duplicate check depend on it (NFKC, no tatweel or bidi marks, white space as one space)."""
    text = "أعلنت الحكومة  أمس\u200f عن خطة\u00a0جديدة\n\n رقم ١٢ لدعم المزارعـين.  "
    assert content_digest(text) == (
        "2b2a3268932cf896139ee7c86683f04c597f367a0d29c18307e222683f304b9d"
    )


def test_content_digest_of_layout_without_marks() -> None:
    """No-break spaces, line breaks and runs of spaces (without bidi marks), with and
    without a compatibility form to normalise, digest as the plain text does."""
    plain = "افتتح المعرض السنوي للكتاب يوم الاثنين ، وزاره ١٠٠٠ شخص لا أقل."
    ligature = (
        "  افتتح\u00a0المعرض   السنوي\n\nللكتاب يوم الاثنين\u00a0\u00a0، وزاره ١٠٠٠ شخص ﻻ أقل.\n"
    )
    spaced = ligature.replace("ﻻ", "لا").replace("افتتح", "افتتـح")
    expected = "14a29baef482d47c5d07cc264c1c9f377baacab1ad6dade382ed6f642a2cbfed"
    assert content_digest(plain) == content_digest(ligature) == content_digest(spaced) == expected


def test_numeric_id_becomes_text() -> None:
    """Scrapers that send numeric ids are accepted."""
    assert parse(article(1, id=1234)).id == "1234"


def test_article_round_trips_as_json() -> None:
    """What the producer stores is what the worker validates."""
    parsed = parse(json.dumps(article(3), ensure_ascii=False))
    assert Article.model_validate_json(parsed.model_dump_json()) == parsed
