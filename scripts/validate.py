"""Validate the data package: every problem in one run, each with file, line, field, value, rule.

    python -m scripts.validate [PACKAGE_DIR] [--format text|json] [--source FILE]

Checks, in order: the descriptor (frictionless), each file (presence, bytes, hash, encoding,
BOM, line ends, header), each field against its Table Schema (pandera, built from the Table
Schemas), then the rules that span fields, rows and tables (schemas/rules.py). When the source
transcription is found (--source, $ZMD_SOURCE or ../shared/source/ beside the package) and its
SHA-256 is the one in sources.csv, evidence spans are also checked at their offsets.

Exit codes: 0 valid; 1 invalid (the report lists every problem); 2 the package cannot be read
(no or broken datapackage.json, or an unreadable Table Schema). Nothing is ever written.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

from schemas import rules, table_schemas
from scripts.package_files import PackageUnreadable, Table, load_descriptor, load_schema, read_table

SOURCE_NAME = "zhumadian-2023-economic-work-report.md"


def find_source(root: Path, given: str | None) -> Path | None:
    for candidate in (given, os.environ.get("ZMD_SOURCE"), root.resolve().parent / "shared" / "source" / SOURCE_NAME):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def source_text(path: Path | None, sources: Table | None, notes: list[str]) -> tuple[str | None, list[rules.Failure]]:
    """The transcription, if found and its SHA-256 is the one sources.csv records; else None (and why)."""
    if path is None:
        notes.append("source transcription not found: evidence offsets not checked against it (rule evidence_in_source skipped)")
        return None, []
    if sources is None or sources.frame is None:
        return None, []
    raw = path.read_bytes()
    recorded = sources.frame["sha256"].dropna()
    actual = hashlib.sha256(raw).hexdigest()
    if actual in set(recorded):
        return raw.decode("utf-8"), []
    row = int(recorded.index[0]) if len(recorded) else None
    return None, [rules.Failure(sources.path, row, "sha256", None if row is None else recorded.iloc[0], "source_hash_matches",
                                f"expected {actual}, the SHA-256 of the transcription at {path} (or pass --source with the right file)")]


def descriptor_failures(root: Path, descriptor: dict) -> list[rules.Failure]:
    from frictionless import Package  # imported here: only the descriptor needs it

    report = Package.validate_descriptor(descriptor, basepath=str(root))
    return [rules.Failure("datapackage.json", None, None, None, f"descriptor_{e.type}", e.message) for e in report.errors]


def validate(root: Path, source: str | None = None) -> dict:
    """Check the package at root; raises PackageUnreadable when it cannot be read at all."""
    descriptor = load_descriptor(root)
    found = descriptor_failures(root, descriptor)  # file-level: their row, if any, is already a CSV line
    by_row: list[rules.Failure] = []  # row-level: their row is a 0-based data row
    tables: dict[str, Table] = {}
    for resource in descriptor["resources"]:
        table = read_table(root, resource, load_schema(root, resource))
        found += table.failures
        if table.frame is not None:
            by_row += table_schemas.check(table.schema, table.frame, table.path)
        tables[table.name] = table
    frames = {name: t.frame for name, t in tables.items() if t.frame is not None}
    notes: list[str] = []
    foreign_keys = tuple(
        (name, fk["fields"][0], fk["reference"].get("resource", name), fk["reference"]["fields"][0])
        for name, t in tables.items() for fk in t.schema.get("foreignKeys", []))
    text, source_failures = source_text(find_source(root, source), tables.get("sources"), notes)
    rule_failures, skipped = rules.run_rules(rules.Context(frames, text, foreign_keys), {name: t.path for name, t in tables.items()})
    by_row += source_failures + rule_failures
    if skipped:
        notes.append("rules not run because a table they need could not be read: " + ", ".join(skipped))
    by_path = {t.path: t for t in tables.values()}
    errors = [dict(file=f.file, line=f.row, field=f.field, value=f.value, rule=f.rule, message=f.message) for f in found]
    for f in by_row:
        line = None if f.row is None else by_path[f.file].line(f.row)
        errors.append(dict(file=f.file, line=line, field=f.field, value=f.value, rule=f.rule, message=f.message))
    errors.sort(key=lambda e: (e["file"], e["line"] or 0))
    return {"valid": not errors, "package": str(root), "errors": errors, "notes": notes,
            "rows": {name: len(frame) for name, frame in frames.items()}}


def render_text(result: dict) -> str:
    lines = []
    errors = result["errors"]
    if not errors:
        rows = ", ".join(f"{n} {name}" for name, n in result["rows"].items())
        lines.append(f"VALID: {result['package']} ({rows}); every rule passed")
    else:
        files = sorted({e["file"] for e in errors})
        lines.append(f"INVALID: {len(errors)} problem(s) in {len(files)} file(s) of {result['package']}")
        for file in files:
            mine = [e for e in errors if e["file"] == file]
            lines.append(f"\n{file} ({len(mine)})")
            for e in mine:
                where = f"{file}:{e['line']}" if e["line"] else file
                what = f" {e['field']}={e['value']!r}" if e["field"] and e["value"] is not None else f" {e['field']}" if e["field"] else ""
                lines.append(f"  {where}:{what} [{e['rule']}] {e['message']}")
    for note in result["notes"]:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the data package.")
    parser.add_argument("package", nargs="?", default=".", help="folder holding datapackage.json (default: .)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--source", help="the source transcription, to check evidence offsets against")
    args = parser.parse_args(argv)
    try:
        result = validate(Path(args.package), args.source)
    except PackageUnreadable as exc:
        if args.format == "json":
            print(json.dumps({"valid": False, "package": args.package, "unreadable": str(exc)}, ensure_ascii=False))
        else:
            print(f"CANNOT READ THE PACKAGE: {exc}")
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.format == "json" else render_text(result))
    return 0 if result["valid"] else 1


if __name__ == "__main__":
    sys.exit(main())
