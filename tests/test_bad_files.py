"""Bad files get one clear line naming the file and the cause, never a traceback; exit codes are 0, 1, 2."""

from __future__ import annotations

import json

import pytest

from figpack import cli
from figpack.commands import stamp
from tests.conftest import run_cli

OBS = "data/observations.csv"


def validate_cli(root, *args):
    done = run_cli("validate", str(root), *args)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def only_rule(result, rule, file=OBS):
    hits = [e for e in result["errors"] if e["rule"] == rule and e["file"] == file]
    assert hits, result["errors"]
    return hits


def rewrite(scratch, transform, restamp=True):
    path = scratch.root / OBS
    path.write_bytes(transform(path.read_bytes()))
    if restamp:
        stamp.stamp(scratch.root)


def test_gb18030_file_is_named_with_its_encoding(scratch):
    rewrite(scratch, lambda b: b.decode("utf-8").encode("gb18030"))
    (hit,) = only_rule(scratch.validate(), "utf8_encoding")
    assert "GB18030" in hit["message"] and hit["line"] == 2


def test_bom_is_reported(scratch):
    rewrite(scratch, lambda b: b"\xef\xbb\xbf" + b)
    (hit,) = only_rule(scratch.validate(), "no_bom")
    assert hit["line"] == 1


def test_crlf_line_ends_are_reported(scratch):
    rewrite(scratch, lambda b: b.replace(b"\n", b"\r\n"))
    only_rule(scratch.validate(), "lf_line_ends")


def test_empty_file_is_reported(scratch):
    rewrite(scratch, lambda b: b"")
    only_rule(scratch.validate(), "file_not_empty")


def test_missing_file_is_reported(scratch):
    (scratch.root / OBS).unlink()
    result = scratch.validate()
    only_rule(result, "file_exists")
    assert "foreign_keys_resolve" not in {e["rule"] for e in result["errors"]}  # no cascade of false alarms


@pytest.mark.parametrize(
    "change,expected",
    [
        (lambda h: h + ",extra", "extra column 'extra'"),
        (lambda h: h.replace(",note", ""), "column 'note' of the Table Schema is missing"),
        (lambda h: h.replace("value_base", "base_value"), "named 'base_value' where the schema has 'value_base'"),
    ],
)
def test_header_problems_name_the_column(scratch, change, expected):
    def transform(raw):
        head, rest = raw.decode("utf-8").split("\n", 1)
        return (change(head) + "\n" + rest).encode("utf-8")

    rewrite(scratch, transform)
    hits = only_rule(scratch.validate(), "header_matches_schema")
    assert any(expected in h["message"] and h["line"] == 1 for h in hits), hits


def test_hash_and_bytes_mismatch_are_reported(scratch):
    rewrite(scratch, lambda b: b.replace("10.38万户".encode(), "10.39万户".encode(), 1), restamp=False)
    result = scratch.validate()
    only_rule(result, "hash_match")
    assert {e["rule"] for e in result["errors"]} >= {"hash_match"}


def test_same_size_edit_is_caught_by_the_hash(scratch):
    rewrite(scratch, lambda b: b.replace(b"103800", b"103900", 1), restamp=False)
    rules = {e["rule"] for e in scratch.validate()["errors"]}
    assert "hash_match" in rules and "bytes_match" not in rules


def test_text_in_a_number_field(scratch):
    line = scratch.edit("observations", "new-market-entities-2023", value_base="103,800")
    (hit,) = [e for e in only_rule(scratch.validate(), "type_number") if e["field"] == "value_base"]
    assert hit["line"] == line and hit["value"] == "103,800"


def test_broken_descriptor_exits_2_with_its_position(scratch):
    path = scratch.root / "datapackage.json"
    path.write_text(path.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    done = validate_cli(scratch.root)
    assert done.returncode == 2
    assert done.stdout.startswith("CANNOT READ THE PACKAGE") and "line" in done.stdout and "column" in done.stdout


def test_missing_descriptor_exits_2(tmp_path):
    done = validate_cli(tmp_path)
    assert done.returncode == 2 and "datapackage.json: file not found" in done.stdout


def test_exit_codes_and_json_report(scratch):
    assert validate_cli(scratch.root).returncode == 0
    line = scratch.edit("observations", "new-market-entities-2023", value_base=103000)
    done = validate_cli(scratch.root, "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["valid"] is False
    assert {
        "file": OBS,
        "line": line,
        "field": "value_base",
        "value": "103000",
        "rule": "base_equals_value_times_multiplier",
    }.items() <= report["errors"][0].items()


def test_text_report_names_file_line_field_value_rule(scratch):
    line = scratch.edit("observations", "new-market-entities-2023", value_base=103000)
    done = validate_cli(scratch.root)
    assert f"{OBS}:{line}: value_base='103000' [base_equals_value_times_multiplier] expected 103800" in done.stdout


def test_a_source_with_another_hash_is_a_failure_not_a_silent_skip(scratch, tmp_path):
    other = tmp_path / "other.md"
    other.write_text("not the report", encoding="utf-8")
    result = scratch.validate(source=other)
    (hit,) = only_rule(result, "source_hash_matches", "data/sources.csv")
    assert hit["field"] == "sha256" and hit["line"] == 2


def test_stamp_with_a_missing_file_writes_nothing(scratch):
    before = (scratch.root / "datapackage.json").read_bytes()
    (scratch.root / OBS).unlink()
    assert cli.main(["stamp", str(scratch.root / "datapackage.json")]) == 2
    assert (scratch.root / "datapackage.json").read_bytes() == before


def test_ragged_row_is_named(scratch):
    rewrite(scratch, lambda b: b + b"one,two\n")
    (hit,) = only_rule(scratch.validate(), "csv_well_formed")
    assert "columns" in hit["message"]


def test_query_on_a_broken_csv_says_so(scratch, capsys):

    scratch.edit("observations", "new-market-entities-2023", value_base="lots")
    assert cli.main(["query", "--package", str(scratch.root), "SELECT 1"]) == 1
    assert "the package is not valid" in capsys.readouterr().err
