"""An interactive SQL prompt over the package: the same locked in-memory database as `make query`
(no file can be read or written once the tables are loaded), and no dot commands at all, so there
is no shell escape (.shell, .system), no output file (.output, .once) and no other database (.open).

    python -m scripts.shell [--package DIR] [--format table|csv|json|markdown]

End a statement with ';'. Ctrl-D (or .quit) leaves. For the full DuckDB CLI, open the built
database yourself: duckdb -readonly dist/<name>.duckdb (see the README for what that allows).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.package import PROJECT, one_line_errors
from scripts.query import open_package, render


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Interactive, read-only SQL over the package.")
    parser.add_argument("--package", default=str(PROJECT))
    parser.add_argument("--format", choices=["table", "csv", "json", "markdown"], default="table")
    args = parser.parse_args(argv)
    import duckdb

    con, why, code = open_package(Path(args.package))
    if con is None:
        print(why, file=sys.stderr)
        return code
    print(
        "Read-only SQL over the package (tables: "
        + ", ".join(r[0] for r in con.execute("SHOW TABLES").fetchall())
        + "). End with ';'."
    )
    buffer = ""
    while True:
        try:
            line = input("sql> " if not buffer else "...> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not buffer and line.strip() in (".quit", ".exit"):
            return 0
        if not buffer and line.strip().startswith("."):
            print("dot commands are off here: this prompt reads SQL only")
            continue
        buffer += line + "\n"
        if not buffer.rstrip().endswith(";"):
            continue
        try:
            result = con.execute(buffer)
            if result.description:
                print(render([d[0] for d in result.description], result.fetchall(), args.format))
        except duckdb.Error as exc:
            print(f"error: {str(exc).splitlines()[0]}")
        buffer = ""


if __name__ == "__main__":
    sys.exit(main())
