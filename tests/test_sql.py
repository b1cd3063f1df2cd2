"""DuckDB: generated table types, example queries with their expected results, derived figures
against hand computation, read-only queries, and exports that give back every value exactly."""

from __future__ import annotations

import csv
import hashlib
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from figpack import cli
from figpack.commands import build
from figpack.package import load_descriptor
from figpack.sql import connect, tables_sql
from tests.conftest import ROOT

DESCRIPTOR = load_descriptor(ROOT)
NAMES = [r["name"] for r in DESCRIPTOR["resources"]]
DB_NAME = f"{DESCRIPTOR['name']}.duckdb"
XLSX_NAME = f"{DESCRIPTOR['name']}.xlsx"


@pytest.fixture(scope="session")
def con():
    return connect(ROOT)


@pytest.fixture(scope="session")
def dist(dist_dir):
    return dist_dir


def run(con, path):
    return con.execute((ROOT / "sql" / "examples" / path).read_text(encoding="utf-8")).fetchall()


def test_tables_sql_is_generated_from_the_table_schemas():
    assert (ROOT / "sql" / "tables.sql").read_text(encoding="utf-8") == tables_sql(ROOT, absolute=False)


def test_column_types_follow_the_table_schemas(con):
    types = dict(
        con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'observations'").fetchall()
    )
    assert types["value_base"] == "DECIMAL(38,10)" and types["period_start"] == "DATE"
    assert types["evidence_start"] == "BIGINT" and types["obs_id"] == "VARCHAR"


EXPECTED = {
    "01_ranks_best_first.sql": lambda rows: (
        len(rows) == 17 and [r[0] for r in rows] == sorted(r[0] for r in rows) and rows[0][0] == 1 and rows[-1][0] == 7
    ),
    "02_first_in_henan.sql": lambda rows: (
        {r[1] for r in rows}
        == {
            "Days of heavy air pollution: provincial rank",
            "Elimination of oversized classes: provincial rank",
            "No-visit approvals share: provincial rank",
            "Soil and water conservation: provincial rank",
            "Tertiary-industry value-added growth: provincial rank",
        }
    ),
    "03_growth_rates.sql": lambda rows: (
        [(r[1], r[2]) for r in rows]
        == [(Decimal("27.2"), "1-11月"), (Decimal("15.55"), None), (Decimal("8.79"), "1-11月")]
    ),
    "04_money_in_yuan.sql": lambda rows: [r[2] for r in rows] == [232700000000, 100000000000, 12000000000, 1600000000],
    "05_business_environment.sql": lambda rows: (
        len(rows) == 10
        and sorted(r[1] for r in rows if r[0] == "Business-environment evaluation: provincial rank") == ["5", "6", "7"]
    ),
    "06_inferences.sql": lambda rows: (
        [r[0] for r in rows]
        == [
            "biomedicine-cluster-target",
            "business-env-rank-series-1",
            "business-env-rank-series-2",
            "heavy-pollution-days-rank-2023",
            "hengdu-beef-4-annual-output-capacity",
            "hengdu-beef-4-scale-claim",
            "new-enterprises-growth-2023",
            "out-of-province-funds-growth-2023m1m11",
            "rd-coverage-rank-2023",
            "sangeyipi-production",
            "sangeyipi-projects",
            "sangeyipi-rounds",
            "sangeyipi-start-rate",
            "tertiary-va-growth-rank-2023q1q3",
        ]
    ),
    "07_figures_stated_twice.sql": lambda rows: len(rows) == 23 and rows[0] == ("business-env-rank-2023", 3),
    "08_projects.sql": lambda rows: (
        len(rows) == 8
        and dict((r[0], r[2]) for r in rows)["恒都肉牛四期项目"] == "120亿元; 全球最大的牛肉精深加工基地; 16亿元"
    ),
    "09_unknown_periods.sql": lambda rows: len(rows) == 16 and "business-env-rank-series-1" in [r[0] for r in rows],
    "10_derived.sql": lambda rows: len(rows) == 7,
}


def test_there_are_at_least_eight_examples_each_with_its_question():
    files = sorted((ROOT / "sql" / "examples").glob("*.sql"))
    assert len(files) >= 8 and {f.name for f in files} == set(EXPECTED)
    for f in files:
        assert f.read_text(encoding="utf-8").startswith("-- ") and "?" in f.read_text(encoding="utf-8").splitlines()[0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_returns_its_expected_result(con, name):
    assert EXPECTED[name](run(con, name))


def test_derived_figures_match_hand_computation(con):
    got = dict(con.execute("SELECT derived_id, value FROM derived").fetchall())
    hand = {  # by hand from the printed figures, one per relation that indicators.csv declares
        "rd-coverage-change-2023-level-before": Decimal("81.9") - Decimal("15"),
        "pharma-valley-projects-change-2023-11-30-level-before": Decimal(85 - 34),
        "academicians-recruited-2023-level-before": Decimal(29 - 6),
        "signed-projects-investment-2023m1m11-average-per-item": (Decimal(232700000000) / Decimal(401)).quantize(
            Decimal("0.01")
        ),
        "new-enterprises-2023-share-of-whole": (Decimal("2.15") / Decimal("10.38") * 100).quantize(Decimal("0.01")),
        "key-project-evaluation-firsts-share-of-whole": Decimal(50),
        "key-project-evaluation-seconds-share-of-whole": Decimal(50),
    }
    assert got == hand
    assert {r[0] for r in con.execute("SELECT DISTINCT status FROM derived").fetchall()} == {"derived"}


def test_a_query_cannot_write_or_read_files(tmp_path):
    before = hashlib.sha256((ROOT / "data" / "observations.csv").read_bytes()).hexdigest()
    for sql in (
        "COPY observations TO 'data/observations.csv' (HEADER)",
        f"COPY observations TO '{tmp_path}/x.csv'",
        "SET enable_external_access = true",
        "SELECT * FROM read_csv('data/observations.csv')",
    ):
        assert cli.main(["query", sql]) == 1, sql
    assert hashlib.sha256((ROOT / "data" / "observations.csv").read_bytes()).hexdigest() == before
    assert not (tmp_path / "x.csv").exists()


def test_query_formats(capsys):
    for form, check in [
        ("csv", "rank,name_en\n1,"),
        ("json", '"rank": 1'),
        ("markdown", "| rank | name_en |"),
        ("table", "(5 rows)"),
    ]:
        assert (
            cli.main(["query", "SELECT rank, name_en FROM ranks WHERE rank = 1 ORDER BY name_en", "--format", form])
            == 0
        )
        assert check in capsys.readouterr().out


# ---------------------------------------------------------------- exports: every value back exactly


def csv_rows(name):
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return [[None if v == "" else v for v in row.values()] for row in csv.DictReader(f)]


def same(original: str | None, value) -> bool:
    if original is None:
        return value is None or value == ""
    if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
        return Decimal(original) == (Decimal(repr(value)) if isinstance(value, float) else Decimal(value))
    if isinstance(value, bool):
        return str(value).lower() == original
    if isinstance(value, datetime):  # a spreadsheet date
        return value.time() == datetime.min.time() and value.date().isoformat() == original
    if isinstance(value, date):
        return value.isoformat() == original
    return str(value) == original


def assert_round_trip(name, rows):
    expected = csv_rows(name)
    assert len(rows) == len(expected), name
    for want, got in zip(expected, rows):
        assert all(same(w, g) for w, g in zip(want, got)), (name, want, got)


@pytest.mark.parametrize("name", NAMES)
def test_duckdb_database_gives_back_every_value(dist, name):
    with duckdb.connect(str(dist / DB_NAME), read_only=True) as db:
        assert_round_trip(name, db.execute(f"SELECT * FROM {name}").fetchall())


@pytest.mark.parametrize("name", NAMES)
def test_parquet_gives_back_every_value(dist, name):
    rows = (
        duckdb.connect().execute(f"SELECT * FROM read_parquet('{dist / 'parquet' / (name + '.parquet')}')").fetchall()
    )
    assert_round_trip(name, rows)


@pytest.mark.parametrize("name", NAMES)
def test_workbook_gives_back_every_value(dist, name):
    from openpyxl import load_workbook

    sheet = load_workbook(dist / XLSX_NAME, read_only=True)[name]
    rows = list(sheet.iter_rows(values_only=True))  # numbers as numbers, dates as dates
    assert list(rows[0]) == [
        f["name"]
        for f in __import__("json").loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))[
            "fields"
        ]
    ]
    assert_round_trip(name, rows[1:])


def test_database_comments_come_from_field_descriptions(dist):
    with duckdb.connect(str(dist / DB_NAME), read_only=True) as db:
        comment = db.execute(
            "SELECT comment FROM duckdb_columns() WHERE table_name = 'observations' AND column_name = 'value_base'"
        ).fetchall()[0][0]
    assert comment.startswith("value x 10^unit_multiplier")


def test_exports_are_reproducible(dist, tmp_path):
    files = sorted(dist.glob("parquet/*.parquet")) + [dist / XLSX_NAME]
    before = {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    build.build(ROOT, tmp_path)
    again = sorted(tmp_path.glob("parquet/*.parquet")) + [tmp_path / XLSX_NAME]
    assert {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in again} == before


def test_the_duckdb_cli_the_readme_names_opens_the_database(dist):
    cli = Path(__import__("sys").executable).with_name("duckdb")
    if not cli.exists():
        pytest.skip("duckdb CLI not installed in this environment")
    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True).stdout
    assert version.startswith("v1.5.6") and "v1.5.6" in (ROOT / "README.md").read_text(encoding="utf-8")
    lock = ["-cmd", "SET enable_external_access = false", "-cmd", "SET lock_configuration = true"]  # as `make sql`
    db = str(dist / DB_NAME)
    done = subprocess.run(
        [str(cli), "-readonly", db, *lock, "-csv", "-c", "SELECT count(*) FROM ranks"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.strip().splitlines()[-1] == "17", done.stderr
    done = subprocess.run(
        [str(cli), "-readonly", db, *lock, "-c", "COPY ranks TO 'data/observations.csv'"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert "disabled by configuration" in done.stdout + done.stderr


def test_corroborated_view_sets_each_figure_beside_the_document(con):
    rows = con.execute(
        "SELECT obs_id, verdict, report_value, document_value, report_period_status, document_period_status "
        "FROM corroborated"
    ).fetchall()
    n_obs = con.execute("SELECT count(*) FROM observations").fetchone()[0]
    assert len(rows) == n_obs and len({r[0] for r in rows}) == n_obs
    by_id = {r[0]: r for r in rows}
    assert by_id["business-env-rank-2023"][1:4] == ("agrees", Decimal(5), Decimal(5))
    assert by_id["gdp-growth-rank-2023q1q3"][1:4] == ("other_period", Decimal(5), Decimal(6))
    assert by_id["rd-coverage-rate-2023"][1:4] == ("other_period", Decimal("81.9"), Decimal("64.8"))
    assert sum(r[1] != "nothing_found" for r in rows) == 10  # the committee's report 6, the city's news site 4
