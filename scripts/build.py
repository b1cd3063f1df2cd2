"""Build the exports of a package: a DuckDB database, one Parquet file and one Stata .dta file per
resource and an .xlsx workbook (scripts.workbook), all in the output folder (default dist/).

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
import sys
from datetime import datetime
from pathlib import Path

from engine.package import PROJECT, PackageUnreadable, load_descriptor, one_line_errors, write_atomic
from engine.sql import connect, ident, load_sql, quote
from scripts.stata import all_dta
from scripts.workbook import workbook_bytes


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
    created = created_of(descriptor)
    write_atomic(out / f"{stem}.xlsx", workbook_bytes(root, created))
    dta = [write_atomic(out / "stata" / name, data) for name, data in all_dta(root, created).items()]
    return [out / f"{stem}.duckdb", *(out / "parquet" / f"{n}.parquet" for n in names), out / f"{stem}.xlsx", *dta]


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
