"""Generate the README's data dictionary and rule table from datapackage.json, the Table Schemas and
the rule registry (engine/rules/), so the docs cannot drift from the code. `--check` exits 1 if the README is stale.

Usage: figpack docs [--check]   (README.md and README.zh.md)
"""

from __future__ import annotations

import re
from pathlib import Path

from figpack.commands import cite
from figpack.package import load_descriptor, write_atomic
from figpack.validation import load_schema

FILE_CHECKS = [
    ("file_exists", "the file the descriptor names is there"),
    ("file_not_empty", "the file is not empty"),
    (
        "package_property / required_field",
        "the descriptor properties (title, created, licences, ...) and the fields that rules, SQL views and exports read",
    ),
    (
        "resource_name / required_resources",
        "resource names match the v2 pattern, are unique, and every resource of report.required_resources is there",
    ),
    (
        "unsupported_feature",
        "no descriptor or Table Schema feature the validator does not check (another encoding, format, dialect, field type)",
    ),
    (
        "rule_cannot_run / table_unreadable",
        "every rule ran: a rule whose tables could not be read is a failure, not a note",
    ),
    ("cell_length_limit", "no value longer than 10,000 characters"),
    ("bytes_match / hash_match", "size and SHA-256 are the ones stamped in datapackage.json (`make stamp`)"),
    ("utf8_encoding", "the file is UTF-8 (a GB18030/GBK file saved by Excel is named as such)"),
    ("no_bom", "no UTF-8 byte-order mark"),
    ("lf_line_ends", "lines end with LF, not CRLF"),
    (
        "header_matches_schema",
        "the header has the Table Schema's columns, in order (extra, missing and renamed columns named)",
    ),
    ("csv_well_formed", "the CSV parses"),
    ("descriptor_*", "datapackage.json is a valid descriptor for frictionless (its error type is named)"),
    ("source_hash_matches", "a source transcription found beside the package has the SHA-256 recorded in sources.csv"),
]
SCHEMA_CHECKS = [
    (
        "type_number / type_integer / type_date / type_boolean / type_uri",
        "each value has its field's type, by one strict rule shared with every loader (plain ASCII decimals; no inf, NaN, full-width digits or padding)",
    ),
    (
        "number_precision",
        "a number or integer has at most 15 significant digits, what a double (Stata, Excel, SQLite, JSON) gives back exactly",
    ),
    ("required", "required fields have a value"),
    ("unique / primary_key_unique", "ids and primary keys are unique"),
    (
        "unique_key",
        "Table Schema v2 uniqueKeys: no two rows share a key's values (a row with a key field missing is not compared, as in SQL)",
    ),
    (
        "enum / pattern / length / minimum / maximum / range",
        "the field's Table Schema constraints; a pattern matches the whole value, by RE2 in linear time (never backtracking)",
    ),
]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _constraints(field: dict) -> str:
    c = dict(field.get("constraints", {}))
    if "x-pattern" in field:  # checked like a pattern on present values (figpack.schema_shape says why)
        c["pattern (x-pattern)"] = field["x-pattern"]
    parts = ["required"] if c.pop("required", False) else []
    if c.pop("unique", False):
        parts.append("unique")
    for key, value in c.items():
        parts.append(f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}")
    return _cell("; ".join(parts))


def dictionary(root: Path) -> str:
    descriptor = load_descriptor(root)
    out = []
    for resource in descriptor["resources"]:
        schema, _ = load_schema(root, resource)
        keys = f"primary key: {', '.join(schema['primaryKey'])}"
        for fk in schema.get("foreignKeys", []):
            keys += (
                f"; {', '.join(fk['fields'])} → {fk['reference']['resource']}.{', '.join(fk['reference']['fields'])}"
            )
        out += [
            f"### `{resource['path']}` ({resource['name']})",
            "",
            resource["description"],
            "",
            f"*{keys}*",
            "",
            "| field | type | constraints | description |",
            "|---|---|---|---|",
        ]
        out += [
            f"| `{f['name']}` | {f['type']} | {_constraints(f)} | {_cell(f['description'])} |" for f in schema["fields"]
        ]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def rule_table(root: Path | None = None) -> str:
    import figpack.rules  # noqa: F401  (registers the rules; they import pandas: not for --help)
    from figpack.registry import RULES

    out = ["| rule | kind | table | what it checks |", "|---|---|---|---|"]
    out += [f"| `{name}` | file | any | {text} |" for name, text in FILE_CHECKS]
    out += [f"| `{name}` | field | any | {text} |" for name, text in SCHEMA_CHECKS]
    out += [f"| `{r.name}` | {r.kind} | {r.resource} | {r.explanation} |" for r in RULES]
    return "\n".join(out) + "\n"


def command_reference(root: Path | None = None) -> str:
    """`figpack --help` and every verb's --help, at a fixed width (argparse reads COLUMNS)."""
    import os

    from figpack import cli

    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        top, verbs = cli.parsers()
        out = ["```text", "$ figpack --help", top.format_help().rstrip(), "```", ""]
        for verb in cli.VERBS:
            out += [f"## figpack {verb}", "", "```text", verbs[verb].format_help().rstrip(), "```", ""]
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved
    return "\n".join(out)


SECTIONS = {"dictionary": dictionary, "rules": rule_table, "citation": cite.section, "cli": command_reference}
README_SECTIONS = {  # each file of the package folder with the sections generated into it
    "README.md": ["citation"],
    "README.zh.md": ["citation"],
    "docs/rules.md": ["rules"],
    "docs/data-dictionary.md": ["dictionary"],
    "docs/cli.md": ["cli"],
}


def render(readme: str, names: list[str], root: Path) -> str:
    for name in names:
        pattern = re.compile(rf"(<!-- BEGIN GENERATED: {name} -->\n).*?(<!-- END GENERATED: {name} -->)", re.S)
        if not pattern.search(readme):
            raise SystemExit(f"markers for the generated section '{name}' are missing")
        readme = pattern.sub(lambda m: m.group(1) + SECTIONS[name](root) + m.group(2), readme)
    return readme


HELP = "Regenerate the docs' generated sections: data dictionary, rules, command reference, citation"
SHARED = ("package",)


def arguments(parser) -> None:
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated section is stale (writes nothing)")


def run(args) -> int:
    stale = 0
    for name, sections in README_SECTIONS.items():
        path = args.package / name
        current = path.read_text(encoding="utf-8")
        fresh = render(current, sections, args.package)
        if args.check:
            stale += fresh != current
            print(f"{name}: generated sections are {'stale: run make docs' if fresh != current else 'current'}")
        elif fresh != current:
            write_atomic(path, fresh)
            print(f"{name}: generated sections written")
    return 1 if stale else 0
