"""Field checks from the Table Schemas, column by column in pyarrow's compute kernels: each value's
type by one strict lexical rule (shared with every loader), then the constraints. The constraints
mean what the pandera schema built from the same Table Schema means (figpack.pandera_reference):
a property test holds the two to the same failures, value for value.

One meaning of a valid value: a number is plain ASCII decimal digits (no exponent, no inf or
NaN, no padding, at most 28 digits before the point and 10 after, what DECIMAL(38,10) holds
exactly); an integer is ASCII digits within 64 bits; a date is an existing YYYY-MM-DD; a boolean is
one of the field's trueValues or falseValues, which may only be "true" and "false".
"""

from __future__ import annotations

import functools
import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from figpack import frames, patterns
from figpack.frames import text_piece
from figpack.registry import Failure

TYPES: dict[str, re.Pattern[str] | None] = {  # the Table Schema types checked, with the text a valid value has
    "string": None,
    "number": re.compile(r"-?[0-9]{1,28}(\.[0-9]{1,10})?"),
    "integer": re.compile(r"-?[0-9]{1,19}"),
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "boolean": None,
}
MAX_CELL_CHARS = 10_000  # the longest value read (a DuckDB CSV line must stay under its 2 MB limit)
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


class Column:
    """A text column as read: its values and, for a dictionary-encoded column, each row's position
    among its distinct values (-1: missing). Every check runs once per value held, so a code
    repeated a million times is checked once."""

    def __init__(self, values: pa.Array, positions: np.ndarray | None = None):
        self.values, self.positions = values, positions

    @classmethod
    def of(cls, series: pd.Series) -> "Column":
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy()
            return cls(text_piece(pd.Series(series.cat.categories, dtype="str")), codes)
        return cls(text_piece(series))

    def rows(self, mask) -> np.ndarray:
        """The rows whose value the mask (over values) marks true; null counts as false."""
        marked = pc.fill_null(mask, False).to_numpy(zero_copy_only=False)
        if self.positions is None:
            return np.flatnonzero(marked)
        if not marked.any():  # the common case: no value marked, no row to find among a million
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(np.append(marked, False)[self.positions])

    def missing_rows(self) -> np.ndarray:
        return self.rows(pc.is_null(self.values)) if self.positions is None else self._missing()

    def _missing(self) -> np.ndarray:
        assert self.positions is not None
        held = np.append(pc.is_null(self.values).to_numpy(zero_copy_only=False), True)
        return np.flatnonzero(held[self.positions])

    def at(self, row: int):
        i = row if self.positions is None else int(self.positions[row])
        return None if i < 0 else self.values[i].as_py()

    def without(self, dropped) -> "Column":
        """The column with the values the mask marks made missing (itself where none is marked: a
        million texts are not copied to change nothing)."""
        dropped = pc.fill_null(dropped, False)
        if not pc.any(dropped).as_py():
            return self
        return Column(pc.if_else(dropped, pa.scalar(None, self.values.type), self.values), self.positions)

    def per_row(self, values: pa.Array) -> pa.Array:
        """Values given per held value, one per row."""
        if self.positions is None:
            return values
        return values.take(pa.array(self.positions, mask=self.positions < 0))


Codes = Callable[[str], "np.ndarray | None"]
# a column's texts as integers (equal texts, equal integers; -1 missing), or None where not made:
# a unique check then counts integers instead of hashing the texts again (figpack.frames.Context.made_codes)


def _matches(text: pa.ChunkedArray, pattern: str):
    return pc.match_substring_regex(text, pattern=patterns.anchored(pattern))


def _valid_dates(values: list[str]) -> set[str]:
    """The distinct date texts that are existing calendar days, as pandas reads them (0000 to 9999)."""
    read = pd.to_datetime(pd.Series(values, dtype="str"), format="%Y-%m-%d", errors="coerce")
    return {v for v, ok in zip(values, read.notna()) if ok}


def _mistyped(text: pa.ChunkedArray, kind: str, field: dict):
    """True where a present value is not a valid value of the field's type."""
    if kind in ("number", "integer", "date"):
        shape = TYPES[kind]
        assert shape is not None  # numbers, integers and dates each have one
        shaped = _matches(text, shape.pattern)
        if kind == "integer":  # 19 digits may pass 64 bits: the few that long are read exactly
            long = pc.and_(shaped, pc.greater_equal(pc.utf8_length(text), 19))
            if pc.any(long).as_py():
                out = [v for v in pc.unique(pc.filter(text, long)).to_pylist() if not -(2**63) <= int(v) < 2**63]
                shaped = pc.and_(shaped, pc.invert(pc.is_in(text, pa.array(out, pa.large_string()))))
        if kind == "date":
            candidates = pc.unique(pc.filter(text, shaped)).to_pylist()
            shaped = pc.is_in(text, pa.array(sorted(_valid_dates(candidates)), pa.large_string()))
        return pc.invert(shaped)
    if kind == "boolean":
        return pc.invert(pc.is_in(text, pa.array(["true", "false"], pa.large_string())))
    if field.get("format") == "uri":
        return pc.invert(_matches(text, URI.pattern))
    return pc.is_null(text)  # a string is always of its type (null here: never true where present)


def type_failures(field: dict, col: Column, path: str, control_check: bool) -> tuple[list[Failure], Column]:
    """The failures of one column's values against the field's type, and the column with those
    cells made missing (so the constraint checks see only typed values)."""
    name, kind = field["name"], field.get("type", "string")
    failures, text = [], col.values
    present = pc.is_valid(text)
    too_long = pc.fill_null(pc.greater(pc.utf8_length(text), MAX_CELL_CHARS), False)
    for i in col.rows(too_long):
        failures.append(
            Failure(
                path,
                int(i),
                name,
                col.at(int(i))[:40] + "…",
                "cell_length_limit",
                f"expected at most {MAX_CELL_CHARS:,} characters",
            )
        )
    bad = pc.or_(too_long, pc.fill_null(pc.and_(present, _mistyped(text, kind, field)), False))
    rule = "uri" if kind == "string" and field.get("format") == "uri" else kind
    fine = pc.and_(present, pc.invert(bad))
    dropped = bad
    if kind in ("number", "integer"):
        digits = pc.utf8_length(pc.utf8_trim(pc.replace_substring_regex(text, pattern="[-.]", replacement=""), "0"))
        imprecise = pc.and_(fine, pc.greater(digits, MAX_SIGNIFICANT_DIGITS))
        for i in col.rows(imprecise):
            failures.append(Failure(path, int(i), name, col.at(int(i)), "number_precision", PRECISION_TEXT))
        dropped = pc.or_(dropped, pc.fill_null(imprecise, False))
    if control_check:
        control = pc.and_(fine, pc.match_substring_regex(text, pattern=CONTROL.pattern))
        for i in col.rows(control):
            failures.append(Failure(path, int(i), name, col.at(int(i)), "no_control_characters", CONTROL_TEXT))
        dropped = pc.or_(dropped, pc.fill_null(control, False))
    for i in col.rows(pc.and_(bad, pc.invert(too_long))):
        message = f"expected {TYPE_TEXT.get(rule, rule)}"
        failures.append(Failure(path, int(i), name, col.at(int(i)), f"type_{rule}", message))
    return failures, col.without(dropped)


def logical(values: pd.Series, kind: str) -> pd.Series:
    """Each typed value as the text of its logical value (1.50 and 1.5 are one number), for comparing
    keys; worked out once per distinct value."""
    if kind not in ("number", "integer"):
        return values
    text = {
        v: format(Decimal(v).normalize(), "f") if kind == "number" else str(int(v)) for v in values.dropna().unique()
    }
    return values.map(text, na_action="ignore")


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


def constraint_text(spec: dict | None, check: str) -> str:
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


class Typed:
    """A column's typed values as pandera holds them after coercion, and their text in a failure
    (a number as a float: 150 shows as 150.0; a boolean as True or False)."""

    def __init__(self, kind: str, clean: Column):
        self.kind, self.clean = kind, clean
        if kind == "number":
            self.values = pc.cast(clean.values, pa.float64())
        elif kind == "integer":
            self.values = pc.cast(clean.values, pa.int64())
        elif kind == "boolean":
            self.values = pc.equal(clean.values, "true")
        else:
            self.values = clean.values

    def per_row(self) -> pd.Series:
        return self.clean.per_row(self.values).to_pandas(types_mapper=pd.ArrowDtype)

    def text(self, row: int) -> str | None:
        i = row if self.clean.positions is None else int(self.clean.positions[row])
        value = None if i < 0 else self.values[i].as_py()
        return None if value is None else str(value)


def _enum_allows(kind: str, enum: list):
    """The enum's items that can equal a value of the field's type, as pandas' isin compares them."""
    if kind in ("number", "integer"):
        items = [e for e in enum if isinstance(e, (int, float))]
        return pa.array(
            [float(e) for e in items] if kind == "number" else items, pa.float64() if kind == "number" else None
        )
    if kind == "boolean":
        return pa.array([v for v in (True, False) if any(v == e and not isinstance(e, str) for e in enum)], pa.bool_())
    return pa.array([e for e in enum if isinstance(e, str)], pa.large_string())


def _repeated_rows(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Rows whose present value another row also has: the values dictionary-encoded once (a copy of
    the distinct values and an integer a row, never a Python object each). Long text is encoded in
    parts, each of the rows sharing a length and a few bytes (equal values always share them), so
    that the encoder holds a fraction of the values at a time."""
    if pa.types.is_floating(values.type):
        values = pc.add(values, 0.0)  # -0.0 + 0.0 is 0.0: the two zeros are one value, as in pandas
    if len(values) <= frames.PARTITIONED_ROWS or not pa.types.is_large_string(values.type):
        return _repeated_in(values)
    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    found = [at[_repeated_in(values.take(at))] for at in frames.parts(values) if len(at)]
    return np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _repeated_in(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    if len(encoded.dictionary) == len(values) - values.null_count:
        return np.zeros(0, dtype=np.int64)  # every present value once
    return _repeated_codes(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False))


def _repeated_codes(codes: np.ndarray) -> np.ndarray:
    """The rows whose code another row repeats (-1, a missing value, is never repeated)."""
    counts = np.bincount(codes[codes >= 0])
    return np.flatnonzero((codes >= 0) & (np.append(counts, 0)[codes] > 1))


def _duplicated(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose values another row repeats (missing values equal, as in pandas)."""
    return frame.duplicated(keep=False).to_numpy()


def constraint_failures(
    table_schema: dict, clean: dict[str, Column], path: str, skip: set, codes: Codes | None = None
) -> list[Failure]:
    """The Table Schema's constraints on typed values, in pandera's order: the primary key, then
    field by field required, unique, pattern, enum, length, minimum, maximum. codes: a text
    column's integer codes where they are already made (see Codes)."""
    with ThreadPoolExecutor(1) as pool:
        # a long column's pattern is matched on a thread beside the other checks: RE2 lets go of the
        # GIL and gives a bit a row, so two passes run at once for almost no memory
        matching = {}
        for field in table_schema["fields"]:
            pattern, values = _pattern(field), clean[field["name"]].values
            if pattern is not None and len(values) > frames.SMALL_ROWS:
                matching[field["name"]] = pool.submit(_matches, values, pattern)
        return _constraint_failures(table_schema, clean, path, skip, matching, codes)


def _pattern(field: dict) -> str | None:
    return field.get("constraints", {}).get("pattern") or field.get("x-pattern")


def _constraint_failures(
    table_schema: dict, clean: dict[str, Column], path: str, skip: set, matching: dict, codes: Codes | None
) -> list[Failure]:
    fields = {f["name"]: f for f in table_schema["fields"]}
    typed = {name: Typed(f.get("type", "string"), clean[name]) for name, f in fields.items()}
    failures = []
    key = table_schema.get("primaryKey")
    key = [key] if isinstance(key, str) else key
    if key and len(key) > 1:
        repeated = np.flatnonzero(_duplicated(pd.DataFrame({name: typed[name].per_row() for name in key})))
        message = f"expected a combination of {', '.join(key)} no other row has (primary key)"
        for name in key:
            for i in repeated:
                text = typed[name].text(int(i))
                if text is not None and (int(i), name) not in skip:
                    failures.append(Failure(path, int(i), name, text, "primary_key_unique", message))
    for name, field in fields.items():
        c, kind, values, col = field.get("constraints", {}), field.get("type", "string"), typed[name], clean[name]
        found: list[tuple[str, str, np.ndarray]] = []  # (rule, pandera's check, rows)
        if c.get("required"):
            found.append(("required", "not_nullable", col.missing_rows()))
        if c.get("unique"):
            # a text column's codes made beforehand, where they are: a cell its type check dropped (a
            # control character, too long) needs no care there, as being dropped is a property of the
            # text, so every row of that text is dropped too and their other failures are not reported
            numbered = codes(name) if codes is not None and kind == "string" else None
            repeated = (
                _repeated_rows(values.clean.per_row(values.values)) if numbered is None else _repeated_codes(numbered)
            )
            found.append(("unique", "field_uniqueness", repeated))
        checks = []  # per held value; a missing value passes (it is required's business)
        pattern = _pattern(field)
        if pattern is not None:
            matched = matching[name].result() if name in matching else _matches(col.values, pattern)
            checks.append(("pattern", "str_matches", pc.invert(matched)))
        if "enum" in c:
            checks.append(("enum", "isin", pc.invert(pc.is_in(values.values, _enum_allows(kind, c["enum"])))))
        if "minLength" in c or "maxLength" in c:
            length = pc.utf8_length(col.values)
            short = pc.less(length, c.get("minLength", 0))
            long = pc.greater(length, c["maxLength"]) if "maxLength" in c else pc.is_null(length)
            checks.append(("length", "str_length", pc.or_(short, long)))
        if "minimum" in c:
            checks.append(("minimum", "greater_than_or_equal_to", pc.less(values.values, c["minimum"])))
        if "maximum" in c:
            checks.append(("maximum", "less_than_or_equal_to", pc.greater(values.values, c["maximum"])))
        present = pc.is_valid(values.values)
        found += [(rule, check, col.rows(pc.and_(present, failing))) for rule, check, failing in checks]
        for rule, check, rows in found:
            message = "expected " + constraint_text(field, check)
            for i in rows:
                if (int(i), name) not in skip:
                    failures.append(Failure(path, int(i), name, values.text(int(i)), rule, message))
    return failures


def check(table_schema: dict, frame: pd.DataFrame, path: str, control_characters: bool = True) -> list[Failure]:
    """Every field-level failure of the frame against its Table Schema (row = 0-based data row);
    control_characters: False when the file's scan found none (no cell is checked for them)."""
    return checking(table_schema, frame, path, control_characters)()


def checking(
    table_schema: dict, frame: pd.DataFrame, path: str, control_characters: bool = True, codes: Codes | None = None
) -> Callable[[], list[Failure]]:
    """check's work in two steps: the frame's columns are taken now, on the caller's thread (pandas
    is not safe for two threads at once); the checks run when the job is called, in pyarrow and
    numpy and on frames of their own, so on any thread."""
    columns = {f["name"]: Column.of(frame[f["name"]]) for f in table_schema["fields"]}
    index = frame.index
    plain = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
    rows = None if plain else index.to_numpy()  # the frame's own row numbers, where they are not 0, 1, ...
    return functools.partial(_checked, table_schema, columns, path, control_characters, rows, codes)


def _checked(
    table_schema: dict,
    columns: dict[str, Column],
    path: str,
    control_characters: bool,
    rows: np.ndarray | None,
    codes: Codes | None,
) -> list[Failure]:
    failures, clean = [], {}
    for field in table_schema["fields"]:
        found, clean[field["name"]] = type_failures(field, columns[field["name"]], path, control_characters)
        failures += found
    if table_schema.get("uniqueKeys"):
        as_frame = pd.DataFrame(
            {n: c.per_row(c.values).to_pandas(types_mapper=pd.ArrowDtype) for n, c in clean.items()}
        )
        failures += unique_key_failures(table_schema, as_frame.astype("str"), path)
    mistyped = {(f.row, f.field) for f in failures}
    try:
        failures += constraint_failures(table_schema, clean, path, mistyped, codes)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
        message = f"expected constraints pyarrow can check; it stopped on {exc.__class__.__name__}"
        failures.append(Failure(path, None, None, None, "constraints_unchecked", message))
    if rows is not None:
        failures = [f if f.row is None else Failure(f.file, int(rows[f.row]), *_rest(f)) for f in failures]
    return list(dict.fromkeys(failures))


def _rest(f: Failure) -> tuple:
    return f.field, f.value, f.rule, f.message
