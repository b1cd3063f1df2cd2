"""The engine is general: a second, synthetic package (another area, year and code lists, in
tests/fixtures/synthetic) validates, builds, queries and renders with no code change, and a break
in it is reported just as in the real package."""

from __future__ import annotations

import json
import shutil

import pytest

from figpack import cli, validation
from tests.conftest import ROOT, Scratch

FIXTURE = ROOT / "tests" / "fixtures" / "synthetic"


def test_fixture_validates(capsys):
    assert validation.validate(FIXTURE)["valid"]


def test_fixture_builds_queries_and_renders(tmp_path, capsys):
    """build, dist and site as a user runs them, on a copy of the fixture: each succeeds and holds
    the fixture's own figures."""
    package, out = tmp_path / "package", tmp_path / "dist"
    shutil.copytree(FIXTURE, package)
    for verb in ("build", "dist"):
        assert cli.main([verb, "--package", str(package), "--out", str(out)]) == 0, capsys.readouterr()
    assert {p.name for p in out.rglob("*")} >= {
        "synthetic-example-2025-report.duckdb",
        "areas.parquet",
        "synthetic-example-2025-report-0.0.1.zip",
    }
    assert (
        cli.main(["query", "--package", str(package), "--format", "csv", "SELECT derived_id, value FROM derived"]) == 0
    )
    assert "new-small-firms-2025-share-of-whole,66.67" in capsys.readouterr().out
    assert cli.main(["site", "--package", str(package), "--out", str(tmp_path / "site"), "--dist", str(out)]) == 0
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "示例市的位次" in page and "驻马店" not in page and "henan-18" not in page


def test_a_break_in_the_fixture_is_reported(tmp_path):
    scratch = Scratch(tmp_path / "package")
    shutil.copytree(FIXTURE, scratch.root)
    line = scratch.edit("observations", "new-firms-2025", value_base=12001)
    errors = scratch.validate(None)["errors"]
    assert any(
        e["rule"] == "base_equals_value_times_multiplier" and e["line"] == line and e["file"] == "data/observations.csv"
        for e in errors
    )
    scratch.edit("observations", "output-rank-2025h1", value=6, value_base=6, value_printed="6")
    assert "rank_within_universe" in {
        e["rule"] for e in scratch.validate(None)["errors"]
    }  # of 5 units, by its own code list


def test_fixture_schemas_are_the_real_ones_but_for_declared_overrides():
    """The fixture cannot drift from the real Table Schemas: only the constraints listed in
    schema-overrides.json (report-specific code lists) may differ."""
    overrides = json.loads((FIXTURE / "schema-overrides.json").read_text(encoding="utf-8"))
    for path in sorted((ROOT / "schemas").glob("*.schema.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        resource = path.name.removesuffix(".schema.json")
        for field in expected["fields"]:
            field.setdefault("constraints", {}).update(
                overrides.get(resource, {}).get(field["name"], {}).get("constraints", {})
            )
            if not field["constraints"]:
                del field["constraints"]
        assert json.loads((FIXTURE / "schemas" / path.name).read_text(encoding="utf-8")) == expected, path.name


@pytest.mark.parametrize("verb", ["sqlite", "csvw", "sql-schema"])  # build, dist, site: the test above
def test_every_publishing_verb_succeeds_on_the_fixture(tmp_path, verb, capsys):
    package = tmp_path / "package"
    shutil.copytree(FIXTURE, package)
    out = tmp_path / "out"
    extra = {"csvw": [], "sql-schema": []}
    assert cli.main([verb, "--package", str(package), *extra.get(verb, ["--out", str(out)])]) == 0, capsys.readouterr()
    written = [p for p in tmp_path.rglob("*") if p.is_file() and "package" not in p.relative_to(tmp_path).parts[:1]]
    assert written or verb in ("csvw", "sql-schema")
