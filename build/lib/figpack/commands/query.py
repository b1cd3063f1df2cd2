"""Run SQL over a package in DuckDB and print the result.

    figpack query "SELECT * FROM ranks" [--format table|csv|json|markdown]
    figpack query --file sql/examples/01_ranks_best_first.sql
    echo "SELECT 1" | figpack query -          (the query from standard input)
    figpack query --from-env RAW_SQL            (what `make query SQL=...` uses)

The package is validated first; an invalid one is refused with the validator's count. Its CSVs
are loaded into an in-memory database (typed tables generated from its Table Schemas, views from
sql/views.sql); then all file access is switched off and locked, so a query can read the tables but
can neither read nor write a file. --timeout stops a query after that many seconds.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import sys
from decimal import Decimal
from pathlib import Path

from figpack.package import PackageUnreadable, plain_decimal


def plain(value):
    """A cell as JSON holds it exactly: a decimal as a number when a float keeps it exactly, else
    as text; lists, structs and maps cell by cell; bytes as hex text; a float that JSON cannot
    write (inf, NaN) and anything else (UUID, interval, time) as its text."""
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral_value():
            return int(value)
        return float(value) if Decimal(repr(float(value))) == value else str(value)
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if isinstance(value, (list, tuple, dict)):  # nested values as JSON, decimals exact
        return json.dumps(plain(value), ensure_ascii=False)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
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
    return "\n".join(
        [line(columns), line(["-" * w for w in widths])] + [line(row) for row in cells] + [f"({len(rows)} rows)"]
    )


def _width(text: str) -> int:  # CJK characters take two columns in a terminal
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)


def open_package(root: Path, timeout: float | None = None):
    """A locked connection to a valid package, or (None, the reason it was refused, exit code)."""
    import duckdb

    from figpack.sql import connect
    from figpack.validation import validate

    try:
        result = validate(root)
    except PackageUnreadable as exc:
        return None, f"cannot read the package: {exc}", 2
    if not result["valid"]:
        return (
            None,
            f"the package is not valid ({len(result['errors'])} problem(s)): run 'make validate' to see them",
            1,
        )
    try:
        return connect(root, timeout=timeout), "", 0
    except duckdb.Error as exc:
        return None, f"cannot load the package into DuckDB: {str(exc).splitlines()[0]}", 2


def read_query(args) -> str:
    if args.from_env:
        return os.environ.get(args.from_env, "")
    if args.file:
        return Path(args.file).read_text(encoding="utf-8")
    return sys.stdin.read() if args.sql == "-" else (args.sql or "")


HELP = "Run SQL over the package in DuckDB, read-only (validates first)"
SHARED = ("package",)
FORMATS = ("table", "csv", "json", "markdown")


def arguments(parser) -> None:
    parser.add_argument("sql", nargs="?", help="the query, or - to read it from standard input")
    parser.add_argument("--file", help="read the query from this file")
    parser.add_argument("--from-env", metavar="VAR", help="read the query from this environment variable")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a query may run (default 60)")


def run(args) -> int:
    try:
        sql = read_query(args)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read the query: {exc}", file=sys.stderr)
        return 2
    if not sql.strip():
        print('usage: make query SQL="SELECT * FROM ranks"  (or: echo "SELECT ..." | make query)', file=sys.stderr)
        return 2
    import duckdb

    con, why, code = open_package(args.package, args.timeout)
    if con is None:
        print(why, file=sys.stderr)
        return code
    try:
        result = con.execute(sql)
        columns = [d[0] for d in result.description] if result.description else []
        rows = result.fetchall() if result.description else []
    except duckdb.InterruptException:
        print(f"query stopped after {args.timeout:g} s (--timeout)", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        print(f"query failed: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    print(render(columns, rows, args.format))
    return 0
