"""What rules share: the Context (tables as text frames, the report's facts, frames computed
lazily once) and small helpers. Numbers are compared as decimals, never binary floats."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ARABIC = re.compile(r"[0-9]+(\.[0-9]+)?")


def blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value) or value == ""


def dec(value) -> Decimal | None:
    """An ASCII decimal as Decimal; None for blanks and anything else (the Table Schema check names those)."""
    if blank(value) or not re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?", str(value)):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def text_array(values) -> pa.ChunkedArray:
    """Values as pyarrow large strings: a text column as read without a copy, anything else as its text."""
    array = values.array if isinstance(values, pd.Series) else None
    if array is not None and isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        found = array.__arrow_array__()
    elif isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        found = pa.array(values.array).dictionary_decode()
    else:
        found = pa.array(pd.Series(values, dtype="str"), from_pandas=True)
    found = found if isinstance(found, pa.ChunkedArray) else pa.chunked_array([found])
    return found if found.type == pa.large_string() else found.cast(pa.large_string())


def value_set(values) -> pa.Array:
    """The values to look up, as large strings: a dictionary-encoded column's values it uses, any
    other's as they are (a lookup builds its own hash set; repeating values costs nothing there)."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        used = np.unique(values.cat.codes.to_numpy())
        return text_array(pd.Series(values.cat.categories[used[used >= 0]], dtype="str")).combine_chunks()
    return text_array(values).combine_chunks()


def isin(series: pd.Series, values) -> pd.Series:
    """series.isin(values) for text, done by pyarrow (pandas' own is slow for a long list of
    strings); a dictionary-encoded series is looked up once per distinct value."""
    wanted = value_set(values)
    if isinstance(series.dtype, pd.CategoricalDtype):
        held = pd.Series(series.cat.categories, dtype="str")
        found_held = pc.is_in(text_array(held), value_set=wanted, skip_nulls=True).to_numpy(zero_copy_only=False)
        found = np.append(found_held, False)[series.cat.codes.to_numpy()]
    else:
        found = pc.is_in(text_array(series), value_set=wanted, skip_nulls=True).to_numpy(zero_copy_only=False)
    return pd.Series(found, index=series.index, dtype=bool)


def positions_in(keys: pd.Series, values: pd.Series) -> np.ndarray:
    """For each key, the position of the first row of values that equals it, or -1 (a missing key
    too): a look-up by pyarrow's hash table, never a Python object per row."""
    value_set = text_array(values).combine_chunks()
    if isinstance(keys.dtype, pd.CategoricalDtype):
        held = text_array(pd.Series(keys.cat.categories, dtype="str"))
        at = pc.fill_null(pc.index_in(held, value_set=value_set, skip_nulls=True), -1).to_numpy(zero_copy_only=False)
        return np.append(at, -1)[keys.cat.codes.to_numpy()]
    found = pc.index_in(text_array(keys), value_set=value_set, skip_nulls=True)
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def rows_at(frame: pd.DataFrame, positions: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """The frame's rows at positions (-1: a row of missing values), indexed by index."""
    picked = frame.iloc[np.where(positions < 0, 0, positions)].set_axis(index)
    missing = positions < 0
    if missing.any() and len(frame):
        picked = picked.mask(pd.Series(missing, index=index), axis=0)
    elif missing.any():
        picked = pd.DataFrame({c: pd.Series([None] * len(index), index=index, dtype="str") for c in frame.columns})
    return picked


def differs(a: pd.Series, b: pd.Series) -> pd.Series:
    """a != b compared as text, a missing value differing from everything (as pandas' strings do);
    two dictionary-encoded columns are compared by their codes, never decoded."""
    if not (isinstance(a.dtype, pd.CategoricalDtype) and isinstance(b.dtype, pd.CategoricalDtype)):
        return a.astype("str") != b.astype("str")
    in_a = a.cat.categories.get_indexer(b.cat.categories)  # -1: a value a never has
    a_codes, b_codes = a.cat.codes.to_numpy(), b.cat.codes.to_numpy()
    b_as_a = np.where(b_codes >= 0, np.append(in_a, -1)[b_codes], -1)
    return pd.Series((a_codes != b_as_a) | (a_codes < 0) | (b_codes < 0), index=a.index)


def rows(frame: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    """The rows where mask holds (missing: it does not); most masks of a valid package hold nowhere."""
    picked = mask.to_numpy(dtype=bool, na_value=False) if mask.hasnans else mask.to_numpy(dtype=bool)
    return frame[picked] if picked.any() else frame.iloc[0:0]  # an empty selection of a wide table is not free


def each(frame: pd.DataFrame, cols: list[str], check, where: pd.Series | None = None) -> Iterator[tuple]:
    """Run check(*values) once per distinct combination of cols (a million rows cost what their
    distinct values cost) and yield (row, field, value, message) for every row of a failing one,
    in row order. Rows are grouped by integer codes, never by a copy of their values."""
    at = np.arange(len(frame)) if where is None else np.flatnonzero(where.to_numpy(dtype=bool, na_value=False))
    combination = combinations([frame[c] for c in cols], at)
    seen_before = np.maximum.accumulate(np.append(-1, combination[:-1])) if len(at) else combination
    first = at[combination > seen_before]  # combinations are numbered in order of first appearance
    failing = np.zeros(len(first), dtype=bool)
    found = {}
    for number, values in enumerate(frame[cols].iloc[first].itertuples(index=False, name=None)):
        hits = list(check(*values))
        if hits:
            failing[number], found[number] = True, hits
    if not found:
        return
    hit = failing[combination]
    for row, number in zip(frame.index[at[hit]], combination[hit]):
        for field, value, message in found[number]:
            yield row, field, value, message


def combinations(columns: list[pd.Series], at: np.ndarray) -> np.ndarray:
    """For the rows at positions `at`, the number of each row's combination of values, counted 0, 1,
    ... in order of first appearance (missing values equal, as in pandas' drop_duplicates). Each
    column costs an integer code a row; the codes are folded into one integer, renumbered before
    the product of the columns' sizes could overflow."""
    key, size = np.zeros(len(at), dtype=np.int64), 1
    for values in columns:
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes, count = values.cat.codes.to_numpy(), len(values.cat.categories)
        else:
            codes, uniques = pd.factorize(values)
            count = len(uniques)
        if size * (count + 1) >= 2**63:
            key, size = _renumbered(key)
        key = key * (count + 1) + (codes[at].astype(np.int64) + 1)  # -1, a missing value, becomes 0
        size *= count + 1
    return _renumbered(key)[0]


def _renumbered(key: np.ndarray) -> tuple[np.ndarray, int]:
    numbers, distinct = pd.factorize(key)
    return numbers.astype(np.int64, copy=False), max(len(distinct), 1)


def present_exactly_when(
    frame: pd.DataFrame, condition: pd.Series, cols, needed: str, forbidden: str
) -> Iterator[tuple]:
    """The shape "these fields have a value exactly when condition holds": a blank where it holds
    fails with `needed`, a value where it does not fails with `forbidden`."""
    holds = condition.fillna(False).astype(bool)
    for col in cols:
        for i in rows(frame, holds & frame[col].isna()).index:
            yield i, col, None, needed
        extra = rows(frame, ~holds & frame[col].notna())
        for i, v in zip(extra.index, extra[col]):
            yield i, col, v, forbidden


def period_shape(frame: pd.DataFrame, year_is: str) -> Iterator[tuple]:
    """The shape of a period (period_status, period_start, period_end, reference_year, note): dates
    exactly when stated or inferred (an end may stay open: the caller says when), a year for a
    dated or year-only figure, and a reason for an inferred one."""
    dated = frame["period_status"].isin(["stated", "inferred"])
    yield from present_exactly_when(
        frame,
        dated,
        ("period_start",),
        "a date: the period is stated or inferred",
        "empty: the period is year_only or unknown, so no dates are known",
    )
    extra = rows(frame, ~dated & frame["period_end"].notna())
    for i, v in zip(extra.index, extra["period_end"]):
        yield i, "period_end", v, "empty: the period is year_only or unknown, so no dates are known"
    needs_year = frame["period_status"].isin(["year_only", "stated", "inferred"]) & frame["reference_year"].isna()
    for i in rows(frame, needs_year).index:
        yield i, "reference_year", None, year_is
    for i in rows(frame, (frame["period_status"] == "inferred") & frame["note"].isna()).index:
        yield i, "note", None, "the reason the period is inferred"


def token(printed: str) -> re.Pattern:
    if ARABIC.fullmatch(printed):  # a number must not stand inside a longer number (5 in 15.55)
        return re.compile(r"(?<![0-9.])" + re.escape(printed) + r"(?![0-9]|\.[0-9])")
    return re.compile(re.escape(printed))


def lookup(frame: pd.DataFrame, key: str, value: str) -> dict:
    """A code list as {key: value}, first row of each key winning (duplicates are a key failure)."""
    pairs = frame[[key, value]].dropna(subset=[key]).drop_duplicates(key)
    return dict(zip(pairs[key], pairs[value]))


class Context:
    """The readable tables and the report's facts; shared frames are made on first use."""

    blank = staticmethod(blank)

    def __init__(
        self,
        tables: dict[str, pd.DataFrame],
        report: dict | None = None,
        source_text: str | None = None,
        foreign_keys: tuple = (),
        declared: frozenset = frozenset(),
        copies: dict[str, str] | None = None,
    ):
        self.tables = tables
        self.report = report or {}
        self.source_text = source_text
        self.foreign_keys = foreign_keys  # (resource, fields, target, target fields) from the Table Schemas
        self.declared = declared  # the resource names the descriptor declares, readable or not
        self.copies = copies or {}  # source_id: text of a statistical table's copy at hand
        self._shared: dict = {}

    def shared(self, make):
        """make(self), computed on first use and kept: frames several rules share."""
        if make not in self._shared:
            self._shared[make] = make(self)
        return self._shared[make]

    @cached_property
    def joined(self) -> pd.DataFrame:
        """Observations with their indicator's measure, relation, unit and direction, and the measure's rules."""
        obs = self.tables["observations"]
        ind = self.tables["indicators"].drop_duplicates("indicator_id").set_index("indicator_id")
        cols = ["measure", "relation", "related_indicator_id", "item_min_base", "unit_short", "rank_direction"]
        looked_up = ind[cols].reindex(obs["indicator_id"].to_numpy()).set_axis(obs.index)
        looked_up = looked_up.rename(columns={"rank_direction": "indicator_rank_direction"})
        measures = self.tables["measures"].drop_duplicates("measure").set_index("measure")
        kinds = measures[["numeric", "whole_number"]].reindex(looked_up["measure"].to_numpy()).set_axis(obs.index)
        return pd.concat([obs, looked_up, kinds.rename(columns=lambda c: f"measure_{c}")], axis=1)

    def readings(self, kind: str) -> dict[str, str]:
        """The source's words of one kind (numeral, rank_word, ...) and what each reads as."""
        if ("readings", kind) not in self._shared:
            words = self.tables["word_readings"]
            self._shared["readings", kind] = lookup(words[words["kind"] == kind], "word", "reading")
        return self._shared["readings", kind]

    @cached_property
    def report_year(self) -> str | None:
        year = self.report.get("year")
        return str(year) if isinstance(year, int) and not isinstance(year, bool) else None
