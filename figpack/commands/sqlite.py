"""A SQLite database of the package through frictionless's own SQL route, and Datasette metadata
generated from datapackage.json (title, licence, sources, every table's and column's description,
facets), in the output folder (default dist/).

    figpack sqlite [--package DIR] [--out DIR]

The package is validated first. Besides one table per resource, the database has the view
`observations_labelled` (each figure with its indicator's names, topic and measure), which
Datasette facets by indicator, topic and measure.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from pathlib import Path

from figpack.package import load_descriptor, staged, web_url, write_atomic
from figpack.sql import ident, view_statement
from figpack.validation import load_schema

META = "datasette-metadata.json"


def write_database(root: Path, target: Path) -> Path:
    """Every resource through frictionless's SQL writer (an error is raised, never dropped).

    frictionless is handed the rows the validator read (figpack.files: one CSV dialect), never the
    file, so it has nothing to re-sniff: a blank line, a .tsv name or a ';' in a value cannot change
    what lands in SQLite. Patterns are left out of the schema it gets (for_sqlite): the validator
    matched them already (RE2), and frictionless would make them a Python REGEXP, which backtracks
    and fails on empty cells. Each table is written into a database of its own, then copied as
    written (its CREATE statement and its rows): frictionless reads back every table already in a
    database before it writes one more, which made N tables cost N^2 table reads."""
    from frictionless import Schema
    from frictionless.indexer import Indexer
    from frictionless.resources import TableResource

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp, part = target.with_name(f".{target.name}.tmp"), target.with_name(f".{target.name}.part.tmp")
    tmp.unlink(missing_ok=True)
    try:
        with contextlib.closing(sqlite3.connect(tmp)) as con, con:
            for entry in load_descriptor(root)["resources"]:
                schema, _ = load_schema(root, entry)
                rows = table_rows(root, entry, schema)
                resource = TableResource(
                    name=entry["name"], data=rows, schema=Schema.from_descriptor(for_sqlite(schema))
                )
                part.unlink(missing_ok=True)
                report = Indexer(resource=resource, database=f"sqlite:///{part}", table_name=entry["name"]).index()
                if report is not None and not report.valid:
                    raise ValueError(
                        f"frictionless could not index {entry['name']}: {report.flatten(['type', 'note'])[:3]}"
                    )
                _copy_table(con, part, entry["name"])
            # the same view as DuckDB's (figpack/sql/views.sql)
            con.execute(view_statement("observations_labelled").replace("CREATE OR REPLACE VIEW", "CREATE VIEW"))
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
        part.unlink(missing_ok=True)
    return target


def _copy_table(con: sqlite3.Connection, part: Path, name: str) -> None:
    """The table `name` of the database at part, into con's database: its statements as written, then its rows."""
    con.execute("ATTACH DATABASE ? AS part", (str(part),))
    try:
        made = con.execute(
            "SELECT sql FROM part.sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type = 'index'",
            (name,),
        ).fetchall()
        for (statement,) in made:
            con.execute(checks_in_order(statement))
        con.execute(f"INSERT INTO main.{ident(name)} SELECT * FROM part.{ident(name)} ORDER BY rowid")
        con.commit()
    finally:
        con.execute("DETACH DATABASE part")


CHECK = re.compile(r" CHECK \((?:[^()]|\([^()]*\))*\)")  # a column's CHECK clause (one level of parentheses inside)


def checks_in_order(statement: str) -> str:
    """The statement with each column's CHECK clauses sorted: SQLAlchemy emits a column's
    constraints from a set, in an order that changes from one run to the next, and the database
    is to be the same bytes for the same package."""
    lines = statement.split("\n")
    for i, line in enumerate(lines):
        found = list(CHECK.finditer(line))
        start, end = (found[0].start(), found[-1].end()) if found else (0, 0)
        if len(found) > 1 and line[start:end] == "".join(m.group() for m in found):  # side by side
            lines[i] = line[:start] + "".join(sorted(m.group() for m in found)) + line[end:]
    return "\n".join(lines)


def table_rows(root: Path, resource: dict, schema: dict) -> list[list]:
    """The header and every row as the validator read them: text, None where a cell is empty."""
    from figpack.files import read_table  # pyarrow: imported when a table is read, not for --help

    table = read_table(root, resource, schema)
    if table.frame is None:
        raise ValueError(f"{resource['name']}: the validator could not read it")
    frame = table.frame.astype(object).where(table.frame.notna(), None)
    return [list(frame.columns), *frame.to_numpy().tolist()]


def for_sqlite(schema: dict) -> dict:
    """The Table Schema less its patterns, and less its foreign keys (frictionless's indexer drops
    them anyway: it writes one table at a time)."""
    fields = [
        {**f, "constraints": {k: v for k, v in f.get("constraints", {}).items() if k != "pattern"}}
        for f in schema["fields"]
    ]
    return {**{k: v for k, v in schema.items() if k != "foreignKeys"}, "fields": fields}


def metadata(root: Path) -> dict:
    d = load_descriptor(root)
    tables = {}
    for r in d["resources"]:
        fields = load_schema(root, r)[0]["fields"]
        tables[r["name"]] = {
            "description": r.get("description", ""),
            "columns": {f["name"]: f.get("description", "") for f in fields},
        }
    columns = {
        **tables["observations"]["columns"],
        **{k: v for k, v in tables["indicators"]["columns"].items() if k in ("name_zh", "name_en", "topic", "measure")},
    }
    tables["observations_labelled"] = {
        "description": "Each figure with its indicator's names, topic and measure: facet by indicator, topic and measure.",
        "columns": columns,
        "facets": ["indicator_id", "topic", "measure"],
    }
    tables["observations"]["facets"] = ["indicator_id", "status", "period_status"]
    licence = d["licenses"][0]
    licence_url = web_url(licence.get("path"))
    return {
        "title": d["title"],
        "description": d["description"],
        "license": licence.get("title", licence["name"]),
        **({"license_url": licence_url} if licence_url else {}),
        "source": "; ".join(s["title"] for s in d["sources"][:1]),
        "databases": {d["name"]: {"title": d["title"], "tables": tables}},
    }


def build(root: Path, out: Path) -> tuple[Path, Path]:
    """Validate, then write the database and its Datasette metadata (Refused, nothing written, if not valid)."""
    from figpack.validation import require_valid

    require_valid(root)
    name = load_descriptor(root)["name"]
    with staged(out) as scratch:
        write_database(root, scratch / f"{name}.db")
        write_atomic(scratch / META, json.dumps(metadata(root), ensure_ascii=False, indent=2) + "\n")
    return out / f"{name}.db", out / META


HELP = "Validate, then write a SQLite database (frictionless's SQL route) and Datasette metadata"
SHARED = ("package", "out")


def arguments(parser) -> None:
    pass


def run(args) -> int:
    for path in build(args.package, args.out):
        print(f"{path}  {path.stat().st_size:,} bytes")
    return 0


def count_rows(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        names = [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: con.execute(f"SELECT count(*) FROM {ident(n)}").fetchone()[0] for n in names}
