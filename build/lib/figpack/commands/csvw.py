"""W3C CSV on the Web metadata (csv-metadata.json) generated from the Table Schemas, so that a
reader without Frictionless still gets the types: codes as text, integers as integers, numbers as
decimals, dates as dates, booleans as true/false, with titles, descriptions, keys and references.

    figpack csvw [--check] [--package DIR]
"""

from __future__ import annotations

import json
from pathlib import Path

from figpack.package import load_descriptor, write_atomic
from figpack.validation import load_schema, require_valid

DATATYPES: dict[str, str | dict[str, str]] = {
    "string": "string",
    "integer": "integer",
    "number": "decimal",
    "date": {"base": "date", "format": "yyyy-MM-dd"},
    "boolean": {"base": "boolean", "format": "true|false"},
}
TARGET = "csv-metadata.json"


def column(field: dict) -> dict:
    c = field.get("constraints", {})
    base = DATATYPES[field.get("type", "string")]
    datatype: object = base
    out = {
        "name": field["name"],
        "titles": field.get("title", field["name"]),
        "dc:description": field.get("description", ""),
    }
    if c.get("pattern") or field.get("x-pattern") or "enum" in c or "minimum" in c or "maximum" in c:
        derived: dict[str, object] = {"base": base} if isinstance(base, str) else dict(base)
        if c.get("pattern") or field.get("x-pattern"):
            derived["format"] = (c.get("pattern") or field["x-pattern"]).lstrip("^").rstrip("$")
        for key in ("minimum", "maximum"):
            if key in c:
                derived[key] = c[key]
        datatype = derived
    out["datatype"] = datatype
    if c.get("required"):
        out["required"] = True
    return out


def render(root: Path) -> dict:
    d = load_descriptor(root)
    tables = []
    for r in d["resources"]:
        schema, _ = load_schema(root, r)
        table_schema = {"columns": [column(f) for f in schema["fields"]], "primaryKey": schema.get("primaryKey", [])}
        required = {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("required")}
        fks, notes = [], []
        for fk in schema.get("foreignKeys", []):
            target = next(x for x in d["resources"] if x["name"] == fk["reference"].get("resource", r["name"]))
            fields = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
            reference = {"resource": target["path"], "columnReference": fk["reference"]["fields"]}
            if set(fields) <= required:
                fks.append({"columnReference": fk["fields"], "reference": reference})
            else:  # CSVW's strict validation refuses an empty foreign-key cell; the Table Schema allows it
                notes.append(
                    {
                        "dc:description": f"{', '.join(fields)} refers to {target['path']} "
                        f"({', '.join(reference['columnReference'])}) where it has a value; not a CSVW "
                        "foreign key, since strict CSVW validation refuses empty foreign-key cells "
                        "(datapackage.json declares it, and the package's validator checks it)"
                    }
                )
        if fks:
            table_schema["foreignKeys"] = fks
        table = {
            "url": r["path"],
            "dc:title": r.get("title", r["name"]),
            "dc:description": r.get("description", ""),
            "tableSchema": table_schema,
        }
        tables.append(table | ({"notes": notes} if notes else {}))
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "dc:title": d["title"],
        "dc:license": {"@id": d["licenses"][0]["path"]},
        "dialect": {"encoding": "utf-8", "header": True, "delimiter": ",", "lineTerminators": ["\n"]},
        "null": "",
        "tables": tables,
    }


def text(root: Path) -> str:
    return json.dumps(render(root), ensure_ascii=False, indent=2) + "\n"


HELP = "Validate, then write csv-metadata.json (W3C CSV on the Web) from the Table Schemas"
SHARED = ("package",)


def arguments(parser) -> None:
    parser.add_argument("--check", action="store_true", help="exit 1 if csv-metadata.json is stale (writes nothing)")


def run(args) -> int:
    root = args.package
    if args.check:
        stale = not (root / TARGET).is_file() or (root / TARGET).read_text(encoding="utf-8") != text(root)
        print(f"{TARGET}: {'stale: run make csvw' if stale else 'current'}")
        return 1 if stale else 0
    require_valid(root)
    write_atomic(root / TARGET, text(root))
    print(f"{root / TARGET}: written")
    return 0
