"""Generate sql/tables.sql from the Table Schemas: one typed DuckDB table per resource, loaded from
its CSV, with the field descriptions as column comments. Types are never retyped by hand:
string -> VARCHAR, integer -> BIGINT, number -> DECIMAL(38,10) (exact), date -> DATE.

Usage: python -m scripts.sql_schema [--check]
"""
from __future__ import annotations

import sys
from pathlib import Path

from scripts.package_files import load_descriptor, load_schema

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "sql" / "tables.sql"
TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DECIMAL(38,10)", "date": "DATE"}


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def render(root: Path = ROOT) -> str:
    descriptor = load_descriptor(root)
    out = ["-- GENERATED from datapackage.json and schemas/*.schema.json by `make sql-schema`: do not edit.",
           "-- One typed table per resource, read from its CSV (run from the package's folder)."]
    for resource in descriptor["resources"]:
        schema = load_schema(root, resource)
        columns = ", ".join(f"{quote(f['name'])}: {quote(TYPES[f['type']])}" for f in schema["fields"])
        out += ["", f"CREATE OR REPLACE TABLE {resource['name']} AS SELECT * FROM read_csv({quote(resource['path'])}, "
                f"header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', nullstr = '', "
                f"columns = {{{columns}}});",
                f"COMMENT ON TABLE {resource['name']} IS {quote(resource['title'] + ': ' + resource['description'])};"]
        out += [f"COMMENT ON COLUMN {resource['name']}.{f['name']} IS {quote(f['description'])};" for f in schema["fields"]]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    files = {TARGET: render()}
    if "--check" in argv:
        stale = [str(p) for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"{path}: stale: run 'make sql-schema'")
        return 1 if stale else 0
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
        print(f"{path}: written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
