"""Stata .dta files (format 118, UTF-8), one per resource, with variable labels from the field
titles and a dataset label from the resource title; byte-reproducible (the time stamp is the
package's `created`). Numbers are doubles (exact for every value of the package: a test checks),
dates are Stata dates (%td), booleans 0/1, empty cells missing.
"""

from __future__ import annotations

import io
from pathlib import Path

from figpack.package import load_descriptor
from figpack.validation import load_schema


def frame(con, name: str, fields: list[dict]):
    import pandas as pd

    df = con.execute(f'SELECT * FROM "{name}"').df()
    for f in fields:
        col, kind = f["name"], f.get("type", "string")
        if kind in ("number", "integer"):
            df[col] = pd.to_numeric(df[col].astype(object), errors="raise").astype("float64")
        elif kind == "boolean":
            df[col] = df[col].astype("float64")
        elif kind == "date":
            df[col] = pd.to_datetime(df[col])
        else:
            df[col] = df[col].astype(object).where(df[col].notna(), "")
    return df


def dta_bytes(con, resource: dict, schema: dict, created) -> bytes:
    fields = schema["fields"]
    df = frame(con, resource["name"], fields)
    out = io.BytesIO()
    df.to_stata(
        out,
        write_index=False,
        version=118,
        data_label=resource.get("title", resource["name"])[:80],
        variable_labels={f["name"]: f.get("title", f["name"])[:80] for f in fields},
        convert_dates={f["name"]: "td" for f in fields if f.get("type") == "date"},
        time_stamp=created,
    )
    return out.getvalue()


def all_dta(root: Path, created) -> dict[str, bytes]:
    """{file name: bytes} for every resource of the package at root."""
    from figpack.sql import connect

    con = connect(root)
    out = {}
    for r in load_descriptor(root)["resources"]:
        schema, _ = load_schema(root, r)
        out[f"{r['name']}.dta"] = dta_bytes(con, r, schema, created)
    return out
