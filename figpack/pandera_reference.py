"""The reference for the field checks: a pandera schema built from each Table Schema (each
constraint becomes pandera's own check), run on pandas frames. figpack.fields does the same checks
in pyarrow's kernels, column by column, at a fraction of the cost; a property test
(tests/test_fields.py) holds the two to the same failures. A researcher can also take `build(...)`
to check a frame of their own against the package's Table Schemas."""

from __future__ import annotations

import functools
import json

import pandas as pd

from figpack import patterns
from figpack.fields import (
    CONTROL,
    CONTROL_TEXT,
    MAX_CELL_CHARS,
    MAX_SIGNIFICANT_DIGITS,
    PRECISION_TEXT,
    TYPE_TEXT,
    TYPES,
    URI,
    constraint_text,
    unique_key_failures,
)
from figpack.registry import Failure

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
        message = "expected " + constraint_text(specs.get(column), check_name)
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
