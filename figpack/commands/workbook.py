"""The spreadsheet download: an .xlsx workbook with a README sheet (title, version, licences,
citation, the source and its caveats), a sheet describing every field, then one sheet per
resource with real numbers and dates and a frozen header row. Byte-reproducible: the zip times
and document dates are the package's `created`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from figpack.names import EXCEL_SHEET, target_names
from figpack.package import load_descriptor, read_bytes, report_facts
from figpack.sql import ident
from figpack.validation import load_schema


def cell(value):
    if isinstance(value, Decimal):
        value = value.normalize()
        return int(value) if value == value.to_integral_value() else value
    return value


def _source(root: Path, d: dict) -> dict:
    path = next(r["path"] for r in d["resources"] if r["name"] == "sources")
    rows = csv.DictReader(io.StringIO(read_bytes(root, path).decode("utf-8")))
    return next((s for s in rows if s["source_id"] == report_facts(d).get("source_id")), {})


def readme_rows(root: Path, d: dict) -> list[list[str]]:
    from figpack.commands import cite

    source = _source(root, d)
    citation = []
    if (root / "CITATION.cff").is_file():  # a package copied without its CITATION.cff still builds
        cff = cite.citation(root)
        citation = [
            ["cite as", cite.package_author_date(cff).replace("*", "")],
            ["source", cite.report_author_date(cff["references"][0], cff["keys"])],
        ]
    return [
        ["title", d["title"]],
        ["version", d["version"]],
        ["description", d["description"]],
        *[["licence", f"{lic['name']}: {lic.get('title', '')} ({lic['path']})"] for lic in d["licenses"]],
        *citation,
        ["source title", source.get("title", "")],
        ["source caveats", source.get("note", "")],
        ["sheets", "fields: every field of every sheet; then one sheet per table of the data package"],
    ]


def workbook_bytes(root: Path, created: datetime, con) -> bytes:
    """The workbook of the package at root, its tables read from con (the package loaded in DuckDB)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    d = load_descriptor(root)
    book = Workbook()
    readme = book.active
    readme.title = "README"
    for row in readme_rows(root, d):
        readme.append(row)
    readme.column_dimensions["A"].width, readme.column_dimensions["B"].width = 16, 120
    fields = book.create_sheet("fields")
    fields.append(["table", "sheet", "field", "type", "title", "description", "constraints"])
    schemas = {r["name"]: load_schema(root, r)[0] for r in d["resources"]}
    sheets = target_names(list(schemas), EXCEL_SHEET, frozenset({"README", "fields"}), fold=True)
    for name, schema in schemas.items():
        for f in schema["fields"]:
            fields.append(
                [
                    name,
                    sheets[name],
                    f["name"],
                    f.get("type", "string"),
                    f.get("title", ""),
                    f.get("description", ""),
                    ", ".join(f"{k}: {v}" for k, v in f.get("constraints", {}).items()),
                ]
            )
    fields.freeze_panes = "A2"
    for name, schema in schemas.items():
        result = con.execute(f"SELECT * FROM {ident(name)}")
        sheet = book.create_sheet(sheets[name])
        sheet.append([c[0] for c in result.description])
        for row in result.fetchall():
            sheet.append([cell(v) for v in row])
        for line in sheet.iter_rows(min_row=2):
            for c in line:
                if c.data_type == "f":  # text that starts with '=' stays text: no formula from a package's data
                    c.data_type = "s"
        for i, f in enumerate(schema["fields"], start=1):
            if f.get("type") == "date":
                for (c,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                    c.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        for c in sheet[1]:
            c.font = Font(bold=True)
    book.properties.created = book.properties.modified = created
    book.properties.creator = d["name"]
    raw = io.BytesIO()
    book.save(raw)
    return _fixed_times(raw.getvalue(), created)


def _fixed_times(data: bytes, created: datetime) -> bytes:
    """openpyxl stamps the zip entries and the modified date with the current time: use `created`."""
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", content
                )
            entry = zipfile.ZipInfo(info.filename, date_time=created.timetuple()[:6])
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            dst.writestr(entry, content)
    return fixed.getvalue()
