"""A SQLite database of the package through frictionless's own SQL route, and Datasette metadata
generated from datapackage.json (title, licence, sources, every table's and column's description,
facets), in the output folder (default dist/).

    figpack sqlite [--package DIR] [--out DIR]

The package is validated first. Besides one table per resource, the database has the view
`observations_labelled` (each figure with its indicator's names, topic and measure), which
Datasette facets by indicator, topic and measure.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from figpack.package import inside, load_descriptor, staged, write_atomic
from figpack.sql import ident
from figpack.validation import load_schema

META = "datasette-metadata.json"

LABELLED = """CREATE VIEW observations_labelled AS
SELECT o.obs_id, o.indicator_id, i.name_zh, i.name_en, i.topic, i.measure, o.period_printed, o.period_start, o.period_end,
       o.period_status, o.reference_year, o.value_printed, o.unit_printed, o.value, o.value_base, o.unit_base,
       o.qualifier, o.status, o.evidence, o.note
FROM observations o JOIN indicators i ON i.indicator_id = o.indicator_id"""


def write_database(root: Path, target: Path) -> Path:
    """Every resource through frictionless's SQL writer (an error is raised, never dropped)."""
    from frictionless import Package
    from frictionless.indexer import Indexer
    from frictionless.resources import TableResource

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        package = Package(str(inside(root, "datapackage.json")))  # validated first: every path is inside the package
        for resource in package.resources:
            if not isinstance(resource, TableResource):  # every resource of a valid package is a table
                raise ValueError(f"frictionless did not read {resource.name} as a table")
            report = Indexer(resource=resource, database=f"sqlite:///{tmp}", table_name=resource.name).index()
            if report is not None and not report.valid:
                raise ValueError(
                    f"frictionless could not index {resource.name}: {report.flatten(['type', 'note'])[:3]}"
                )
        with sqlite3.connect(tmp) as con:
            con.execute(LABELLED)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


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
    return {
        "title": d["title"],
        "description": d["description"],
        "license": licence.get("title", licence["name"]),
        "license_url": licence["path"],
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
