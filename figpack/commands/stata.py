"""Stata .dta files (format 118, UTF-8), one per resource, with variable labels from the field
titles and a dataset label from the resource title; byte-reproducible (the time stamp is the
package's `created`). Numbers are doubles, converted from the exact decimals (a valid number has
at most 15 significant digits, which a double holds: figpack.fields), dates are Stata dates (%td),
booleans 0/1, empty cells missing. Field names that Stata cannot take (longer than 32 characters,
a reserved word) get a safe name (figpack.names); stata/names.csv records every table and variable.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from figpack.names import STATA_NAME, stata_reserved, target_names
from figpack.package import load_descriptor
from figpack.sql import ident
from figpack.validation import load_schema


def frame(con, name: str, fields: list[dict]):
    """The table with exact conversions: DECIMAL to the nearest double (Python's float of a
    Decimal is correctly rounded; DuckDB's .df() is not). Each column is made whole from the
    fetched rows (setting columns of a frame one by one took twice as long)."""
    import pandas as pd

    result = con.execute(f"SELECT * FROM {ident(name)}")
    rows = result.fetchall()
    kinds = {f["name"]: f.get("type", "string") for f in fields}
    columns = {}
    for i, (col, *_) in enumerate(result.description):
        values, kind = [row[i] for row in rows], kinds.get(col, "string")
        if kind in ("number", "integer", "boolean"):
            columns[col] = pd.Series([None if v is None else float(v) for v in values], dtype="float64")
        elif kind == "date":
            columns[col] = pd.to_datetime(pd.Series(values, dtype=object))
        else:
            columns[col] = pd.Series(["" if v is None else v for v in values], dtype=object)
    return pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))


def dta_bytes(con, resource: dict, schema: dict, created, variables: dict[str, str]) -> bytes:
    fields = schema["fields"]
    df = frame(con, resource["name"], fields).rename(columns=variables)
    out = io.BytesIO()
    df.to_stata(
        out,
        write_index=False,
        version=118,
        data_label=resource.get("title", resource["name"])[:80],
        variable_labels={variables[f["name"]]: f.get("title", f["name"])[:80] for f in fields},
        convert_dates={variables[f["name"]]: "td" for f in fields if f.get("type") == "date"},
        time_stamp=created,
    )
    return out.getvalue()


def all_dta(root: Path, created, con) -> dict[str, bytes]:
    """{file name: bytes} for every resource of the package at root (its tables read from con, the
    package loaded in DuckDB), and names.csv: each table's file and each field's variable name."""
    out, mapping = {}, io.StringIO()
    writer = csv.writer(mapping, lineterminator="\n")
    writer.writerow(["table", "file", "field", "variable"])
    reserved = stata_reserved()
    for r in load_descriptor(root)["resources"]:
        schema, _ = load_schema(root, r)
        variables = target_names([f["name"] for f in schema["fields"]], STATA_NAME, reserved)
        out[f"{r['name']}.dta"] = dta_bytes(con, r, schema, created, variables)
        writer.writerows([r["name"], f"{r['name']}.dta", field, variable] for field, variable in variables.items())
    out["names.csv"] = mapping.getvalue().encode("utf-8")
    return out
