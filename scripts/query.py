"""Run SQL over the package in DuckDB and print the result.

    python -m scripts.query "SELECT * FROM ranks" [--format table|csv|json|markdown]
    python -m scripts.query --file sql/examples/01_ranks_best_first.sql

The CSVs are loaded into an in-memory database (typed tables from sql/tables.sql, views from
sql/views.sql); then all file access is switched off and locked, so a query can read the tables
but can neither read nor write a file: data/ is never changed by a query.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from decimal import Decimal
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent


def load_sql(package: Path | None = None) -> str:
    """sql/tables.sql and sql/views.sql, with the CSV paths made absolute for the given package."""
    folder = Path(package or ROOT).resolve().as_posix().replace("'", "''")
    tables = (ROOT / "sql" / "tables.sql").read_text(encoding="utf-8").replace("read_csv('", f"read_csv('{folder}/")
    return tables + "\n" + (ROOT / "sql" / "views.sql").read_text(encoding="utf-8")


def connect(package: Path | None = None, locked: bool = True) -> duckdb.DuckDBPyConnection:
    """An in-memory database with the tables and views of the package in folder `package` (default:
    this project's); locked: no file access at all once they are loaded."""
    con = duckdb.connect(":memory:")
    con.execute(load_sql(package))
    if locked:
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    return con


def plain(value):
    """A cell as JSON wants it: exact decimals as numbers when a float keeps them exactly."""
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral_value():
            return int(value)
        return float(value) if Decimal(repr(float(value))) == value else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def render(columns: list[str], rows: list[tuple], form: str) -> str:
    if form == "json":
        return json.dumps([{c: plain(v) for c, v in zip(columns, row)} for row in rows], ensure_ascii=False, indent=1)
    if form == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[text(v) for v in row] for row in rows])
        return out.getvalue().rstrip("\n")
    cells = [[text(v).replace("\n", " ") for v in row] for row in rows]
    if form == "markdown":
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        return "\n".join(lines + ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells])
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(columns)]
    line = lambda row: "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths)).rstrip()
    return "\n".join([line(columns), line(["-" * w for w in widths])] + [line(row) for row in cells] + [f"({len(rows)} rows)"])


def _width(text: str) -> int:  # CJK characters take two columns in a terminal
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run SQL over the package (DuckDB, read-only).")
    parser.add_argument("sql", nargs="?", help="the query")
    parser.add_argument("--file", help="read the query from this file")
    parser.add_argument("--format", choices=["table", "csv", "json", "markdown"], default="table")
    parser.add_argument("--package", help="folder of the package to query (default: this project's)")
    args = parser.parse_args(argv)
    if not args.sql and not args.file:
        parser.error("give a query, or --file")
    sql = Path(args.file).read_text(encoding="utf-8") if args.file else args.sql
    try:
        con = connect(Path(args.package) if args.package else None)
    except duckdb.Error as exc:
        print(f"cannot load the package into DuckDB: {str(exc).splitlines()[0]} (run 'make validate' to see where)", file=sys.stderr)
        return 2
    try:
        result = con.execute(sql)
        columns = [d[0] for d in result.description] if result.description else []
        rows = result.fetchall() if result.description else []
    except duckdb.Error as exc:
        print(f"query failed: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    print(render(columns, rows, args.format))
    return 0


if __name__ == "__main__":
    sys.exit(main())
