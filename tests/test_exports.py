"""Downloads for readers without Frictionless: CSVW metadata, the workbook's README and fields
sheets, Stata files that give back every value, the README's reading recipes, and a release zip
that carries them all, byte for byte reproducible."""

from __future__ import annotations

import re
import zipfile

import pandas as pd
import pytest

from figpack.commands import csvw, dist
from figpack.package import load_descriptor
from tests.conftest import ROOT
from tests.test_sql import NAMES, XLSX_NAME, assert_round_trip

DESCRIPTOR = load_descriptor(ROOT)


def test_csv_metadata_is_generated_from_the_table_schemas():
    assert (ROOT / "csv-metadata.json").read_text(encoding="utf-8") == csvw.text(ROOT), "run 'make csvw'"


def test_csvw_reads_every_table_with_its_types_and_keys(monkeypatch):
    from csvw import TableGroup

    monkeypatch.chdir(ROOT)
    group = TableGroup.from_file(ROOT / "csv-metadata.json")
    counts = {}
    for table in group.tables:
        rows = list(table.iterdicts(strict=True))
        counts[table.url.string] = len(rows)
        if table.url.string == "data/observations.csv":
            first = rows[0]
            assert first["area_code"] == "411700" and isinstance(first["reference_year"], int)
            assert str(first["period_start"].date()) == "2023-01-01"
    assert group.check_referential_integrity(strict=True)  # what a user of the strict validator runs
    assert set(counts) == {r["path"] for r in DESCRIPTOR["resources"]}


@pytest.mark.parametrize("name", NAMES)
def test_stata_file_gives_back_every_value(dist_dir, name):
    reader = pd.io.stata.StataReader(dist_dir / "stata" / f"{name}.dta")
    with reader:
        frame = reader.read(convert_missing=False)
        labels = reader.variable_labels()
        assert reader.data_label
    kinds = [
        f.get("type")
        for f in __import__("json").loads((ROOT / "schemas" / f"{name}.schema.json").read_text())["fields"]
    ]

    def value(v, kind):
        if isinstance(v, str):
            return v or None
        if pd.isna(v):
            return None
        if kind == "boolean":  # Stata has no boolean: 1 and 0
            return bool(v)
        return v.date() if hasattr(v, "date") else v

    rows = [tuple(value(v, k) for v, k in zip(row, kinds)) for row in frame.itertuples(index=False)]
    assert_round_trip(name, rows)
    schema = __import__("json").loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert labels == {f["name"]: f["title"][:80] for f in schema["fields"]}


def test_workbook_has_a_readme_and_a_fields_sheet(dist_dir):
    from openpyxl import load_workbook

    book = load_workbook(dist_dir / XLSX_NAME)
    assert book.sheetnames[:2] == ["README", "fields"] and set(NAMES) <= set(book.sheetnames)
    readme = list(book["README"].iter_rows(values_only=True))
    assert ("version", DESCRIPTOR["version"]) in readme and any(k == "source caveats" and v for k, v in readme)
    assert {v.split(":")[0] for k, v in readme if k == "licence"} == {"CC-BY-4.0", "MIT"}
    fields = list(book["fields"].iter_rows(values_only=True))
    assert len(fields) - 1 == sum(
        len(__import__("json").loads((ROOT / r["schema"]).read_text())["fields"]) for r in DESCRIPTOR["resources"]
    )
    assert book["observations"].freeze_panes == "A2" and book["observations"]["F2"].number_format == "yyyy-mm-dd"


def test_release_zip_carries_workbook_stata_csvw_and_deposit_metadata(tmp_path):
    release = dist.dist(ROOT, tmp_path)
    names = {n.split("/", 1)[1] for n in zipfile.ZipFile(release).namelist()}
    assert {XLSX_NAME, "csv-metadata.json", ".zenodo.json"} <= names
    assert {f"stata/{n}.dta" for n in NAMES} <= names


def test_readme_recipes_read_the_right_types(monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Reading the CSVs with the right types", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 2
    monkeypatch.chdir(ROOT)
    for block in blocks:
        exec(compile(block, "README recipe", "exec"), {})


def test_text_starting_with_equals_stays_text_in_the_workbook(scratch, tmp_path):
    from openpyxl import load_workbook

    from figpack.commands import build

    scratch.edit("observations", "schools-built-2023", note='=HYPERLINK("http://example.org","x")')
    build.build(scratch.root, tmp_path)
    with zipfile.ZipFile(tmp_path / XLSX_NAME) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in book.read(n) for n in sheets)  # no formula anywhere
    values = [c.value for row in load_workbook(tmp_path / XLSX_NAME)["observations"].iter_rows() for c in row]
    assert '=HYPERLINK("http://example.org","x")' in values


def test_a_zero_whole_gives_an_empty_derived_share_not_an_error(scratch):
    from figpack.sql import connect

    scratch.edit("observations", "key-project-evaluations", value_printed="0", value="0", value_base="0")
    scratch.edit("observations", "key-project-evaluation-firsts", value_printed="0", value="0", value_base="0")
    scratch.edit("observations", "key-project-evaluation-seconds", value_printed="0", value="0", value_base="0")
    rows = connect(scratch.root).execute("SELECT value FROM derived WHERE derived_id LIKE 'key-project-%'").fetchall()
    assert rows == [(None,), (None,)]


def test_csv_metadata_passes_the_strict_csvw_validator(monkeypatch):
    """What a user runs: the csvw package's validating reader (no empty foreign-key cell allowed)."""
    import csvw

    monkeypatch.chdir(ROOT)
    assert csvw.CSVW("csv-metadata.json", validate=True).is_valid
