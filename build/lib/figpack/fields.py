"""Field checks from the Table Schemas: each value's type by one strict
lexical rule (shared with every loader), then the constraints through pandera schemas built from
the Table Schemas, so each field's type and constraints are written once.

One meaning of a valid value: a number is plain ASCII decimal digits (no exponent, no inf or
NaN, no padding, at most 28 digits before the point and 10 after, what DECIMAL(38,10) holds
exactly); an integer is ASCII digits within 64 bits; a date is an existing YYYY-MM-DD; a boolean is
one of the field's trueValues or falseValues, which may only be "true" and "false".
"""

from __future__ import annotations

import functools
import json
import re
from decimal import Decimal

import pandas as pd

from figpack import patterns
from figpack.registry import Failure

TYPES: dict[str, re.Pattern[str] | None] = {  # the Table Schema types checked, with the text a valid value has
    "string": None,
    "number": re.compile(r"-?[0-9]{1,28}(\.[0-9]{1,10})?"),
    "integer": re.compile(r"-?[0-9]{1,19}"),
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "boolean": None,
}
MAX_CELL_CHARS = 10_000  # the longest value read (a DuckDB CSV line must stay under its 2 MB limit)
DTYPES = {"integer": "Int64", "number": "float64", "string": "string", "date": "string", "boolean": "boolean"}


def type_failures(schema: dict, frame: pd.DataFrame, path: str) -> tuple[list[Failure], pd.DataFrame]:
    """Every cell whose text is not a valid value of its field's type, and the frame with those
    cells made missing (so the constraint checks see only typed values)."""
    failures, clean = [], {}
    for field in schema["fields"]:
        name, kind = field["name"], field.get("type", "string")
        text = frame[name]
        bad = text.notna() & (text.str.len() > MAX_CELL_CHARS)
        for i in bad[bad].index:
            failures.append(
                Failure(
                    path,
                    int(i),
                    name,
                    text[i][:40] + "…",
                    "cell_length_limit",
                    f"expected at most {MAX_CELL_CHARS:,} characters",
                )
            )
        if kind in ("number", "integer", "date"):
            shape = TYPES[kind]
            assert shape is not None  # numbers, integers and dates each have one
            bad |= text.notna() & ~text.str.fullmatch(shape.pattern).fillna(False).astype(bool)
            if kind == "integer":
                shaped = text.notna() & ~bad
                in_range = pd.Series(
                    [-(2**63) <= int(v) < 2**63 for v in text[shaped]], index=text[shaped].index, dtype=bool
                )
                bad |= shaped & ~in_range.reindex(text.index, fill_value=True)
            if kind == "date":
                ok = pd.to_datetime(text.where(~bad), format="%Y-%m-%d", errors="coerce").notna()
                bad |= text.notna() & ~ok
        elif kind == "boolean":
            bad |= text.notna() & ~text.isin(["true", "false"])
        elif field.get("format") == "uri":
            bad |= text.notna() & ~text.str.fullmatch(URI.pattern).fillna(False).astype(bool)
            kind = "uri"
        imprecise = bad & False
        if kind in ("number", "integer"):
            imprecise = text.notna() & ~bad & (significant_digits(text) > MAX_SIGNIFICANT_DIGITS)
            for i in imprecise[imprecise].index:
                failures.append(Failure(path, int(i), name, text[i], "number_precision", PRECISION_TEXT))
        control = bad & False
        if frame.attrs.get("control_characters", True):
            control = text.notna() & ~bad & text.str.contains(CONTROL.pattern, regex=True).fillna(False).astype(bool)
        for i in control[control].index:
            failures.append(Failure(path, int(i), name, text[i], "no_control_characters", CONTROL_TEXT))
        for i in bad[bad].index:
            if len(str(text[i])) <= MAX_CELL_CHARS:
                failures.append(
                    Failure(path, int(i), name, text[i], f"type_{kind}", f"expected {TYPE_TEXT.get(kind, kind)}")
                )
        clean[name] = text.mask(bad | control | imprecise)
    return failures, pd.DataFrame(clean, index=frame.index)


def significant_digits(text: pd.Series) -> pd.Series:
    """Digits of each plain decimal's value, leading and trailing zeros aside (10.50 has 3)."""
    return text.str.replace(r"[-.]", "", regex=True).str.strip("0").str.len().fillna(0)


MAX_SIGNIFICANT_DIGITS = 15  # what a double holds exactly, decimal to double and back (DBL_DIG)
PRECISION_TEXT = (
    "expected at most 15 significant digits: what a double (Stata, Excel, SQLite, JSON readers) gives back exactly"
)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # what no spreadsheet or terminal should get
CONTROL_TEXT = "expected text without control characters (a line break or tab is allowed)"
URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s]+")
TYPE_TEXT = {
    "uri": "a URI (scheme://...) with no spaces",
    "number": "a plain decimal number: ASCII digits, optional '-' and '.', at most 28 digits before the point and 10 after",
    "integer": "a whole number in ASCII digits, optional '-', within 64 bits",
    "date": "an ISO date YYYY-MM-DD that exists",
    "boolean": "true or false",
}


def build(table_schema: dict):
    return _build(json.dumps(table_schema, sort_keys=True))


@functools.lru_cache(maxsize=64)  # the same Table Schema gives the same pandera schema: build it once per process
def _build(text: str):
    """A pandera schema from a Table Schema: each constraint becomes pandera's own check. (Written
    here rather than with pandera's from_frictionless_schema, which builds a frictionless Schema
    first and costs a fifth of a validation run.)"""
    import pandera.pandas as pa

    table_schema = json.loads(text)
    columns = {}
    for field in table_schema["fields"]:
        c, kind = dict(field.get("constraints", {})), field.get("type", "string")
        if "x-pattern" in field:  # see figpack.schema_shape: checked like a pattern, on present values
            c["pattern"] = field["x-pattern"]
        checks = []
        if "pattern" in c:  # the whole value, in linear time (figpack.patterns)
            checks.append(pa.Check(functools.partial(patterns.full_match, pattern=c["pattern"]), name="str_matches"))
        if "enum" in c:
            checks.append(pa.Check.isin(c["enum"]))
        if "minLength" in c or "maxLength" in c:
            checks.append(pa.Check.str_length(c.get("minLength"), c.get("maxLength")))
        if "minimum" in c:
            checks.append(pa.Check.ge(c["minimum"]))
        if "maximum" in c:
            checks.append(pa.Check.le(c["maximum"]))
        columns[field["name"]] = pa.Column(
            DTYPES[kind],
            checks=checks,
            nullable=not c.get("required", False),
            unique=bool(c.get("unique")),
            coerce=True,
            required=True,
            name=field["name"],
        )
    key = table_schema.get("primaryKey")
    key = [key] if isinstance(key, str) else key
    return pa.DataFrameSchema(columns, strict=True, coerce=True, unique=key if key and len(key) > 1 else None)


CHECK_NAMES = {  # pandera's check names, as the Table Schema constraint they come from
    "not_nullable": "required",
    "field_uniqueness": "unique",
    "str_matches": "pattern",
    "isin": "enum",
    "str_length": "length",
    "greater_than_or_equal_to": "minimum",
    "less_than_or_equal_to": "maximum",
    "in_range": "range",
}


def _constraint_text(spec: dict | None, check: str) -> str:
    if spec is None:
        return check
    c = spec.get("constraints", {})
    texts = {
        "not_nullable": "a value (the field is required)",
        "field_uniqueness": "a value no other row has",
        "str_matches": f"text matching the pattern {c.get('pattern') or spec.get('x-pattern')}",
        "isin": f"one of: {', '.join(map(str, c.get('enum', [])))}",
        "str_length": f"text of {c.get('minLength', 0)} to {c.get('maxLength', 'any number of')} characters",
        "greater_than_or_equal_to": f"at least {c.get('minimum')}",
        "less_than_or_equal_to": f"at most {c.get('maximum')}",
        "in_range": f"between {c.get('minimum')} and {c.get('maximum')}",
    }
    return texts.get(check.split("(")[0], check)


def logical(values: pd.Series, kind: str) -> pd.Series:
    """Each typed value as the text of its logical value (1.50 and 1.5 are one number), for comparing keys."""
    if kind == "number":
        return values.map(lambda v: format(Decimal(v).normalize(), "f"), na_action="ignore")
    if kind == "integer":
        return values.map(lambda v: str(int(v)), na_action="ignore")
    return values


def unique_key_failures(table_schema: dict, clean: pd.DataFrame, path: str) -> list[Failure]:
    """Table Schema v2 uniqueKeys: no two rows share a key's values. As in SQL, a row with a key
    field missing is not compared (only primaryKey forbids missing values)."""
    kinds = {f["name"]: f.get("type", "string") for f in table_schema["fields"]}
    failures = []
    for key in table_schema.get("uniqueKeys", []):
        key = [key] if isinstance(key, str) else list(key)
        values = pd.DataFrame({name: logical(clean[name], kinds[name]) for name in key}, index=clean.index)
        compared = values[values.notna().all(axis=1)]
        repeated = compared.duplicated(keep="first")
        for row in repeated[repeated].index:
            text = ", ".join(str(clean.at[row, name]) for name in key)
            message = f"expected a combination of {', '.join(key)} no other row has (unique key)"
            failures.append(Failure(path, int(row), ",".join(key), text, "unique_key", message))
    return failures


def check(table_schema: dict, frame: pd.DataFrame, path: str) -> list[Failure]:
    """Every field-level failure of the frame against its Table Schema (row = 0-based data row)."""
    import pandera.pandas as pa

    failures, clean = type_failures(table_schema, frame, path)
    failures += unique_key_failures(table_schema, clean, path)
    mistyped = {(f.row, f.field) for f in failures}
    typed = clean.copy()
    for field in table_schema["fields"]:
        if field.get("type") == "boolean":
            typed[field["name"]] = (
                clean[field["name"]].map({"true": True, "false": False}, na_action="ignore").astype("boolean")
            )
    try:
        build(table_schema).validate(typed, lazy=True)
        return failures
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    except Exception as exc:  # a schema pandera cannot apply: the constraints were not checked, so not valid
        message = f"expected constraints pandera can check; it stopped on {exc.__class__.__name__}"
        return failures + [Failure(path, None, None, None, "constraints_unchecked", message)]
    specs = {f["name"]: f for f in table_schema["fields"]}
    for case in cases.itertuples(index=False):
        check_name = str(case.check)
        base = check_name.split("(")[0]
        column = None if pd.isna(case.column) else str(case.column)
        row = None if pd.isna(case.index) else int(case.index)
        if (row, column) in mistyped:
            continue  # a value of the wrong type is reported once, as such
        message = "expected " + _constraint_text(specs.get(column), check_name)
        if base in ("dataframe_uniqueness", "multiple_fields_uniqueness"):
            rule, message = (
                "primary_key_unique",
                f"expected a combination of {', '.join(table_schema['primaryKey'])} no other row has (primary key)",
            )
        else:
            rule = CHECK_NAMES.get(base, base)
        value = None if pd.isna(case.failure_case) else str(case.failure_case)
        failures.append(Failure(path, row, column, value, rule, message))
    return list(dict.fromkeys(failures))  # pandera may report one bad cell under two checks
