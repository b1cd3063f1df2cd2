"""Hostile packages the validator must answer correctly: patterns that would backtrack for ever,
Table Schema v2 uniqueKeys, patterns a linear-time engine cannot run."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

from figpack import fields
from tests.conftest import Scratch

HANG_GUARD = 300  # seconds: a backtracking matcher never ends on these values; this only stops a hung test


def set_schema(scratch: Scratch, name: str, change) -> None:
    path = scratch.root / "schemas" / f"{name}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    change(schema)
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")


def field(schema: dict, name: str) -> dict:
    return next(f for f in schema["fields"] if f["name"] == name)


def validate(scratch: Scratch) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "figpack.cli", "validate", str(scratch.root)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
    )


def test_a_pattern_that_backtracks_catastrophically_is_matched_in_linear_time(scratch):
    """`^(\\w+\\s?)+$` on a 60-character note with a final '.' never ends in a backtracking engine."""
    set_schema(
        scratch, "glossary", lambda s: field(s, "note").setdefault("constraints", {}).update(pattern=r"^(\w+\s?)+$")
    )
    scratch.edit("glossary", scratch.rows("glossary")[1][0]["term_id"], note="a" * 60 + ".")
    done = validate(scratch)
    assert done.returncode == 1 and "[pattern]" in done.stdout and "Traceback" not in done.stderr


def test_a_pattern_a_linear_time_engine_cannot_run_is_refused_with_its_place(scratch):
    set_schema(scratch, "glossary", lambda s: field(s, "note").setdefault("constraints", {}).update(pattern=r"(a)\1"))
    done = validate(scratch)
    assert done.returncode == 2 and "glossary.schema.json" in done.stdout and "RE2" in done.stdout


def test_a_duplicate_under_a_unique_key_is_invalid(scratch):
    set_schema(scratch, "glossary", lambda s: s.update(uniqueKeys=[["term_zh"]]))
    assert scratch.validate()["valid"]
    rows = scratch.rows("glossary")[1]
    line = scratch.edit("glossary", rows[3]["term_id"], term_zh=rows[2]["term_zh"])
    errors = [e for e in scratch.validate()["errors"] if e["rule"] == "unique_key"]
    assert [(e["line"], e["field"]) for e in errors] == [(line, "term_zh")]


def test_a_unique_key_naming_no_field_cannot_be_read(scratch):
    set_schema(scratch, "glossary", lambda s: s.update(uniqueKeys=[["no_such_field"]]))
    assert validate(scratch).returncode == 2


def test_unique_keys_compare_logical_values_and_skip_rows_with_a_missing_field():
    schema = {
        "fields": [{"name": "a", "type": "number"}, {"name": "b", "type": "string"}],
        "uniqueKeys": [["a", "b"]],
    }
    frame = pd.DataFrame({"a": ["1.50", "1.5", None, None], "b": ["x", "x", "y", "y"]}, dtype="string")
    found = fields.unique_key_failures(schema, frame, "t.csv")
    assert [(f.row, f.rule) for f in found] == [(1, "unique_key")]
