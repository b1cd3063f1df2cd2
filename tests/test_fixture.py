"""The engine is general: a second, synthetic package (another area, year and code lists, in
tests/fixtures/synthetic) validates, builds, queries and renders with no code change, and a break
in it is reported just as in the real package."""

from __future__ import annotations

import shutil

from figpack import cli, validation
from figpack.commands import build, dist, site
from tests.conftest import ROOT, Scratch

FIXTURE = ROOT / "tests" / "fixtures" / "synthetic"


def test_fixture_validates(capsys):
    assert validation.validate(FIXTURE)["valid"]


def test_fixture_builds_queries_and_renders(tmp_path, capsys):
    out = tmp_path / "dist"
    assert {p.name for p in build.build(FIXTURE, out)} >= {"synthetic-example-2025-report.duckdb", "areas.parquet"}
    assert dist.dist(FIXTURE, out).name == "synthetic-example-2025-report-0.0.1.zip"
    assert (
        cli.main(["query", "--package", str(FIXTURE), "--format", "csv", "SELECT derived_id, value FROM derived"]) == 0
    )
    assert "new-small-firms-2025-share-of-whole,66.67" in capsys.readouterr().out
    page = site.build(FIXTURE, tmp_path / "site", out).read_text(encoding="utf-8")
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
