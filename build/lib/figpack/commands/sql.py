"""An interactive SQL prompt over the package: the same locked in-memory database as `make query`
(no file can be read or written once the tables are loaded), and no dot commands at all, so there
is no shell escape (.shell, .system), no output file (.output, .once) and no other database (.open).

    figpack sql [--package DIR] [--format table|csv|json|markdown]

End a statement with ';'. Ctrl-D (or .quit) leaves. For the full DuckDB CLI, open the built
database yourself: duckdb -readonly dist/<name>.duckdb (see the README for what that allows).
"""

from __future__ import annotations

import sys

from figpack.commands.query import open_package, render

HELP = "An interactive read-only SQL prompt over the package (no file access, no dot commands)"
SHARED = ("package",)
FORMATS = ("table", "csv", "json", "markdown")


def arguments(parser) -> None:
    pass


def run(args) -> int:
    import duckdb

    con, why, code = open_package(args.package)
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
