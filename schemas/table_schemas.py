"""Pandera schemas built from the Table Schemas, so each field's type and constraints are written once.

pandera's from_frictionless_schema does the translation; three of its choices are adjusted here
because the CSVs are read as text: integers become nullable Int64 (a field may be empty), an
enum keeps the field's own type (pandera would make it a string category, so integer enums could
never match), and dates, which it leaves as strings, get an ISO-date check.
"""
from __future__ import annotations

import functools
import json

import pandas as pd
import pandera.pandas as pa
from pandera.io.pandas_io import from_frictionless_schema

from schemas.rules import Failure

DTYPES = {"integer": "Int64", "number": "float64", "string": "string", "date": "string"}


def _is_iso_date(series: pd.Series) -> pd.Series:
    text = series.astype("string")
    shaped = text.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
    parsed = pd.to_datetime(text.where(shaped), format="%Y-%m-%d", errors="coerce").notna()
    return (shaped & parsed).fillna(False).astype(bool)


ISO_DATE = pa.Check(_is_iso_date, name="iso_date")


def build(table_schema: dict) -> pa.DataFrameSchema:
    return _build(json.dumps(table_schema, sort_keys=True))


@functools.lru_cache(maxsize=32)  # the same Table Schema gives the same pandera schema: build it once per process
def _build(text: str) -> pa.DataFrameSchema:
    table_schema = json.loads(text)
    generated = from_frictionless_schema(table_schema)
    columns = {}
    for spec in table_schema["fields"]:
        made = generated.columns[spec["name"]]
        checks = list(made.checks) + ([ISO_DATE] if spec["type"] == "date" else [])
        columns[spec["name"]] = pa.Column(
            DTYPES.get(spec["type"], "string"), checks=checks, nullable=made.nullable, unique=made.unique,
            coerce=True, required=True, name=spec["name"], title=made.title, description=made.description)
    return pa.DataFrameSchema(columns, strict=True, coerce=True, unique=generated.unique)


CHECK_NAMES = {  # pandera's check names, as the Table Schema constraint they come from
    "not_nullable": "required", "field_uniqueness": "unique",
    "str_matches": "pattern", "isin": "enum", "str_length": "length", "greater_than_or_equal_to": "minimum",
    "less_than_or_equal_to": "maximum", "in_range": "range", "iso_date": "type_date",
}


def _constraint_text(spec: dict | None, check: str) -> str:
    if spec is None:
        return check
    c = spec.get("constraints", {})
    if check.startswith("coerce_dtype") or check.startswith("dtype"):
        return f"a value of type {spec['type']}"
    texts = {
        "not_nullable": "a value (the field is required)",
        "field_uniqueness": "a value no other row has",
        "str_matches": f"text matching the pattern {c.get('pattern')}",
        "isin": f"one of: {', '.join(map(str, c.get('enum', [])))}",
        "str_length": f"text of {c.get('minLength', 0)} to {c.get('maxLength', 'any number of')} characters",
        "greater_than_or_equal_to": f"at least {c.get('minimum')}",
        "less_than_or_equal_to": f"at most {c.get('maximum')}",
        "in_range": f"between {c.get('minimum')} and {c.get('maximum')}",
        "iso_date": "an ISO date YYYY-MM-DD that exists",
    }
    return texts.get(check.split("(")[0], check)


def check(table_schema: dict, frame: pd.DataFrame, path: str) -> list[Failure]:
    """Every field-level failure of the frame against its Table Schema, as Failures (row = 0-based)."""
    try:
        build(table_schema).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    specs = {f["name"]: f for f in table_schema["fields"]}
    failures = []
    for case in cases.itertuples(index=False):
        check_name = str(case.check)
        base = check_name.split("(")[0]
        column = None if pd.isna(case.column) else str(case.column)
        spec = specs.get(column)
        message = "expected " + _constraint_text(spec, check_name)
        if base in ("coerce_dtype", "dtype"):
            rule = f"type_{spec['type']}" if spec else "type"
        elif base in ("dataframe_uniqueness", "multiple_fields_uniqueness"):
            rule = "primary_key_unique"
            message = f"expected a combination of {', '.join(table_schema['primaryKey'])} no other row has (primary key)"
        else:
            rule = CHECK_NAMES.get(base, base)
        row = None if pd.isna(case.index) else int(case.index)
        value = None if pd.isna(case.failure_case) else str(case.failure_case)
        failures.append(Failure(path, row, column, value, rule, message))
    return list(dict.fromkeys(failures))  # pandera may report one bad cell under two checks
