"""The validator's report as text: one line per problem, grouped by file, each naming the file,
line, field, value and rule. Text from the package is printed on one line, control characters escaped."""

from __future__ import annotations


def safe(text) -> str:
    """Text from the package on one line: control characters (a newline in a path) escaped."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in str(text))


def render_text(result: dict) -> str:
    errors = result["errors"]
    package = safe(result["package"])
    if not errors:
        rows = ", ".join(f"{n} {safe(name)}" for name, n in result["rows"].items())
        lines = [f"VALID: {package} ({rows}); every rule passed"]
    else:
        files = sorted({e["file"] for e in errors})
        lines = [f"INVALID: {len(errors)} problem(s) in {len(files)} file(s) of {package}"]
        for file in files:
            mine = [e for e in errors if e["file"] == file]
            lines.append(f"\n{safe(file)} ({len(mine)})")
            for e in mine:
                where = f"{file}:{e['line']}" if e["line"] else file
                what = (
                    f" {e['field']}={e['value']!r}"
                    if e["field"] and e["value"] is not None
                    else f" {e['field']}"
                    if e["field"]
                    else ""
                )
                lines.append("  " + safe(f"{where}:{what} [{e['rule']}] {e['message']}"))
    lines += [f"note: {safe(note)}" for note in result["notes"]]
    return "\n".join(lines)
