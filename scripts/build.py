"""Build the exports of a package: a DuckDB database, one Parquet file per resource and an .xlsx
workbook, all in the output folder (default dist/).

    python -m scripts.build [--package DIR] [--out DIR]

The package is validated first; an invalid one is refused with the validator's report and nothing
is written. The database holds the typed tables (column comments from the field descriptions)
and the views of sql/views.sql, in DuckDB storage v1.0.0 so that older DuckDB CLIs (the pip
duckdb-cli 1.5.6 included) open it. Parquet and xlsx are byte-for-byte reproducible (the
workbook's zip times and document dates are fixed to the package's `created`). Every file is
written under a temporary name, then moved into place; a failed build leaves no temporary file.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from engine.package import PROJECT, PackageUnreadable, load_descriptor, one_line_errors, write_atomic
from engine.sql import connect, ident, load_sql, quote


def _tmp(target: Path) -> Path:
    import os

    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def build_database(root: Path, target: Path) -> None:
    import duckdb

    tmp = _tmp(target)
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH {quote(tmp.as_posix())} AS package (STORAGE_VERSION 'v1.0.0')")
        con.execute("USE package")
        con.execute(load_sql(root))
        con.execute("USE memory")
        con.execute("DETACH package")
        con.close()
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)


def build_parquet(root: Path, folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    con = connect(root, locked=False)
    for name in names:
        target = folder / f"{name}.parquet"
        tmp = _tmp(target)
        try:
            con.execute(f"COPY {ident(name)} TO {quote(tmp.as_posix())} (FORMAT parquet, COMPRESSION zstd)")
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)


def cell(value):
    if isinstance(value, Decimal):
        value = value.normalize()
        return int(value) if value == value.to_integral_value() else value
    if hasattr(value, "isoformat"):
        return value.isoformat()  # dates stay ISO text: no spreadsheet date conversion
    return value


def build_workbook(root: Path, target: Path, names: list[str], descriptor: dict, created: datetime) -> None:
    from openpyxl import Workbook

    con = connect(root)
    book = Workbook()
    book.remove(book.active)
    for name in names:
        result = con.execute(f"SELECT * FROM {ident(name)}")
        sheet = book.create_sheet(name[:31])
        sheet.append([d[0] for d in result.description])
        for row in result.fetchall():
            sheet.append([cell(v) for v in row])
        sheet.freeze_panes = "A2"
    book.properties.created = book.properties.modified = created
    book.properties.creator = descriptor["name"]
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
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", data
                )
            entry = zipfile.ZipInfo(info.filename, date_time=created.timetuple()[:6])
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            dst.writestr(entry, data)
    write_atomic(target, fixed.getvalue())


def created_of(descriptor: dict) -> datetime:
    return datetime.fromisoformat(str(descriptor["created"]).replace("Z", "+00:00")).replace(tzinfo=None)


def build(root: Path, out: Path) -> list[Path]:
    """Validate, then write every export into out; PackageUnreadable or ValueError(report) if refused."""
    from engine.validation import validate
    from scripts.validate import render_text

    result = validate(root)
    if not result["valid"]:
        raise ValueError(render_text(result))
    descriptor = load_descriptor(root)
    names = [r["name"] for r in descriptor["resources"]]
    out.mkdir(parents=True, exist_ok=True)
    stem = descriptor["name"]
    build_database(root, out / f"{stem}.duckdb")
    build_parquet(root, out / "parquet", names)
    build_workbook(root, out / f"{stem}.xlsx", names, descriptor, created_of(descriptor))
    return [out / f"{stem}.duckdb", *(out / "parquet" / f"{n}.parquet" for n in names), out / f"{stem}.xlsx"]


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the DuckDB, Parquet and xlsx exports.")
    parser.add_argument("--package", default=str(PROJECT), help="the package folder (default: this project)")
    parser.add_argument("--out", default=str(PROJECT / "dist"), help="the output folder (default: dist/)")
    args = parser.parse_args(argv)
    try:
        written = build(Path(args.package), Path(args.out))
    except PackageUnreadable as exc:
        print(f"CANNOT READ THE PACKAGE: {exc}; nothing was built", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"{exc}\nnothing was built: the package is not valid", file=sys.stderr)
        return 1
    for path in written:
        print(f"{path}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
