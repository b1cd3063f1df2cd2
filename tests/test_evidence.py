"""Evidence spans against the source transcription (needs ../shared/source/), and the copyright rule:
no span over 40 characters or a whole sentence, no sentence of the source anywhere in the project."""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess

import pytest

from tests.conftest import ROOT, SOURCE

SPAN_TABLES = ("observations", "restatements", "projects", "glossary")


def rows(name):
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


SPANS = [(name, row) for name in SPAN_TABLES for row in rows(name)]


def test_source_is_the_transcription_the_package_cites(source_text):
    report = next(r for r in rows("sources") if r["source_id"] == "src-report")
    assert hashlib.sha256(SOURCE.read_bytes()).hexdigest() == report["sha256"]


@pytest.mark.parametrize("name,row", SPANS, ids=lambda x: x if isinstance(x, str) else "")
def test_span_stands_at_its_offsets(source_text, name, row):
    start, end = int(row["evidence_start"]), int(row["evidence_end"])
    assert source_text[start:end] == row["evidence"]


def test_each_observation_span_prints_its_value():
    for row in rows("observations"):
        assert row["value_printed"] in re.sub(r"\s", "", row["evidence"]), row["obs_id"]
    printed = {r["obs_id"]: r["value_printed"] for r in rows("observations")}
    for row in rows("restatements"):
        assert printed[row["obs_id"]] in row["evidence"], row


def test_project_status_stands_in_its_span():
    for row in rows("projects"):
        assert row["status_printed"] in re.sub(r"\s", "", row["evidence"]), row["project_id"]


def sentences(text):
    """The source cut at sentence ends and line breaks, quotes and dashes trimmed."""
    return {s.strip().strip("“”‘’—") for s in re.split(r"[。！？\n]", text) if len(s.strip()) >= 6}


def test_no_span_is_long_or_a_whole_sentence(source_text):
    whole = sentences(source_text)
    for name, row in SPANS:
        span = row["evidence"]
        assert len(span) <= 40, (name, span)
        assert span.strip().strip("“”‘’—，、") not in whole, (name, span)


def project_files():
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    return [ROOT / p for p in listed if (ROOT / p).is_file()]


def test_no_sentence_of_the_source_is_in_the_project(source_text):
    title = next(line for line in source_text.splitlines() if line.startswith("# "))  # a citation must give it
    whole = {s for s in sentences(source_text) if len(s) >= 8 and s != title}
    runs = {s[i : i + 20] for s in whole if len(s) >= 20 for i in range(0, len(s) - 19, 5)}
    for path in project_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        copied = [s for s in whole if s in text]
        assert not copied, f"{path.relative_to(ROOT)} holds a whole sentence of the source: {copied[:2]}"
        if path.parent.name != "data":  # outside the evidence tables, not even a 20-character run
            found = [r for r in runs if r in text]
            assert not found, f"{path.relative_to(ROOT)} copies source text: {found[:3]}"
