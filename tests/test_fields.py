"""The field checks in pyarrow (figpack.fields) find exactly what the pandera schemas built from
the same Table Schemas find (figpack.pandera_reference): the same failures, row, field, value,
rule and message, on drawn schemas and drawn cells, tricky text included."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from figpack import fields, frames, pandera_reference
from tests.conftest import ROOT

TEXT = st.sampled_from(
    [
        "1",
        "01",
        "1.0",
        "1.50",
        "-0",
        "0",
        "0.0",
        "150",
        "-1",
        "2.5",
        "9223372036854775807",
        "9223372036854775808",
        "1234567890123456",
        "0.1000000000000001",
        "1e5",
        "inf",
        "１３",
        " 1",
        "true",
        "false",
        "True",
        "2023-02-28",
        "2023-02-29",
        "2024-02-29",
        "0001-01-01",
        "0000-01-01",
        "9999-12-31",
        "a",
        "ab",
        "abc",
        "x\x01y",
        "a\nb",
        "https://example.org/a",
        "javascript:alert(1)",
        "x" * 10_001,
    ]
)
CELL = st.none() | TEXT


@st.composite
def schemas(draw) -> dict:
    count = draw(st.integers(1, 4))
    out = []
    for i in range(count):
        kind = draw(st.sampled_from(["string", "number", "integer", "date", "boolean"]))
        field: dict = {"name": f"f{i}", "type": kind}
        c: dict = {}
        if draw(st.booleans()):
            c["required"] = True
        if draw(st.booleans()):
            c["unique"] = True
        if draw(st.booleans()):
            c["enum"] = {
                "string": ["a", "ab", "2023-02-28"],
                "date": ["2023-02-28", "2024-02-29"],
                "number": [1, 2.5, 150],
                "integer": [1, 150, -1],
                "boolean": [True],
            }[kind]
        if kind == "string" and draw(st.booleans()):
            c.update(pattern=draw(st.sampled_from(["a+", "[a-z]b?", "(a|ab)c?"])))
        if kind == "string" and draw(st.booleans()):
            c.update(minLength=2, maxLength=draw(st.sampled_from([2, 3, 50])))
        if kind in ("number", "integer") and draw(st.booleans()):
            c.update(minimum=draw(st.sampled_from([0, 1, 1.5])))
        if kind in ("number", "integer") and draw(st.booleans()):
            c.update(maximum=draw(st.sampled_from([2, 150, 2.5])))
        if kind == "string" and draw(st.booleans()):
            field["format"] = "uri"
        if c:
            field["constraints"] = c
        out.append(field)
    schema: dict = {"fields": out}
    if count > 1 and draw(st.booleans()):
        schema["primaryKey"] = [out[1]["name"], out[0]["name"]]
    if draw(st.booleans()):
        schema["uniqueKeys"] = [[out[-1]["name"]]]
    return schema


def frame(schema: dict, rows: list[list]) -> pd.DataFrame:
    names = [f["name"] for f in schema["fields"]]
    data = pd.DataFrame({n: [r[i] for r in rows] for i, n in enumerate(names)}, columns=names, dtype="str")
    return data


def both(schema: dict, data: pd.DataFrame) -> tuple[list, list]:
    return fields.check(schema, data, "t.csv"), pandera_reference.check(schema, data, "t.csv")


TYPED = {"minimum", "maximum", "enum", "unique", "primary_key_unique"}  # failures that show a typed value


def shown(failure) -> tuple:
    """A failure, with a whole typed number as an integer: pandera shows 1 as 1 or 1.0 depending
    on the other failures of the run (its failure cases share one column)."""
    value = failure.value
    if failure.rule in TYPED and value is not None:
        try:
            value = str(int(Decimal(value))) if Decimal(value) % 1 == 0 else value
        except (InvalidOperation, ValueError, OverflowError):
            pass
    return (failure.file, failure.row, failure.field, value, failure.rule, failure.message)


@settings(max_examples=max(60, settings().max_examples), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=schemas(), data=st.data())
def test_pyarrow_field_checks_find_what_the_pandera_schemas_find(schema, data):
    width = len(schema["fields"])
    rows = data.draw(st.lists(st.lists(CELL, min_size=width, max_size=width), max_size=8))
    plain = frame(schema, rows)
    ours, reference = both(schema, plain)
    assert sorted(map(repr, map(shown, ours))) == sorted(map(repr, map(shown, reference)))
    encoded = plain.astype("category")  # a column of repeated codes is read dictionary-encoded
    ours = fields.check(schema, encoded, "t.csv")
    assert sorted(map(repr, map(shown, ours))) == sorted(map(repr, map(shown, reference)))


def test_the_real_tables_give_no_field_failure_either_way():
    from figpack.files import read_table
    from figpack.validation import load_schema

    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        schema, _ = load_schema(ROOT, resource)
        table = read_table(ROOT, resource, schema)
        assert both(schema, table.frame) == ([], []), resource["name"]


def test_a_number_constraint_failure_shows_the_value_as_pandera_holds_it():
    schema = {"fields": [{"name": "v", "type": "number", "constraints": {"minimum": 0}}]}
    ours, reference = both(schema, frame(schema, [["-1"]]))
    assert ours == reference and ours[0].value == "-1.0" and ours[0].rule == "minimum"


WORDS = st.lists(st.none() | st.sampled_from(["a", "b", "c", "万", ""]), max_size=12)


@settings(max_examples=max(100, settings().max_examples), deadline=None)
@given(a=WORDS, b=WORDS, encode_a=st.booleans(), encode_b=st.booleans())
def test_dictionary_encoded_columns_compare_and_look_up_as_text_does(a, b, encode_a, encode_b):
    from figpack.frames import differs, isin, positions_in

    b = (b + [None] * len(a))[: len(a)]
    left, right = pd.Series(a, dtype="str"), pd.Series(b, dtype="str")
    enc_left = left.astype("category") if encode_a else left
    enc_right = right.astype("category") if encode_b else right
    assert differs(enc_left, enc_right).tolist() == (left != right).tolist()
    assert isin(enc_left, enc_right[1:]).tolist() == left.isin(right[1:].dropna()).tolist()
    first = {v: i for i, v in reversed(list(enumerate(b))) if v is not None}
    expected = [-1 if v is None else first.get(v, -1) for v in a]
    assert positions_in(enc_left, enc_right).tolist() == expected


@settings(max_examples=max(25, settings().max_examples), deadline=None)  # the fuzz profile's many in make fuzz
@given(values=st.lists(st.none() | st.sampled_from(["", "a", "b", "ab", "ba", "万", "a万b", "x" * 40]), max_size=40))
def test_long_text_checked_part_by_part_repeats_what_one_pass_finds(values):
    """_repeated_rows splits long text into parts by length and a few bytes; forced to split any
    array, it finds the rows one dictionary encoding of the whole finds."""
    import pyarrow as pa

    array = pa.array(values, type=pa.large_string())
    whole = fields._repeated_in(array).tolist()
    saved = frames.PARTITIONED_ROWS
    try:
        frames.PARTITIONED_ROWS = 0
        assert fields._repeated_rows(array).tolist() == whole
        assert fields._repeated_rows(array.slice(1)).tolist() == fields._repeated_in(array.slice(1)).tolist()
    finally:
        frames.PARTITIONED_ROWS = saved


@settings(max_examples=max(25, settings().max_examples), deadline=None)  # the fuzz profile's many in make fuzz
@given(
    values=st.lists(st.none() | st.sampled_from(["a", "b", "万", "a\x01", "x" * 12, "1", "01"]), max_size=40),
    encoded=st.booleans(),
)
def test_a_unique_check_counting_codes_numbered_beforehand_finds_what_hashing_the_texts_finds(values, encoded):
    """A unique text column whose codes a foreign key's numbering already made (Context.made_codes)
    counts them; a cell its type check drops (a control character, too long) is not counted."""
    schema = {
        "fields": [
            {"name": "id", "type": "string", "constraints": {"unique": True, "maxLength": 10}},
            {"name": "n", "type": "integer", "constraints": {"unique": True}},
        ]
    }
    kind = "category" if encoded else "str"
    frame = pd.DataFrame({"id": pd.Series(values, dtype=kind), "n": pd.Series(values, dtype="str")})
    saved = fields.MAX_CELL_CHARS
    try:
        fields.MAX_CELL_CHARS = 11  # the longest value is dropped as too long
        hashed = fields.check(schema, frame, "t.csv")
        counted = fields.checking(schema, frame, "t.csv", codes=lambda name: frames.shared_codes([frame[name]])[0])()
    finally:
        fields.MAX_CELL_CHARS = saved
    assert counted == hashed
