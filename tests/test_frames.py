"""The helpers rules use at scale (figpack.frames) give what the plain pandas way gives: grouping by
integer codes, dictionary-encoded look-ups, and the observations joined to their indicators; and a
statistical table's labels read once find the cells a scan finds."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from figpack import frames
from figpack.frames import Context, combinations, each

# 25 examples a property in `make test`, the fuzz profile's many in `make fuzz`
EXAMPLES = settings(max_examples=max(25, settings().max_examples), deadline=None)
WORDS = st.lists(st.none() | st.sampled_from(["a", "b", "c", "万", ""]), max_size=12)


def each_by_pandas(frame, cols, check, where=None):
    """The reference: pandas' drop_duplicates, then a merge on the values of the failing ones."""
    sub = frame[cols] if where is None else frame[cols][where.fillna(False).astype(bool)]
    failing = {}
    for values in sub.drop_duplicates().itertuples(index=False, name=None):
        found = list(check(*values))
        if found:
            failing[values] = found
    if not failing:
        return
    keys = pd.DataFrame(list(failing), columns=cols).astype(object).assign(_key=range(len(failing)))
    hits = sub.astype(object).reset_index(names="_row").merge(keys, on=cols, how="inner")
    found = list(failing.values())
    for row, key in zip(hits["_row"], hits["_key"]):
        for field, value, message in found[key]:
            yield row, field, value, message


@EXAMPLES
@given(
    columns=st.lists(WORDS, min_size=1, max_size=4),
    encoded=st.lists(st.booleans(), min_size=4, max_size=4),
    wanted=st.lists(st.booleans(), max_size=12) | st.none(),
    failing=st.sets(st.sampled_from(["a", "b", "c", "万", "", None])),
    offset=st.integers(0, 3),
    small=st.booleans(),
)
def test_each_checks_every_combination_once_and_reports_the_rows_pandas_finds(
    columns, encoded, wanted, failing, offset, small
):
    """frames.each groups rows by integer codes (or, for a small frame, in Python); the reference
    groups them by their values."""
    length = len(columns[0])
    cols = [f"c{i}" for i in range(len(columns))]
    frame = pd.DataFrame(
        {
            name: (lambda s: s.astype("category") if encode else s)(
                pd.Series((v + [None] * length)[:length], dtype="str")
            )
            for name, v, encode in zip(cols, columns, encoded)
        }
    ).set_axis(range(offset, offset + length))  # row labels that are not positions
    where = (
        None if wanted is None else pd.Series((wanted + [False] * length)[:length], index=frame.index, dtype="boolean")
    )
    calls: list[tuple] = []

    def check(*values):
        calls.append(values)
        first = None if pd.isna(values[0]) else values[0]
        if first in failing:
            yield cols[-1], values[-1], f"not {first!r}"

    saved = frames.SMALL_ROWS
    try:
        frames.SMALL_ROWS = saved if small else -1
        found = list(each(frame, cols, check, where))
    finally:
        frames.SMALL_ROWS = saved
    ours, calls[:] = calls[:], []
    expected = list(each_by_pandas(frame, cols, check, where))
    assert repr(found) == repr(expected)
    assert len(ours) == len(set(map(repr, ours))) == len(calls)


def test_combinations_are_numbered_right_past_the_range_of_one_integer():
    """Five columns of 10,000 distinct values each: the product of their sizes passes 2^63, so the
    codes are renumbered on the way; the numbers still follow pandas' grouping."""
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({f"c{i}": pd.Series(rng.permutation(10_000).astype(str), dtype="str") for i in range(5)})
    frame = pd.concat([frame, frame.iloc[::3]], ignore_index=True)  # a third of the rows twice
    expected = frame.groupby(list(frame.columns), sort=False).ngroup().to_numpy()
    assert combinations([frame[c] for c in frame.columns], np.arange(len(frame))).tolist() == expected.tolist()


@EXAMPLES
@given(
    columns=st.lists(WORDS, min_size=1, max_size=4), dense=st.booleans(), picked=st.lists(st.booleans(), max_size=12)
)
def test_combinations_are_numbered_as_pandas_groups_them_whether_renumbered_by_array_or_by_hash(columns, dense, picked):
    """Few possible keys are renumbered through an array indexed by the key, many through pandas'
    hash table: the numbers are the same, in order of first appearance, missing equal to missing."""
    rows = min(map(len, columns))
    frame = pd.DataFrame({f"c{i}": pd.Series(c[:rows], dtype="str") for i, c in enumerate(columns)})
    at = np.flatnonzero((picked + [True] * rows)[:rows])
    expected = frame.iloc[at].groupby(list(frame.columns), sort=False, dropna=False).ngroup().to_numpy()
    saved, frames.DENSE_KEYS = frames.DENSE_KEYS, 1 << 40 if dense else 0
    try:
        assert combinations([frame[c] for c in frame.columns], at).tolist() == expected.tolist()
    finally:
        frames.DENSE_KEYS = saved


def joined_by_pandas(ctx: Context) -> pd.DataFrame:
    """The reference: every looked-up column reindexed by the observations' indicator ids."""
    obs = ctx.tables["observations"]
    ind = ctx.tables["indicators"].drop_duplicates("indicator_id").set_index("indicator_id")
    cols = ["measure", "relation", "related_indicator_id", "item_min_base", "unit_short", "rank_direction"]
    looked_up = ind[cols].reindex(obs["indicator_id"].to_numpy()).set_axis(obs.index)
    looked_up = looked_up.rename(columns={"rank_direction": "indicator_rank_direction"})
    measures = ctx.tables["measures"].drop_duplicates("measure").set_index("measure")
    kinds = measures[["numeric", "whole_number"]].reindex(looked_up["measure"].to_numpy()).set_axis(obs.index)
    return pd.concat([obs, looked_up, kinds.rename(columns=lambda c: f"measure_{c}")], axis=1)


IDS = st.none() | st.sampled_from(["i1", "i2", "i3"])
CODES = st.none() | st.sampled_from(["m1", "m2", "x"])


@EXAMPLES
@given(
    observed=st.lists(IDS, max_size=10),
    indicators=st.lists(st.tuples(IDS, CODES, CODES), max_size=5),
    measures=st.lists(st.tuples(CODES, CODES), max_size=4),
    encode=st.booleans(),
)
def test_observations_joined_to_their_indicators_hold_what_reindexing_gives(observed, indicators, measures, encode):
    """Duplicate and missing ids included: the first row of an id wins, a missing id finds a missing one."""

    def text(values):
        series = pd.Series(values, dtype="str")
        return series.astype("category") if encode else series

    obs = pd.DataFrame({"obs_id": text([f"o{i}" for i in range(len(observed))]), "indicator_id": text(observed)})
    ind = pd.DataFrame(
        {"indicator_id": text([i for i, _, _ in indicators]), "measure": text([m for _, m, _ in indicators])}
    )
    for col in ("relation", "related_indicator_id", "item_min_base", "rank_direction"):
        ind[col] = text([u for _, _, u in indicators])
    ind["unit_short"] = text([m for _, m, _ in indicators])
    meas = pd.DataFrame({"measure": text([m for m, _ in measures]), "numeric": text([n for _, n in measures])})
    meas["whole_number"] = meas["numeric"]
    ctx = Context({"observations": obs, "indicators": ind, "measures": meas})
    ours, expected = ctx.joined, joined_by_pandas(ctx)
    assert list(ours.columns) == list(expected.columns) and list(ours.index) == list(expected.index)
    for col in expected.columns:
        assert ours[col].astype(object).where(ours[col].notna(), None).tolist() == (
            expected[col].astype(object).where(expected[col].notna(), None).tolist()
        ), col


TEXTS = st.lists(st.none() | st.sampled_from(["", "a", "b", "ab", "ba", "万", "a万b", "x" * 40]), max_size=30)


@EXAMPLES
@given(keys=TEXTS, values=TEXTS)
def test_text_looked_up_part_by_part_finds_the_first_equal_value_as_one_hash_table_does(keys, values):
    import pyarrow as pa

    from figpack import frames

    key_array, value_array = pa.array(keys, type=pa.large_string()), pa.array(values, type=pa.large_string())
    whole = frames.index_in(key_array, value_array).tolist()
    first = {v: i for i, v in reversed(list(enumerate(values))) if v is not None}
    assert whole == [-1 if k is None else first.get(k, -1) for k in keys]
    saved = frames.PARTITIONED_ROWS
    try:
        frames.PARTITIONED_ROWS = 0
        assert frames.index_in(key_array, value_array).tolist() == whole
        assert frames.index_in(key_array.slice(1), value_array.slice(2)).tolist() == (
            frames._index_in(key_array.slice(1), value_array.slice(2)).tolist()
        )
    finally:
        frames.PARTITIONED_ROWS = saved


@EXAMPLES
@given(keys=WORDS, values=WORDS, small=st.booleans(), encode=st.booleans())
def test_a_code_list_looked_up_keeps_the_first_row_of_each_key_as_pandas_does(keys, values, small, encode):
    from figpack.frames import lookup

    values = (values + [None] * len(keys))[: len(keys)]
    frame = pd.DataFrame({"k": pd.Series(keys, dtype="str"), "v": pd.Series(values, dtype="str")})
    frame = frame.astype("category") if encode else frame
    pairs = frame.dropna(subset=["k"]).drop_duplicates("k")
    saved = frames.SMALL_ROWS
    try:
        frames.SMALL_ROWS = saved if small else -1
        assert repr(lookup(frame, "k", "v")) == repr(dict(zip(pairs["k"], pairs["v"])))
    finally:
        frames.SMALL_ROWS = saved


@EXAMPLES
@given(values=WORDS, kind=st.sampled_from(["str", "category", "string", "object"]))
def test_a_column_as_a_list_holds_what_pandas_tolist_gives(values, kind):
    from figpack.frames import as_list

    series = pd.Series(values, dtype="str" if kind == "category" else kind)
    series = series.astype("category") if kind == "category" else series
    assert repr(as_list(series)) == repr(series.tolist())
    assert [type(v) for v in as_list(series)] == [type(v) for v in series.tolist()]


@EXAMPLES
@given(
    keys=WORDS,
    values=WORDS,
    small=st.booleans(),
    encode=st.tuples(st.booleans(), st.booleans()),
    kind=st.sampled_from(["str", "string"]),
)
def test_text_found_in_a_column_is_what_pandas_isin_finds_a_missing_value_never_found(
    keys, values, small, encode, kind
):
    """frames.isin in Python (small text) and by pyarrow: pandas' isin, a missing value never found."""
    series, wanted = pd.Series(keys, dtype=kind), pd.Series(values, dtype=kind)
    expected = (series.isin(wanted.dropna()) & series.notna()).tolist()
    series, wanted = (s.astype("category") if e else s for s, e in zip((series, wanted), encode))
    series.index = range(3, 3 + len(series))
    saved = frames.SMALL_ROWS
    try:
        frames.SMALL_ROWS = saved if small else -1
        found = frames.isin(series, wanted)
    finally:
        frames.SMALL_ROWS = saved
    assert found.tolist() == expected and list(found.index) == list(series.index) and found.dtype == bool


def cell_by_scanning(rows, row_label, column_printed):
    """The reference: the first column with the label, then every row under the header scanned."""
    from figpack.statables import column_label, header_row

    top = header_row(rows)
    if top is None:
        return None
    width = max(len(r) for r in rows)
    column = next((c for c in range(width) if column_label(rows, c) == column_printed), None)
    if column is None:
        return None
    found = [r for r in rows[top + 2 :] if r and r[0].strip() == row_label and column < len(r)]
    return found[0][column] if len(found) == 1 else None


LABEL = st.sampled_from(["", "A", " A", "  B", "x", "y"])


@EXAMPLES
@given(
    before=st.lists(st.lists(LABEL, max_size=3), max_size=2),
    header=st.lists(st.lists(LABEL, max_size=4), min_size=2, max_size=2),
    body=st.lists(st.tuples(st.sampled_from(["A", " A", "  B", ""]), st.integers(0, 4)), max_size=6),
    headed=st.booleans(),
)
def test_a_statistical_table_cell_found_by_its_labels_is_the_one_a_scan_finds(before, header, body, headed):
    """statables.Labels reads a table's labels once; each cell is the one scanning the table finds
    (every cell's text is its place, so a wrong row or column shows)."""
    from figpack.statables import Labels

    top = [["城市" if headed else "", *header[0]], ["", *header[1]]]
    rows = before + top + [[label] + [f"{i},{j}" for j in range(width)] for i, (label, width) in enumerate(body)]
    labels = Labels(rows)
    for row_label in ("", "A", "B", "x"):
        for column in ("", "x", "y", "x / y", "A / x", "y / A"):
            assert labels.cell(row_label, column) == cell_by_scanning(rows, row_label, column)


@EXAMPLES
@given(
    columns=st.lists(TEXTS, min_size=1, max_size=4),
    encode=st.lists(st.booleans(), min_size=4, max_size=4),
    path=st.sampled_from(["small", "one pass", "part by part"]),
)
def test_texts_numbered_together_are_equal_exactly_where_the_texts_are_and_look_ups_match_pandas(columns, encode, path):
    """shared_codes (in Python, in one hash pass or part by part), then found_in and first_positions
    on the numbers: what pandas' isin and a first-row look-up find on the texts, a missing value never."""
    series = [pd.Series(c, dtype="str") for c in columns]
    series = [s.astype("category") if e else s for s, e in zip(series, encode)]
    saved = frames.PARTITIONED_ROWS, frames.SMALL_ROWS
    try:
        frames.SMALL_ROWS = saved[1] if path == "small" else -1
        frames.PARTITIONED_ROWS = 0 if path == "part by part" else saved[0]
        numbered = frames.shared_codes(series)
    finally:
        frames.PARTITIONED_ROWS, frames.SMALL_ROWS = saved
    texts = [v for c in columns for v in c]
    codes = np.concatenate(numbered)
    assert [len(n) for n in numbered] == [len(c) for c in columns]
    assert [c < 0 for c in codes] == [t is None for t in texts]
    known = [(c, t) for c, t in zip(codes, texts) if t is not None]
    assert all((a == b) == (s == t) for a, s in known for b, t in known)
    keys, values = numbered[0], numbered[-1]
    expected = pd.Series(columns[0], dtype="str").isin(pd.Series(columns[-1], dtype="str").dropna())
    assert frames.found_in(keys, values).tolist() == expected.tolist()
    first = {v: i for i, v in reversed(list(enumerate(columns[-1]))) if v is not None}
    assert frames.first_positions(keys, values).tolist() == [-1 if k is None else first.get(k, -1) for k in columns[0]]


def test_columns_a_foreign_key_joins_are_numbered_together_and_others_on_their_own():
    """Context.codes: a key group (obs_id and the columns that refer to it) is numbered once; columns
    of no shared key are numbered together only when asked together."""
    text = lambda values: pd.Series(values, dtype="str")  # noqa: E731
    tables = {
        "observations": pd.DataFrame({"obs_id": text(["a", "b", None]), "note": text(["b", "x", "a"])}),
        "corroborations": pd.DataFrame({"obs_id": text(["b", "c", "a"])}),
        "restatements": pd.DataFrame({"obs_id": text(["a"])}),
    }
    keys = (
        ("corroborations", ["obs_id"], "observations", ["obs_id"]),
        ("restatements", ["obs_id"], "observations", ["obs_id"]),
    )
    ctx = Context(tables, foreign_keys=keys)
    corr, obs = ctx.codes(("corroborations", "obs_id"), ("observations", "obs_id"))
    (restated,) = ctx.codes(("restatements", "obs_id"))
    assert frames.found_in(corr, obs).tolist() == [True, False, True]
    assert frames.first_positions(restated, obs).tolist() == [0]
    assert list(ctx._shared) == [
        ("codes", (("corroborations", "obs_id"), ("observations", "obs_id"), ("restatements", "obs_id")))
    ]
    note, ids = ctx.codes(("observations", "note"), ("observations", "obs_id"))
    assert frames.found_in(note, ids).tolist() == [True, False, True]


def test_a_shared_value_asked_for_by_two_threads_at_once_is_made_once():
    """The key groups are numbered on a thread beside the rules (Context.numberings): a rule asking
    for a value still being made waits for it instead of making it again."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    made, started = [], threading.Event()

    def make(ctx):
        started.set()
        time.sleep(0.2)  # long enough that the second thread asks while the first is making it
        made.append(threading.get_ident())
        return object()

    ctx = Context({})
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(ctx.shared, make)
        started.wait()
        second = pool.submit(ctx.shared, make)
        assert first.result() is second.result()
    assert len(made) == 1


def test_numbering_jobs_number_each_key_group_once_and_leave_a_failure_to_the_rules(monkeypatch):
    text = lambda values: pd.Series(values, dtype="str")  # noqa: E731
    tables = {
        "observations": pd.DataFrame({"obs_id": text(["a", "b"]), "indicator_id": text(["i", "i"])}),
        "corroborations": pd.DataFrame({"obs_id": text(["b"])}),
        "indicators": pd.DataFrame({"indicator_id": text(["i"])}),
    }
    keys = (
        ("corroborations", ["obs_id"], "observations", ["obs_id"]),
        ("observations", ["indicator_id"], "indicators", ["indicator_id"]),
    )
    ctx = Context(tables, foreign_keys=keys)
    assert [job() for job in ctx.numberings()] == [[], []]
    assert sorted(group for _, group in ctx._shared) == [
        (("corroborations", "obs_id"), ("observations", "obs_id")),
        (("indicators", "indicator_id"), ("observations", "indicator_id")),
    ]

    def stops(columns):
        raise ValueError("unforeseen data")

    monkeypatch.setattr(frames, "shared_codes", stops)
    fresh = Context(tables, foreign_keys=keys)
    assert [job() for job in fresh.numberings()] == [[], []]  # no failure, and nothing made
    assert not fresh._shared
