"""Build the exports of a package: a DuckDB database, one Parquet file and one Stata .dta file per
resource and an .xlsx workbook (figpack.commands.workbook), all in the output folder (default dist/).

    figpack build [--package DIR] [--out DIR]

The package is validated first; an invalid one is refused with the validator's report and nothing
is written. The database holds the typed tables (column comments from the field descriptions)
and the views of sql/views.sql, in DuckDB storage v1.0.0 so that older DuckDB CLIs (the pip
duckdb-cli 1.5.6 included) open it. Parquet and xlsx are byte-for-byte reproducible (the
workbook's zip times and document dates are fixed to the package's `created`). Every file is
written under a temporary name, then moved into place; a failed build leaves no temporary file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from figpack.commands.stata import all_dta
from figpack.commands.workbook import workbook_bytes
from figpack.package import load_descriptor, staged, write_atomic
from figpack.sql import ident, load_sql, quote
from figpack.validation import require_valid


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


def build_parquet(con, folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
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
    """Validate, then write every export into out (Refused, and nothing written, if not valid)."""
    import duckdb

    require_valid(root)
    descriptor = load_descriptor(root)
    names = [r["name"] for r in descriptor["resources"]]
    stem, created = descriptor["name"], created_of(descriptor)
    with staged(out) as scratch:
        build_database(root, scratch / f"{stem}.duckdb")  # the package loaded once: every other export reads it
        with duckdb.connect(str(scratch / f"{stem}.duckdb"), read_only=True) as con:
            build_parquet(con, scratch / "parquet", names)
            write_atomic(scratch / f"{stem}.xlsx", workbook_bytes(root, created, con))
            for name, data in all_dta(root, created, con).items():
                write_atomic(scratch / "stata" / name, data)
        written = sorted(p.relative_to(scratch) for p in scratch.rglob("*") if p.is_file())
    return [out / p for p in written]


HELP = "Validate, then write the DuckDB database, Parquet, xlsx workbook and Stata .dta files"
SHARED = ("package", "out")


def arguments(parser) -> None:
    pass


def run(args) -> int:
    for path in build(args.package, args.out):
        print(f"{path}  {path.stat().st_size:,} bytes")
    return 0
