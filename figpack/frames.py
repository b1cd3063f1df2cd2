"""What rules share: the Context (tables as text frames, the report's facts, frames computed
lazily once) and small helpers. Numbers are compared as decimals, never binary floats."""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Callable, Iterator

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


def text_piece(values) -> pa.Array:
    """text_array in one piece: a column as read (one chunk) is taken as it is, never copied."""
    found = text_array(values)
    return found.chunk(0) if found.num_chunks == 1 else found.combine_chunks()


def value_set(values) -> pa.Array:
    """The values to look up, as large strings: a dictionary-encoded column's values it uses, any
    other's as they are (a lookup builds its own hash set; repeating values costs nothing there)."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        used = np.unique(values.cat.codes.to_numpy())
        return text_piece(pd.Series(values.cat.categories[used[used >= 0]], dtype="str"))
    return text_piece(values)


def isin(series: pd.Series, values) -> pd.Series:
    """series.isin(values) for text, a missing value never found, done by pyarrow (pandas' own is
    slow for a long list of strings); a dictionary-encoded series is looked up once per distinct
    value, and a small text series against small text values in Python (a set costs less there)."""
    if _small_text(series) and isinstance(values, pd.Series) and _small_text(values):
        held = {v for v in as_list(values) if not _missing(v)}
        return pd.Series([not _missing(v) and v in held for v in as_list(series)], index=series.index, dtype=bool)
    wanted = value_set(values)
    if isinstance(series.dtype, pd.CategoricalDtype):
        held = text_piece(pd.Series(series.cat.categories, dtype="str"))
        found = np.append(index_in(held, wanted) >= 0, False)[series.cat.codes.to_numpy()]
    else:
        found = index_in(text_piece(series), wanted) >= 0
    return pd.Series(found, index=series.index, dtype=bool)


def positions_in(keys: pd.Series, values: pd.Series) -> np.ndarray:
    """For each key, the position of the first row of values that equals it, or -1 (a missing key
    too): a look-up by pyarrow's hash table, never a Python object per row."""
    value_set = text_piece(values)
    if isinstance(keys.dtype, pd.CategoricalDtype):
        held = text_piece(pd.Series(keys.cat.categories, dtype="str"))
        return np.append(index_in(held, value_set), -1)[keys.cat.codes.to_numpy()]
    return index_in(text_piece(keys), value_set)


def index_in(keys: pa.Array, values: pa.Array) -> np.ndarray:
    """For each key, the position of the first equal value, or -1 (a missing key too). Past
    PARTITIONED_ROWS, keys and values are matched part by part (text_part: equal texts share a
    part), so that the hash table holds a fraction of the values at a time."""
    if max(len(keys), len(values)) <= PARTITIONED_ROWS:
        return _index_in(keys, values)
    found = np.full(len(keys), -1, dtype=np.int64)
    for in_keys, in_values in zip(parts(keys), parts(values)):
        if len(in_keys) and len(in_values):
            at = _index_in(keys.take(in_keys), values.take(in_values))
            found[in_keys] = np.where(at >= 0, in_values[at], -1)
    return found


def _index_in(keys: pa.Array, values: pa.Array) -> np.ndarray:
    return pc.fill_null(pc.index_in(keys, value_set=values, skip_nulls=True), -1).to_numpy().astype(np.int64)


def parts(values: pa.Array) -> list[np.ndarray]:
    """The positions of each part of a text array (text_part), each in increasing order."""
    part = text_part(values)
    order = np.argsort(part, kind="stable")
    bounds = np.searchsorted(part[order], np.arange(TEXT_PARTS + 1))
    return [order[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def text_part(values: pa.Array) -> np.ndarray:
    """Each row's part, 0 to TEXT_PARTS - 1, from its length and its first, middle and last bytes:
    equal texts always share a part (a missing or empty one: by its length only)."""
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int64)[values.offset : values.offset + len(values) + 1]
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8) if values.buffers()[2] else np.zeros(1, np.uint8)
    start, length = offsets[:-1], np.diff(offsets)
    last = np.maximum(start + length - 1, 0)
    # any function of the bytes will do (equal texts have equal bytes); byte arithmetic may wrap
    mixed = length * 7 + data[start.clip(max=len(data) - 1)] * 3 + data[start + length // 2 - (length == 0)] * 5
    mixed += data[last.clip(max=len(data) - 1)]
    return (np.where(length > 0, mixed, length) % TEXT_PARTS).astype(np.int16)


PARTITIONED_ROWS = 1 << 22  # past this many rows, text is hashed part by part (index_in, unique checks, shared_codes)
TEXT_PARTS = 64


def shared_codes(columns: list[pd.Series]) -> list[np.ndarray]:
    """Each column's values as integers, -1 where missing: equal texts get equal integers across all
    the columns, so that look-ups between them (found_in, first_positions) are integer work. One
    pyarrow hash pass over the texts (a dictionary-encoded column's distinct values only); past
    PARTITIONED_ROWS part by part, as index_in does, so the hash table holds a part at a time; a
    few text values in Python (a dict costs less there)."""
    if sum(map(len, columns)) <= SMALL_ROWS and all(_small_text(c) for c in columns):
        numbers: dict = {}
        return [
            np.array([-1 if _missing(v) else numbers.setdefault(v, len(numbers)) for v in as_list(c)], dtype=np.int32)
            for c in columns
        ]
    texts, codes = [], []
    for values in columns:
        if isinstance(values.dtype, pd.CategoricalDtype):
            texts.append(text_piece(pd.Series(values.cat.categories, dtype="str")))
            codes.append(values.cat.codes.to_numpy())
        else:
            texts.append(text_piece(values))
            codes.append(None)
    if sum(map(len, texts)) <= PARTITIONED_ROWS:
        numbered, _ = _numbered(texts)
    else:
        numbered, count = [np.full(len(t), -1, dtype=np.int32) for t in texts], 0
        for in_part in zip(*(parts(t) for t in texts)):  # the positions of one part in each column
            ids, distinct = _numbered([t.take(at) for t, at in zip(texts, in_part)])
            for whole, at, part_ids in zip(numbered, in_part, ids):
                whole[at] = np.where(part_ids >= 0, part_ids + count, -1)
            count += distinct
    return [n if c is None else np.append(n, -1)[c] for n, c in zip(numbered, codes)]


def _numbered(texts: list[pa.Array]) -> tuple[list[np.ndarray], int]:
    """The texts numbered by one dictionary (pyarrow gives every chunk the same one), and its size."""
    encoded = pc.dictionary_encode(pa.chunked_array(texts, type=pa.large_string()))
    # int32, 4 bytes a row: pyarrow numbers an array of fewer than 2^31 values so, far past what is read
    ids = [pc.fill_null(chunk.indices, -1).to_numpy() for chunk in encoded.chunks]
    whole = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32)
    ends = np.cumsum([len(t) for t in texts])[:-1]
    return np.split(whole, ends), len(encoded.chunks[0].dictionary) if encoded.num_chunks else 0


def found_in(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each key (shared_codes), whether some value equals it; a missing key (-1) never."""
    present = np.zeros(max(int(keys.max(initial=-1)), int(values.max(initial=-1))) + 2, dtype=bool)
    present[values + 1] = True
    present[0] = False
    return present[keys + 1]


def first_positions(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each key (shared_codes), the position of the first value equal to it, or -1 (a missing key too)."""
    size = max(int(keys.max(initial=-1)), int(values.max(initial=-1))) + 2
    first = np.full(size, len(values), dtype=np.int64)
    np.minimum.at(first, values + 1, np.arange(len(values)))  # each value's least row
    first[(first == len(values)) | (np.arange(size) == 0)] = -1
    return first[keys + 1]


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


def looked_up(small: pd.DataFrame, at: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """The rows of a small table at positions `at` (-1: missing values), each column
    dictionary-encoded: its distinct values once and a code a row."""
    columns = {}
    for name in small.columns:
        held = pd.Categorical(small[name])
        codes = np.append(held.codes, -1)[at]
        columns[name] = pd.Categorical.from_codes(codes, dtype=held.dtype)
    return pd.DataFrame(columns, index=index)


def distinct(values: pd.Series) -> list:
    """The distinct present values, once each (a dictionary-encoded column's from its dictionary)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [v for v in as_list(pd.Series(values.cat.categories)) if not _missing(v)]
    return [v for v in dict.fromkeys(as_list(values)) if not _missing(v)]


def rows(frame: pd.DataFrame, mask: pd.Series | np.ndarray) -> pd.DataFrame:
    """The rows where mask holds (missing: it does not); most masks of a valid package hold nowhere."""
    picked = mask if isinstance(mask, np.ndarray) else truth(mask)
    return frame[picked] if picked.any() else frame.iloc[0:0]  # an empty selection of a wide table is not free


def each(frame: pd.DataFrame, cols: list[str], check, where: pd.Series | None = None) -> Iterator[tuple]:
    """Run check(*values) once per distinct combination of cols (a million rows cost what their
    distinct values cost) and yield (row, field, value, message) for every row of a failing one,
    in row order. Rows are grouped by integer codes, never by a copy of their values; a small
    frame's rows are grouped in Python (pandas' cost per call passes the work itself there)."""
    if len(frame) <= SMALL_ROWS:
        yield from _each_small(frame, cols, check, where)
        return
    at = np.arange(len(frame)) if where is None else np.flatnonzero(truth(where))
    combination = combinations([frame[c] for c in cols], at)
    first = at[first_appearances(combination)]
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


def _each_small(frame: pd.DataFrame, cols: list[str], check, where: pd.Series | None) -> Iterator[tuple]:
    wanted = None if where is None else truth(where)
    found: dict[tuple, list] = {}
    rows_found = []
    for position, (row, values) in enumerate(zip(frame.index, zip(*(as_list(frame[c]) for c in cols)))):
        if wanted is None or wanted[position]:
            key = tuple(None if _missing(v) else v for v in values)  # missing values are one value
            if key not in found:
                found[key] = list(check(*values))
            if found[key]:
                rows_found.append((row, found[key]))
    for row, failures in rows_found:  # every check ran before the first failure is reported
        for field, value, message in failures:
            yield row, field, value, message


def as_list(values: pd.Series) -> list:
    """values.tolist() (a missing value as the dtype's own: NaN for text), without pandas' cost per
    value: a dictionary-encoded column through its codes, pyarrow text through pyarrow."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        held = values.cat.categories.tolist() + [np.nan]  # code -1, a missing value: the last
        return [held[code] for code in values.cat.codes.tolist()]
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        missing = values.dtype.na_value
        return [missing if v is None else v for v in values.array.__arrow_array__().to_pylist()]
    return values.tolist()


def _small_text(values: pd.Series) -> bool:
    """A column of at most SMALL_ROWS text values (dictionary-encoded or not)."""
    kind = values.dtype.categories.dtype if isinstance(values.dtype, pd.CategoricalDtype) else values.dtype
    return len(values) <= SMALL_ROWS and isinstance(kind, pd.StringDtype)


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


SMALL_ROWS = 4096


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
            key, size = _renumbered(key, size)
        key *= count + 1  # in place: a million rows cost no new array per step
        key += codes[at]
        key += 1  # -1, a missing value, becomes 0
        size *= count + 1
    return _renumbered(key, size)[0]


def first_appearances(combination: np.ndarray) -> np.ndarray:
    """True where a combination number appears for the first time (numbered in order of first
    appearance, each first one is greater than every number before it)."""
    if not len(combination):
        return np.zeros(0, dtype=bool)
    return combination > np.maximum.accumulate(np.append(-1, combination[:-1]))


def _renumbered(key: np.ndarray, size: int) -> tuple[np.ndarray, int]:
    """The keys (each below size) numbered 0, 1, ... in order of first appearance, and how many."""
    if size > DENSE_KEYS:
        numbers, distinct = pd.factorize(key)
        return numbers.astype(np.int64, copy=False), max(len(distinct), 1)
    # few possible keys: each key's first row, in an array indexed by the key (no hash table)
    first = np.full(size, len(key), dtype=np.int64)
    np.minimum.at(first, key, np.arange(len(key)))
    seen = np.flatnonzero(first < len(key))
    number = np.zeros(size, dtype=np.int64)
    number[seen[np.argsort(first[seen])]] = np.arange(len(seen))
    return number[key], max(len(seen), 1)


DENSE_KEYS = 1 << 16  # up to this many possible keys, renumbering costs an array of them, not a hash table


def present_exactly_when(
    frame: pd.DataFrame, condition: pd.Series, cols, needed: str, forbidden: str
) -> Iterator[tuple]:
    """The shape "these fields have a value exactly when condition holds": a blank where it holds
    fails with `needed`, a value where it does not fails with `forbidden`."""
    holds = truth(condition)
    for col in cols:
        present = frame[col].notna().to_numpy()
        for i in frame.index[holds & ~present]:
            yield i, col, None, needed
        yield from _values_at(frame, ~holds & present, col, forbidden)


def _values_at(frame: pd.DataFrame, at: np.ndarray, col: str, message: str) -> Iterator[tuple]:
    if at.any():
        for i, v in zip(frame.index[at], frame[col][at]):
            yield i, col, v, message


def truth(mask: pd.Series) -> np.ndarray:
    """A mask as numpy booleans, a missing value false."""
    return mask.to_numpy(dtype=bool, na_value=False)


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
    forbidden = "empty: the period is year_only or unknown, so no dates are known"
    yield from _values_at(frame, ~truth(dated) & truth(frame["period_end"].notna()), "period_end", forbidden)
    needs_year = frame["period_status"].isin(["year_only", "stated", "inferred"]) & frame["reference_year"].isna()
    for i in frame.index[truth(needs_year)]:
        yield i, "reference_year", None, year_is
    for i in frame.index[truth((frame["period_status"] == "inferred") & frame["note"].isna())]:
        yield i, "note", None, "the reason the period is inferred"


def token(printed: str) -> re.Pattern:
    if ARABIC.fullmatch(printed):  # a number must not stand inside a longer number (5 in 15.55)
        return re.compile(r"(?<![0-9.])" + re.escape(printed) + r"(?![0-9]|\.[0-9])")
    return re.compile(re.escape(printed))


def lookup(frame: pd.DataFrame, key: str, value: str) -> dict:
    """A code list as {key: value}, first row of each key winning (duplicates are a key failure)."""
    if len(frame) > SMALL_ROWS:
        pairs = frame[[key, value]].dropna(subset=[key]).drop_duplicates(key)
        return dict(zip(as_list(pairs[key]), as_list(pairs[value])))  # not value by value through pandas
    found: dict = {}
    for k, v in zip(as_list(frame[key]), as_list(frame[value])):
        if not _missing(k) and k not in found:
            found[k] = v
    return found


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
        self._making: dict = {}  # a lock per shared value: made once though two threads ask (numberings)
        self._lock = threading.Lock()

    def _once(self, key, make):
        """make(), computed on first use and kept under key; a second thread asking meanwhile waits."""
        if key not in self._shared:
            with self._lock:
                making = self._making.setdefault(key, threading.Lock())
            with making:
                if key not in self._shared:
                    self._shared[key] = make()
        return self._shared[key]

    def shared(self, make):
        """make(self), computed on first use and kept: frames several rules share."""
        return self._once(make, lambda: make(self))

    def codes(self, *columns: tuple[str, str]) -> list[np.ndarray]:
        """The (table, column)s' values as integers in one numbering (shared_codes). The columns that
        one-field foreign keys join are numbered together, once per validation: a look-up along a
        key, or between two columns that refer to the same one, hashes no text again."""
        group = self._key_groups.get(columns[0], ())
        group = group if all(c in group for c in columns) else tuple(dict.fromkeys(columns))
        numbered = self._group_codes(group, [self.tables[t][c] for t, c in group])
        return [numbered[c] for c in columns]

    def _group_codes(self, group: tuple, columns: list[pd.Series]) -> dict:
        """The group's codes by (table, column), made once (Context._once)."""
        return self._once(("codes", group), lambda: dict(zip(group, shared_codes(columns))))

    def numberings(self) -> list[Callable[[], list]]:
        """One job per group of columns that foreign keys join, numbering it (codes) ahead of the
        rules that share it. The columns are taken now, on the caller's thread (pandas is not safe
        for two threads at once); the job may run on another. It gives no failures: one that stops
        is met again, and reported, by the rules."""
        groups = dict.fromkeys(self._key_groups.values())
        return [functools.partial(self._number, g, [self.tables[t][c] for t, c in g]) for g in groups]

    def made_codes(self, table: str, column: str) -> np.ndarray | None:
        """The column's codes if its group is already numbered, else None (nothing is made here)."""
        group = self._key_groups.get((table, column))
        numbered = self._shared.get(("codes", group)) if group else None
        return None if numbered is None else numbered[(table, column)]

    def _number(self, group: tuple, columns: list[pd.Series]) -> list:
        with contextlib.suppress(Exception):
            self._group_codes(group, columns)
        return []

    @cached_property
    def _key_groups(self) -> dict[tuple[str, str], tuple]:
        """Each (table, column) that a one-field foreign key joins, with all it is joined to."""
        group_of: dict[tuple[str, str], set] = {}
        for resource, fields, target, target_fields in self.foreign_keys:
            if len(fields) != 1 or len(target_fields) != 1:
                continue
            ends = [(resource, fields[0]), (target, target_fields[0])]
            if not all(t in self.tables and c in self.tables[t].columns for t, c in ends):
                continue  # a key that cannot be followed is a failure of its own
            merged = group_of.get(ends[0], {ends[0]}) | group_of.get(ends[1], {ends[1]})
            for end in merged:
                group_of[end] = merged
        return {end: tuple(sorted(group)) for end, group in group_of.items()}

    @property
    def joined(self) -> pd.DataFrame:
        """Observations joined to their indicators and measures (_joined), made once."""
        return self._once("joined", self._joined)

    def _joined(self) -> pd.DataFrame:
        """Observations with their indicator's measure, relation, unit and direction, and the
        measure's rules: looked up once per indicator, each a dictionary-encoded column (a million
        observations of a few dozen indicators cost a byte a row, never a copy of the text)."""
        obs = self.tables["observations"]
        ind = self.tables["indicators"].drop_duplicates("indicator_id")
        cols = ["measure", "relation", "related_indicator_id", "item_min_base", "unit_short", "rank_direction"]
        at = positions_in(obs["indicator_id"], ind["indicator_id"])
        missing_id = np.flatnonzero(ind["indicator_id"].isna().to_numpy())
        if len(missing_id):  # as pandas' reindex does, a missing key finds the row with a missing id
            at[obs["indicator_id"].isna().to_numpy()] = missing_id[0]
        # an observation whose indicator is not found looks it up as a row of missing values, whose
        # missing measure finds a measure with a missing name, as pandas' reindex does
        measures = self.tables["measures"].drop_duplicates("measure").set_index("measure")
        kinds = measures[["numeric", "whole_number"]].reindex(np.append(ind["measure"].to_numpy(), np.nan))
        return pd.concat(
            [
                obs,
                looked_up(ind[cols].rename(columns={"rank_direction": "indicator_rank_direction"}), at, obs.index),
                looked_up(kinds.rename(columns=lambda c: f"measure_{c}"), np.where(at < 0, len(ind), at), obs.index),
            ],
            axis=1,
        )

    def readings(self, kind: str) -> dict[str, str]:
        """The source's words of one kind (numeral, rank_word, ...) and what each reads as."""

        def read() -> dict[str, str]:
            words = self.tables["word_readings"]
            return lookup(words[words["kind"] == kind], "word", "reading")

        return self._once(("readings", kind), read)

    @cached_property
    def report_year(self) -> str | None:
        year = self.report.get("year")
        return str(year) if isinstance(year, int) and not isinstance(year, bool) else None
