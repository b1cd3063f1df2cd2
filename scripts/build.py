"""Build dist/: a DuckDB database, one Parquet file per resource and an .xlsx workbook.

    python -m scripts.build

The database holds the typed tables (column comments from the field descriptions) and the views
of sql/views.sql; it is written in DuckDB storage v1.0.0 so that older DuckDB CLIs (the pip
duckdb-cli 1.5.6 included) open it. Parquet and xlsx are byte-for-byte reproducible: the same
package gives the same bytes (the workbook's zip times and document dates are fixed to the
package's `created`). Everything is written to a temporary name first, then moved into place.
"""
from __future__ import annotations

import io
import json
import os
import re
import sys
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from scripts.query import connect, load_sql

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"


def descriptor() -> dict:
    return json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))


def build_database(target: Path) -> None:
    tmp = target.with_suffix(f".{os.getpid()}.tmp")  # own name per process: builds may run side by side
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{tmp.as_posix()}' AS package (STORAGE_VERSION 'v1.0.0')")
    con.execute("USE package")
    con.execute(load_sql())
    con.execute("USE memory")
    con.execute("DETACH package")
    con.close()
    tmp.replace(target)


def build_parquet(folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    con = connect(locked=False)
    for name in names:
        tmp = folder / f"{name}.parquet.{os.getpid()}.tmp"
        con.execute(f"COPY {name} TO '{tmp.as_posix()}' (FORMAT parquet, COMPRESSION zstd)")
        tmp.replace(folder / f"{name}.parquet")


def cell(value):
    if isinstance(value, Decimal):
        value = value.normalize()
        return int(value) if value == value.to_integral_value() else value
    if hasattr(value, "isoformat"):
        return value.isoformat()  # dates stay ISO text: no spreadsheet date conversion
    return value


def build_workbook(target: Path, names: list[str], created: datetime) -> None:
    from openpyxl import Workbook

    con = connect()
    book = Workbook()
    book.remove(book.active)
    for name in names:
        result = con.execute(f"SELECT * FROM {name}")
        sheet = book.create_sheet(name)
        sheet.append([d[0] for d in result.description])
        for row in result.fetchall():
            sheet.append([cell(v) for v in row])
        sheet.freeze_panes = "A2"
    book.properties.created = book.properties.modified = created
    book.properties.creator = "zhumadian-2023-economic-work-report"
    raw = io.BytesIO()
    book.save(raw)
    # openpyxl stamps the zip entries and the document's modified date with the current time:
    # rewrite both with the package's `created`
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=created.timetuple()[:6])
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            dst.writestr(entry, data)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(fixed.getvalue())
    tmp.replace(target)


def main(argv: list[str] | None = None) -> int:
    meta = descriptor()
    names = [r["name"] for r in meta["resources"]]
    created = datetime.fromisoformat(meta["created"].replace("Z", "+00:00")).replace(tzinfo=None)
    DIST.mkdir(exist_ok=True)
    stem = meta["name"]
    build_database(DIST / f"{stem}.duckdb")
    build_parquet(DIST / "parquet", names)
    build_workbook(DIST / f"{stem}.xlsx", names, created)
    for path in sorted(DIST.rglob("*")):
        if path.is_file():
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
