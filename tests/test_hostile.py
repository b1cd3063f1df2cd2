"""Hostile packages the validator must answer correctly: patterns that would backtrack for ever,
Table Schema v2 uniqueKeys, patterns a linear-time engine cannot run."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from decimal import Decimal

import pandas as pd
import pytest

from figpack import cli, fields
from figpack.commands import build, diff, site, sqlite, stamp
from tests.conftest import ROOT, Scratch, copy_package, run_cli

HANG_GUARD = 300  # seconds: a backtracking matcher never ends on these values; this only stops a hung test


def set_schema(scratch: Scratch, name: str, change) -> None:
    path = scratch.root / "schemas" / f"{name}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    change(schema)
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")


def field(schema: dict, name: str) -> dict:
    return next(f for f in schema["fields"] if f["name"] == name)


def validate_stoppable(scratch: Scratch) -> subprocess.CompletedProcess:
    """The command in a process of its own, which HANG_GUARD stops if the matching never ends."""
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
    done = validate_stoppable(scratch)
    assert done.returncode == 1 and "[pattern]" in done.stdout and "Traceback" not in done.stderr


def test_a_pattern_a_linear_time_engine_cannot_run_is_refused_with_its_place(scratch):
    set_schema(scratch, "glossary", lambda s: field(s, "note").setdefault("constraints", {}).update(pattern=r"(a)\1"))
    done = run_cli("validate", str(scratch.root))
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
    assert run_cli("validate", str(scratch.root)).returncode == 2


def test_unique_keys_compare_logical_values_and_skip_rows_with_a_missing_field():
    schema = {
        "fields": [{"name": "a", "type": "number"}, {"name": "b", "type": "string"}],
        "uniqueKeys": [["a", "b"]],
    }
    frame = pd.DataFrame({"a": ["1.50", "1.5", None, None], "b": ["x", "x", "y", "y"]}, dtype="string")
    found = fields.unique_key_failures(schema, frame, "t.csv")
    assert [(f.row, f.rule) for f in found] == [(1, "unique_key")]


# ---------------------------------------------------------------- valid packages, every export, read back

LONG = "a_table_whose_name_is_longer_than_thirty_one"  # two resources share their first 31 characters
FIELDS = [
    {"name": "in", "type": "string"},  # a Stata reserved word
    {"name": "a_field_name_longer_than_thirty_two_characters_1", "type": "number"},
    {"name": "a_field_name_longer_than_thirty_two_characters_2", "type": "integer"},
    {"name": "link", "type": "string", "format": "uri"},
]
ROWS = [
    ["x;y", "996931287", "123456789012345", "https://example.org/a"],
    ["it's", "0.1", "-7", "javascript://%0aalert(1)"],
    ['say "hi", then =1+1', "123456789.012345", "0", ""],
]


def add_table(scratch: Scratch, name: str, path: str, rows: list[list[str]], trailer: str = "") -> None:
    import csv
    import io

    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([[f["name"] for f in FIELDS], *rows])
    (scratch.root / path).write_text(text.getvalue() + trailer, encoding="utf-8")
    (scratch.root / "schemas" / f"{name}.schema.json").write_text(json.dumps({"fields": FIELDS}), encoding="utf-8")
    descriptor = json.loads((scratch.root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append(
        {
            "name": name,
            "title": name,
            "description": f"Test table {name}.",
            "path": path,
            "schema": f"schemas/{name}.schema.json",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
        }
    )
    (scratch.root / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def hostile(scratch) -> Scratch:
    """A valid package with long, reserved and case-colliding names, values with ; ' \" and =, a
    nine-digit whole number, a javascript: URI, and a CSV with a trailing blank line."""
    add_table(scratch, LONG + "_1", "data/long1.csv", ROWS, trailer="\n")
    add_table(scratch, LONG + "_2", "data/long2.csv", ROWS[:1])
    add_table(scratch, "readme", "data/readme.csv", ROWS[1:])
    stamp.stamp(scratch.root)
    result = scratch.validate(None)
    assert result["valid"], result["errors"][:3]
    return scratch


def test_every_value_and_name_survives_every_export(hostile, tmp_path):
    import openpyxl

    out = tmp_path / "out"
    build.build(hostile.root, out)
    sqlite_db, _ = sqlite.build(hostile.root, out)
    tables = {LONG + "_1": ROWS, LONG + "_2": ROWS[:1], "readme": ROWS[1:]}
    book = openpyxl.load_workbook(next(out.glob("*.xlsx")))
    sheet_of = {row[0]: row[1] for row in book["fields"].iter_rows(min_row=2, values_only=True)}
    assert len(set(sheet_of.values())) == len(sheet_of) and all(len(s) <= 31 for s in sheet_of.values())
    names = list(csv_rows(out / "stata" / "names.csv"))
    for table, rows in tables.items():
        # SQLite (frictionless's route): the same text and numbers
        with sqlite3.connect(sqlite_db) as con:
            got = con.execute(f'SELECT * FROM "{table}"').fetchall()
        assert [[str(v) if v is not None else "" for v in row[:1]] for row in got] == [r[:1] for r in rows]
        assert [Decimal(repr(row[1])) for row in got] == [Decimal(r[1]) for r in rows]
        # the workbook: its own sheet, every value
        sheet = book[sheet_of[table]]
        values = list(sheet.iter_rows(min_row=2, values_only=True))
        assert [v[0] for v in values] == [r[0] for r in rows]
        assert [Decimal(repr(v[1])) if isinstance(v[1], float) else Decimal(v[1]) for v in values] == [
            Decimal(r[1]) for r in rows
        ]
        # Stata: safe, unique variable names, recorded, and every number back exactly
        variables = {n["field"]: n["variable"] for n in names if n["table"] == table}
        assert set(variables) == {f["name"] for f in FIELDS} and all(len(v) <= 32 for v in variables.values())
        dta = pd.read_stata(out / "stata" / f"{table}.dta")
        assert list(dta.columns) == [variables[f["name"]] for f in FIELDS]
        number = variables[FIELDS[1]["name"]]
        assert [Decimal(repr(float(v))) for v in dta[number]] == [Decimal(r[1]) for r in rows]
        assert list(dta[variables["in"]]) == [r[0] for r in rows]


def csv_rows(path):
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def test_a_number_a_double_cannot_hold_is_refused(scratch):
    add_table(scratch, "precise", "data/precise.csv", [["x", "1234567890.1234567", "1", ""]])
    stamp.stamp(scratch.root)
    errors = scratch.validate(None)["errors"]
    assert [(e["rule"], e["field"]) for e in errors] == [("number_precision", FIELDS[1]["name"])]


def test_a_resource_name_sqlite_reserves_is_refused(scratch):
    add_table(scratch, "sqlite_stat1", "data/stat.csv", ROWS[:1])
    stamp.stamp(scratch.root)
    assert "resource_name" in {e["rule"] for e in scratch.validate(None)["errors"]}


def test_page_json_ld_cannot_close_its_script_and_no_javascript_link(hostile, tmp_path):
    import shutil

    shutil.copy2(ROOT / "CITATION.cff", hostile.root / "CITATION.cff")
    descriptor = json.loads((hostile.root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["description"] = "a </script><script>alert(1)</script> <!-- and & more"
    (hostile.root / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    sources = hostile.rows("sources")
    hostile.edit("sources", sources[1][1]["source_id"], url="javascript://%0aalert(1)")
    page = site.build(hostile.root, tmp_path / "site", tmp_path / "dist").read_text(encoding="utf-8")
    script = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and json.loads(script)["description"] == descriptor["description"]
    assert 'href="javascript:' not in page.lower()


def test_diff_refuses_a_zip_that_expands_past_its_budget(scratch, tmp_path, monkeypatch, capsys):
    import zipfile

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(scratch.root / "datapackage.json", "p/datapackage.json")
        archive.writestr("p/data/observations.csv", "obs_id\n" + "0" * 5_000_000)
    monkeypatch.setattr(diff, "MAX_ZIP_BYTES", 1_000_000)
    assert cli.main(["diff", str(bomb), str(scratch.root)]) == 2
    assert "expands to more than" in capsys.readouterr().err


def test_diff_prints_no_terminal_escape(scratch, tmp_path, capsys):
    import shutil

    old = tmp_path / "old"
    shutil.copytree(scratch.root, old)
    first = scratch.rows("observations")[1][0]["obs_id"]
    scratch.edit("observations", first, note="\x1b]52;c;evil\x07\x1b[2J")
    header, rows = Scratch(old).rows("observations")
    rows[0]["value_printed"] = "\x1b[31mred"
    Scratch(old).write("observations", header, rows, restamp=False)
    assert cli.main(["diff", str(old), str(scratch.root)]) == 0
    printed = capsys.readouterr()
    assert "\x1b" not in printed.out + printed.err and "\\x1b" in printed.out


def test_query_json_writes_every_duckdb_type_exactly(capsys):
    sql = (
        "SELECT [1.5::DECIMAL(10,2)] AS l, {'a': 2.5::DECIMAL(10,2)} AS s, "
        "'00000000-0000-0000-0000-000000000001'::UUID AS u, '\\xAA'::BLOB AS b, INTERVAL 3 DAY AS i, "
        "'inf'::DOUBLE AS f, MAP {'k': 1} AS m, 12345678901234567890::HUGEINT AS h, 0.1::DECIMAL(38,30) * 3 AS x"
    )
    assert cli.main(["query", "--package", str(ROOT), "--format", "json", sql]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert row["l"] == [1.5] and row["s"] == {"a": 2.5} and row["m"] == {"k": 1}
    assert row["u"] == "00000000-0000-0000-0000-000000000001" and row["b"] == "aa" and row["f"] == "inf"
    assert row["h"] == 12345678901234567890 and row["x"] == 0.3 and row["i"]
    assert cli.main(["query", "--package", str(ROOT), "--format", "csv", sql]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith('[1.5],"{""a"": 2.5}",')


# ---------------------------------------------------------------- the same, for values Hypothesis draws

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

TEXT = st.text(
    st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")) | st.sampled_from("=;'\",\n\t<&"), max_size=30
)
NUMBER = st.from_regex(r"-?(0|[1-9][0-9]{0,8})(\.[0-9]{0,5}[1-9])?", fullmatch=True)
INTEGER = st.integers(-(10**14), 10**14).map(str)


def text_of(value) -> str:
    """A text cell as the CSV has it: an empty cell is missing in every target (None, NaN or '')."""
    return "" if value is None or (isinstance(value, float) and value != value) else value


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(TEXT, NUMBER, INTEGER), min_size=1, max_size=5))
def test_drawn_valid_values_come_back_from_every_export(tmp_path_factory, rows):
    """Valid data into every export and back: SQLite, the workbook, Stata and Parquet hold each value."""
    base = tmp_path_factory.mktemp("drawn")
    scratch = Scratch(copy_package(base / "package"))
    table = [[text, number, integer, ""] for text, number, integer in rows]
    add_table(scratch, "drawn", "data/drawn.csv", table)
    stamp.stamp(scratch.root)
    if not scratch.validate(None)["valid"]:
        return  # e.g. text with leading blanks only; what is refused is the fuzz suite's business
    out = base / "out"
    build.build(scratch.root, out)
    db, _ = sqlite.build(scratch.root, out)
    expected = [(r[0], Decimal(r[1]), int(r[2])) for r in table]
    with sqlite3.connect(db) as con:
        got = con.execute(
            'SELECT "in", a_field_name_longer_than_thirty_two_characters_1, a_field_name_longer_than_thirty_two_characters_2 FROM drawn'
        ).fetchall()
    assert [(text_of(t), Decimal(repr(n)), i) for t, n, i in got] == expected
    parquet = pd.read_parquet(out / "parquet" / "drawn.parquet").iloc[:, :3]
    assert [(text_of(t), n, int(i)) for t, n, i in parquet.itertuples(index=False, name=None)] == expected
    dta = pd.read_stata(out / "stata" / "drawn.dta").iloc[:, :3]
    assert [(t, Decimal(repr(float(n))), int(i)) for t, n, i in dta.itertuples(index=False, name=None)] == expected
    import openpyxl

    sheet = openpyxl.load_workbook(next(out.glob("*.xlsx")), read_only=True)["drawn"]
    cells = [row[:3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [(text_of(t), Decimal(repr(n)) if isinstance(n, float) else Decimal(n), i) for t, n, i in cells] == expected
