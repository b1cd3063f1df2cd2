"""The package in DuckDB: typed tables generated from the Table Schemas (never retyped), the views
of sql/views.sql, and a connection that can read no file once they are loaded.

Names reach SQL only after they match the package's name patterns, and are quoted; paths are the
descriptor's, checked to stay inside the package. Numbers load as DECIMAL(38,10), exactly what the
validator accepts (figpack.fields).
"""

from __future__ import annotations

from pathlib import Path

from figpack.package import NAME, VIEWS, inside, load_descriptor
from figpack.validation import load_schema

TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DECIMAL(38,10)", "date": "DATE", "boolean": "BOOLEAN"}


def quote(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def tables_sql(root: Path, absolute: bool = True) -> str:
    """CREATE TABLE statements for every resource, reading its CSV (absolute paths, or relative to
    the package folder for sql/tables.sql)."""
    descriptor = load_descriptor(root)
    out = [
        "-- GENERATED from datapackage.json and schemas/*.schema.json by `make sql-schema`: do not edit.",
        "-- One typed table per resource, read from its CSV (run from the package's folder).",
    ]
    for resource in descriptor["resources"]:
        name = resource["name"]
        if not NAME.fullmatch(str(name)):
            raise ValueError(f"resource name {name!r} does not match {NAME.pattern}")
        schema, _ = load_schema(root, resource)
        path = inside(root, resource["path"]).as_posix() if absolute else resource["path"]
        columns = ", ".join(f"{quote(f['name'])}: {quote(TYPES[f.get('type', 'string')])}" for f in schema["fields"])
        out += [
            "",
            f"CREATE OR REPLACE TABLE {ident(name)} AS SELECT * FROM read_csv({quote(path)}, "
            f"header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', nullstr = '', "
            f"columns = {{{columns}}});",
            f"COMMENT ON TABLE {ident(name)} IS {quote(resource.get('title', name) + ': ' + resource.get('description', ''))};",
        ]
        out += [
            f"COMMENT ON COLUMN {ident(name)}.{ident(f['name'])} IS {quote(f.get('description', ''))};"
            for f in schema["fields"]
        ]
    return "\n".join(out) + "\n"


def view_statement(name: str) -> str:
    """One view of the views every package gets, as its CREATE statement (for another engine: SQLite)."""
    import re

    found = re.search(rf"CREATE OR REPLACE VIEW {name} AS\n.*?;\n", VIEWS.read_text(encoding="utf-8"), re.S)
    if not found:
        raise ValueError(f"no view {name} in {VIEWS.name}")
    return found.group(0)


def text_rows(con, sql: str) -> list[dict[str, str]]:
    """The rows of a query as the CSV writes them: exact decimals, ISO dates, true/false, and ''
    where a cell is empty (the one text form of a value, shared with the files)."""
    from datetime import date
    from decimal import Decimal

    from figpack.package import plain_decimal

    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Decimal):
            return plain_decimal(value)
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    result = con.execute(sql)
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, map(text, row))) for row in result.fetchall()]


def load_sql(root: Path) -> str:
    return tables_sql(root) + "\n" + VIEWS.read_text(encoding="utf-8")


def connect(root: Path, locked: bool = True, timeout: float | None = None):
    """An in-memory database with the tables and views of the package at root; locked: no file
    access at all once they are loaded. timeout: seconds a statement may run (then interrupted)."""
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute(load_sql(root))
    if locked:
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    if timeout:
        _interrupt_after(con, timeout)
    return con


def _interrupt_after(con, seconds: float) -> None:
    import threading

    timer = threading.Timer(seconds, con.interrupt)
    timer.daemon = True
    timer.start()
