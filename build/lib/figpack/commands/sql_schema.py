"""Generate sql/tables.sql from the Table Schemas (figpack.sql): one typed DuckDB table per
resource, with the field descriptions as column comments, for use from the DuckDB CLI.

Usage: figpack sql-schema [--check] [--package DIR]
"""

from __future__ import annotations

from figpack.package import write_atomic
from figpack.sql import tables_sql
from figpack.validation import require_valid

HELP = "Regenerate sql/tables.sql (typed DuckDB tables) from the Table Schemas"
SHARED = ("package",)


def arguments(parser) -> None:
    parser.add_argument("--check", action="store_true", help="exit 1 if sql/tables.sql is stale (writes nothing)")


def run(args) -> int:
    root = args.package
    target, text = root / "sql" / "tables.sql", tables_sql(root, absolute=False)
    if args.check:
        stale = not target.exists() or target.read_text(encoding="utf-8") != text
        print(f"{target}: {'stale: run make sql-schema' if stale else 'current'}")
        return 1 if stale else 0
    require_valid(root)
    write_atomic(target, text)
    print(f"{target}: written")
    return 0
