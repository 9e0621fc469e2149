"""TimeML export: inline TIMEX3 in the text, the DCT as CREATION_TIME, valid XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from service.cli import app
from timeline.contract import Article
from timeline.extract import extract_timeline
from timeline.timeml import _NOT_XML, to_timeml

TEXT = (
    "أعلن الوزير <الخميس> أن الاتفاق وُقّع في 4 أيار 2017 & أن المحادثات "
    "ستُستأنف الشهر المقبل، بعد أن توقفت أمس."
)
PUBLISHED = "2017-05-04T18:00:00+03:00"


def _document() -> ET.Element:
    article = Article(id="doc-1", text=TEXT, published=datetime.fromisoformat(PUBLISHED))
    return ET.fromstring(to_timeml(article, extract_timeline(article)))


def test_document_is_tempeval_shaped() -> None:
    """The document has DOCID, a DCT TIMEX3 marked CREATION_TIME, and TEXT."""
    root = _document()
    assert root.tag == "TimeML"
    assert root.findtext("DOCID") == "doc-1"
    dct = root.find("DCT/TIMEX3")
    assert dct is not None
    assert dct.get("functionInDocument") == "CREATION_TIME"
    assert dct.get("tid") == "t0"
    assert dct.get("value") == "2017-05-04"


def test_text_is_kept_and_timexes_are_inline() -> None:
    """The TEXT element holds the article verbatim, escaped, with TIMEX3 inside."""
    text = _document().find("TEXT")
    assert text is not None
    assert "".join(text.itertext()) == TEXT
    timexes = {t.text: t.attrib for t in text.iter("TIMEX3")}
    assert timexes["4 أيار 2017"]["value"] == "2017-05-04"
    assert timexes["4 أيار 2017"]["type"] == "DATE"
    assert timexes["4 أيار 2017"]["temporalFunction"] == "false"
    assert timexes["الشهر المقبل"]["value"] == "2017-06"
    assert timexes["الشهر المقبل"]["anchorTimeID"] == "t0"
    assert timexes["أمس"]["value"] == "2017-05-03"
    assert all(a["tid"].startswith("t") for a in timexes.values())


def test_mod_is_exported() -> None:
    """A quantifier or a part (نهاية العام) shows as the mod attribute."""
    article = Article(
        id="doc-2",
        text="وارتفع التضخم مع اقتراب نهاية العام 2016.",
        published=datetime.fromisoformat(PUBLISHED),
    )
    root = ET.fromstring(to_timeml(article, extract_timeline(article)))
    timex = root.find("TEXT/TIMEX3")
    assert timex is not None
    assert timex.get("mod") == "END"
    assert timex.get("value") == "2016"


def test_cli_writes_timeml() -> None:
    """``timeline extract --format timeml`` prints the TimeML document."""
    line = json.dumps({"id": "doc-3", "published": PUBLISHED, "text": TEXT}, ensure_ascii=False)
    result = CliRunner().invoke(app, ["extract", "--jsonl", "--format", "timeml"], input=line)
    assert result.exit_code == 0, result.output
    root = ET.fromstring(result.output.strip())
    assert root.findtext("DOCID") == "doc-3"
    assert root.find("DCT/TIMEX3") is not None


@settings(max_examples=80, deadline=None)
@given(st.text(min_size=1, max_size=200))
def test_any_text_gives_well_formed_xml(noise: str) -> None:
    """Whatever the article holds (markup, quotes, odd code points), the document
    parses and its TEXT is the article's text."""
    text = f"أعلن الوزير أمس {noise} في 4 أيار 2017"
    article = Article(id="doc-4", text=text, published=datetime.fromisoformat(PUBLISHED))
    root = ET.fromstring(to_timeml(article, extract_timeline(article)))
    body = root.find("TEXT")
    assert body is not None
    assert "".join(body.itertext()) == _NOT_XML.sub("", article.text)
