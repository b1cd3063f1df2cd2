"""A SQLite database of the package through frictionless's own SQL route, and Datasette metadata
generated from datapackage.json (title, licence, sources, every table's and column's description,
facets), in the output folder (default dist/).

    python -m scripts.sqlite [--package DIR] [--out DIR]

The package is validated first. Besides one table per resource, the database has the view
`observations_labelled` (each figure with its indicator's names, topic and measure), which
Datasette facets by indicator, topic and measure.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

from engine.package import PROJECT, inside, load_descriptor, one_line_errors, write_atomic
from engine.sql import ident
from engine.validation import load_schema

LABELLED = """CREATE VIEW observations_labelled AS
SELECT o.obs_id, o.indicator_id, i.name_zh, i.name_en, i.topic, i.measure, o.period_printed, o.period_start, o.period_end,
       o.period_status, o.reference_year, o.value_printed, o.unit_printed, o.value, o.value_base, o.unit_base,
       o.qualifier, o.status, o.evidence, o.note
FROM observations o JOIN indicators i ON i.indicator_id = o.indicator_id"""


def write_database(root: Path, target: Path) -> Path:
    """Every resource through frictionless's SQL writer (an error is raised, never dropped)."""
    from frictionless import Package
    from frictionless.indexer import Indexer

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        package = Package(str(inside(root, "datapackage.json")))  # validated first: every path is inside the package
        for resource in package.resources:
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
    from engine.validation import validate

    result = validate(root)
    if not result["valid"]:
        raise ValueError(f"the package is not valid ({len(result['errors'])} problem(s)): run 'make validate'")
    name = load_descriptor(root)["name"]
    db = write_database(root, out / f"{name}.db")
    meta = write_atomic(
        out / "datasette-metadata.json", json.dumps(metadata(root), ensure_ascii=False, indent=2) + "\n"
    )
    return db, meta


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the SQLite database and Datasette metadata.")
    parser.add_argument("--package", default=str(PROJECT))
    parser.add_argument("--out", default=str(PROJECT / "dist"))
    args = parser.parse_args(argv)
    for path in build(Path(args.package), Path(args.out)):
        print(f"{path}  {path.stat().st_size:,} bytes")
    return 0


def count_rows(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        names = [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: con.execute(f"SELECT count(*) FROM {ident(n)}").fetchone()[0] for n in names}


if __name__ == "__main__":
    sys.exit(main())
