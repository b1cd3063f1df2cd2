"""Generate sql/tables.sql from the Table Schemas (engine.sql): one typed DuckDB table per
resource, with the field descriptions as column comments, for use from the DuckDB CLI.

Usage: python -m scripts.sql_schema [--check] [--package DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.package import PROJECT, one_line_errors, write_atomic
from engine.sql import tables_sql


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if sql/tables.sql is stale")
    parser.add_argument("--package", default=str(PROJECT), help="the package folder (default: this project)")
    args = parser.parse_args(argv)
    root = Path(args.package)
    target, text = root / "sql" / "tables.sql", tables_sql(root, absolute=False)
    if args.check:
        stale = not target.exists() or target.read_text(encoding="utf-8") != text
        print(f"{target}: {'stale: run make sql-schema' if stale else 'current'}")
        return 1 if stale else 0
    write_atomic(target, text)
    print(f"{target}: written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
