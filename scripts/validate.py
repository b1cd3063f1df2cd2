"""Validate a data package: every problem in one run, each with file, line, field, value, rule.

    python -m scripts.validate [PACKAGE_DIR] [--format text|json] [--source FILE]

The checks are engine.validation's. When the source transcription is found (--source, or the file
the descriptor's report.source_file names in ../shared/source/ beside the package) and its SHA-256
is the one in sources.csv, evidence spans are also checked at their offsets.

Exit codes: 0 valid; 1 invalid (the report lists every problem); 2 the package cannot be read
(one line naming the file and the place). Nothing is ever written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from engine.package import PackageUnreadable, one_line_errors


def _safe(text) -> str:
    """Text from the package on one line: control characters (a newline in a path) escaped."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in str(text))


def render_text(result: dict) -> str:
    errors = result["errors"]
    package = _safe(result["package"])
    if not errors:
        rows = ", ".join(f"{n} {_safe(name)}" for name, n in result["rows"].items())
        lines = [f"VALID: {package} ({rows}); every rule passed"]
    else:
        files = sorted({e["file"] for e in errors})
        lines = [f"INVALID: {len(errors)} problem(s) in {len(files)} file(s) of {package}"]
        for file in files:
            mine = [e for e in errors if e["file"] == file]
            lines.append(f"\n{_safe(file)} ({len(mine)})")
            for e in mine:
                where = f"{file}:{e['line']}" if e["line"] else file
                what = (
                    f" {e['field']}={e['value']!r}"
                    if e["field"] and e["value"] is not None
                    else f" {e['field']}"
                    if e["field"]
                    else ""
                )
                lines.append("  " + _safe(f"{where}:{what} [{e['rule']}] {e['message']}"))
    lines += [f"note: {_safe(note)}" for note in result["notes"]]
    return "\n".join(lines)


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the data package.")
    parser.add_argument("package", nargs="?", default=".", help="folder holding datapackage.json (default: .)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--source", help="the source transcription, to check evidence offsets against")
    args = parser.parse_args(argv)
    # frictionless checks the descriptor in a child process on the other core while this one
    # imports pandas and pandera and reads the tables (a third less wall time)
    from engine import descriptor

    pending = descriptor.start(Path(args.package)) if hasattr(os, "fork") else None
    # pandera imports hypothesis (a test tool) when it is installed; the validator never needs it
    sys.modules.setdefault("hypothesis", None)
    from engine.validation import validate

    try:
        result = validate(Path(args.package), args.source, pending)
    except PackageUnreadable as exc:
        if args.format == "json":
            print(json.dumps({"valid": False, "package": args.package, "unreadable": str(exc)}, ensure_ascii=False))
        else:
            print(_safe(f"CANNOT READ THE PACKAGE {args.package}: {exc}"))
        return 2
    except (
        OSError,
        RecursionError,
        MemoryError,
        ValueError,
    ) as exc:  # input the checks above did not foresee: never a traceback
        print(_safe(f"CANNOT READ THE PACKAGE {args.package}: {exc.__class__.__name__}: {exc}"))
        return 2
    try:
        print(json.dumps(result, ensure_ascii=False, indent=1) if args.format == "json" else render_text(result))
    except BrokenPipeError:  # the reader (head, less) stopped early: not an error of the package
        sys.stdout = open(os.devnull, "w")
    return 0 if result["valid"] else 1


if __name__ == "__main__":
    sys.exit(main())
