"""`timeline extract` and `timeline schema`: the in-process path the scorer runs."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.articles import PUBLISHED, article
from tests.conftest import ROOT


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_extract_jsonl_follows_the_contract() -> None:
    """One timeline line per article line, in order, with the contract's fields."""
    lines = [
        {"id": a["id"], "published": a["published"], "text": a["text"]}
        for a in (article(1), article(2))
    ]
    done = run("extract", "--jsonl", stdin="".join(json.dumps(x) + "\n" for x in lines))
    assert done.returncode == 0, done.stderr
    out = [json.loads(x) for x in done.stdout.splitlines()]
    assert [o["article_id"] for o in out] == ["art-1", "art-2"]
    for o, source in zip(out, lines, strict=True):
        assert o["published"] == PUBLISHED and o["schema_version"]
        for t in o["time_expressions"]:
            assert source["text"][t["start"] : t["end"]] == t["text"]
            assert {"type", "value", "mod", "earliest", "latest", "anchor"} <= set(t)
        for e in o["events"]:
            trigger = e["trigger"]
            assert source["text"][trigger["start"] : trigger["end"]] == trigger["text"]


def test_extract_jsonl_keeps_alignment_on_bad_lines() -> None:
    """A bad line gets an error line in its place (naming the field) and exit code 1."""
    good = json.dumps(article(1), ensure_ascii=False)
    bad = json.dumps({"id": "x", "published": "2017-05-04", "text": "نص"})
    done = run("extract", "--jsonl", stdin=f"{good}\n{bad}\n{good}\n")
    assert done.returncode == 1
    out = [json.loads(x) for x in done.stdout.splitlines()]
    assert len(out) == 3 and out[1]["line"] == 2 and out[1]["error"].startswith("published:")
    assert "line 2: published:" in done.stderr


def test_extract_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.txt"
    path.write_text("قال الوزير أمس إن الاجتماع سيعقد غدا.", encoding="utf-8")
    done = run("extract", str(path), "--published", PUBLISHED)
    timeline = json.loads(done.stdout)
    assert [t["value"] for t in timeline["time_expressions"]][:1] == ["2017-05-03"]


def test_extract_file_errors_are_clear(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.txt"
    path.write_text("قال الوزير أمس", encoding="utf-8")
    naive = run("extract", str(path), "--published", "2017-05-04T10:00")
    assert naive.returncode == 2 and "published:" in naive.stderr
    garbage = run("extract", str(path), "--published", "soon")
    assert garbage.returncode == 2 and "published:" in garbage.stderr
    missing = run("extract", str(tmp_path / "nope.txt"), "--published", PUBLISHED)
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    english = tmp_path / "en.txt"
    english.write_text("The minister spoke yesterday.", encoding="utf-8")
    non_arabic = run("extract", str(english), "--published", PUBLISHED)
    assert non_arabic.returncode == 2 and "text: text contains no Arabic" in non_arabic.stderr


def test_schema_describes_the_contract() -> None:
    done = run("schema")
    schema = json.loads(done.stdout)
    definitions = schema["$defs"]
    assert {"Article", "Timeline", "TimeExpression", "Event"} <= set(definitions)
    expression = definitions["TimeExpression"]["properties"]
    assert {"earliest", "latest", "anchor"} <= set(expression)
    assert "schema_version" in definitions["Timeline"]["properties"]
