"""The rules that span fields, rows and tables: what the figures imply about each other.

Field types and constraints live in the Table Schemas (see table_schemas.py); the rules here are
the ones a Table Schema cannot say. Each rule has a name, a kind and a one-line explanation (the
README's rule table is generated from them) and returns every row that breaks it as a Failure.
Numbers are compared as decimals, never as binary floats, so 10.38 x 10^4 is exactly 103800.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Callable, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

REPORT_YEAR = 2023
AREAS = {"411700": "驻马店市"}  # the areas the report speaks of: code (GB/T 2260) and name
PREFIX_MULTIPLIER = {"万": 4, "亿": 8}
# Chinese numerals and rank words the source prints, and the value each stands for.
NUMERALS = {"一": "1", "两": "2", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9", "十": "10", "千": "1000"}
RANK_WORDS = {"首位": "1"}  # first place: a reading of the word itself
INFERRED_WORDS = {"最少": "1"}  # fewest: rank 1 only by inference (status inferred)
NUMERIC_MEASURES = {"rank", "growth_rate", "change_pp", "change", "share", "count", "stock", "amount", "capacity", "duration", "target"}
WORD_MEASURES = {"distinction", "claim"}
WHOLE_MEASURES = {"rank", "count", "stock", "change", "duration"}
ARABIC = re.compile(r"[0-9]+(\.[0-9]+)?")


@dataclass(frozen=True)
class Failure:
    file: str  # path of the CSV (or datapackage.json)
    row: int | None  # field and rule checks: 0-based data row (reported as its CSV line); file checks: the CSV line itself
    field: str | None
    value: str | None
    rule: str
    message: str  # what is wrong, or what would satisfy the rule ("expected ...")


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    resource: str
    explanation: str
    check: Callable[["Context"], Iterator[tuple[str, int, str, object, str]]]


@dataclass
class Context:
    tables: dict[str, pd.DataFrame]  # text frames (cells are strings or <NA>) of the readable resources
    source_text: str | None = None  # the source transcription, when it is at hand
    foreign_keys: tuple[tuple[str, str, str, str], ...] = ()  # (resource, field, target, target field), from the Table Schemas
    joined: pd.DataFrame | None = None  # observations joined with indicators, made once by _obs_with_indicators
    relations: tuple | None = None  # the rows relation rules compare, made once by _relation_rows


RULES: list[Rule] = []


def rule(name: str, kind: str, resource: str, needs: tuple[str, ...], explanation: str):
    """Register a rule; it runs only when every resource it needs could be read."""
    def register(func):
        RULES.append(Rule(name, kind, resource, explanation, func))
        func.needs = needs
        return func
    return register


def run_rules(ctx: Context, paths: dict[str, str]) -> tuple[list[Failure], list[str]]:
    """All failures of all rules, and the names of the rules skipped for want of a table."""
    failures, skipped = [], []
    for r in RULES:
        if not all(n in ctx.tables for n in r.check.needs):
            skipped.append(r.name)
            continue
        for resource, row, field, value, expected in r.check(ctx):
            failures.append(Failure(paths[resource], row, field, None if _blank(value) else str(value), r.name, "expected " + expected))
    return failures, skipped


# ---------------------------------------------------------------- helpers

def _blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value) or value == ""


def _dec(value) -> Decimal | None:
    if _blank(value):
        return None
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _obs_with_indicators(ctx: Context) -> pd.DataFrame:
    """Observations with their indicator's measure, relation, units and direction (made once)."""
    if ctx.joined is None:
        obs = ctx.tables["observations"]
        ind = ctx.tables["indicators"].drop_duplicates("indicator_id").set_index("indicator_id")
        cols = ["measure", "relation", "related_indicator_id", "item_min_base", "unit_short", "rank_direction"]
        looked_up = ind[cols].reindex(obs["indicator_id"].to_numpy()).set_axis(obs.index)
        ctx.joined = pd.concat([obs, looked_up.rename(columns={"rank_direction": "indicator_rank_direction"})], axis=1)
    return ctx.joined


def _isin(series: pd.Series, values) -> pd.Series:
    """series.isin(values), done by pyarrow: pandas' own is slow for a long list of strings."""
    value_set = pa.array(pd.Series(values, dtype="str").dropna().unique())
    found = pc.is_in(pa.array(series.astype("str")), value_set=value_set)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=series.index).fillna(False).astype(bool)


def _each(frame: pd.DataFrame, cols: list[str], check, where: pd.Series | None = None) -> Iterator[tuple[int, str, object, str]]:
    """Run check(*values) once per distinct combination of cols (so a million rows cost what their
    distinct values cost) and yield (row, field, value, message) for every row of a failing one.
    `where` restricts it to some rows (selected after the columns: cheaper on wide tables)."""
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


def _rows(frame: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    mask = mask.fillna(False).astype(bool)
    return frame[mask] if mask.any() else frame.iloc[0:0]  # an empty selection of a wide table is not free


def _token(printed: str) -> re.Pattern:
    if ARABIC.fullmatch(printed):  # a number must not stand inside a longer number (5 in 15.55)
        return re.compile(r"(?<![0-9.])" + re.escape(printed) + r"(?![0-9]|\.[0-9])")
    return re.compile(re.escape(printed))


# ---------------------------------------------------------------- bounds

@rule("rank_within_universe", "bounds", "observations", ("observations", "indicators"),
      "A rank lies between 1 and the size of its ranking universe (1-18 for Henan).")
def _rank_within_universe(ctx):
    obs = _obs_with_indicators(ctx)
    def check(v, n):
        value, size = _dec(v), _dec(n)
        if value is not None and size is not None and not (1 <= value <= size):
            yield "value", v, f"a rank from 1 to {size} (the universe's size)"
    for row, *failure in _each(obs, ["value", "rank_universe_size"], check, obs["measure"] == "rank"):
        yield "observations", row, *failure


@rule("rank_has_universe", "bounds", "observations", ("observations", "indicators"),
      "A rank names its universe, the universe's size and source, and its direction; other figures name none.")
def _rank_has_universe(ctx):
    obs = _obs_with_indicators(ctx)
    cols = ["rank_universe", "rank_universe_size", "rank_universe_source_id", "rank_direction"]
    is_rank = obs["measure"] == "rank"
    for col in cols:
        missing = _rows(obs, is_rank & obs[col].isna())
        for i in missing.index:
            yield "observations", i, col, None, "a value: every rank needs its universe and direction"
        extra = _rows(obs, (~is_rank.fillna(False)) & obs[col].notna())
        for i, v in zip(extra.index, extra[col]):
            yield "observations", i, col, v, "empty: only ranks have a ranking universe"


@rule("qualifier_matches_evidence", "bounds", "observations", ("observations",),
      "A bound is recorded exactly where the source prints one: 前N位 is at_most N; 以上 or 级 is at_least.")
def _qualifier_matches_evidence(ctx):
    def check(q, vp, ev):
        if _blank(vp) or _blank(ev):
            return
        printed = re.escape(vp)
        upper = re.search("前" + printed + "(位|名)", ev) is not None
        lower = re.search(printed + "[^，。；、]{0,3}(级|以上)", ev) is not None
        expected = "at_most" if upper else "at_least" if lower else None
        if (None if _blank(q) else q) != expected:
            yield "qualifier", q, (f"'{expected}', as the evidence prints a bound" if expected else "empty: the evidence prints no bound")
    for row, *failure in _each(ctx.tables["observations"], ["qualifier", "value_printed", "evidence"], check):
        yield "observations", row, *failure


@rule("bounded_rank_within_universe", "bounds", "observations", ("observations", "indicators"),
      "A bounded rank (前N位, at_most N) has a bound from 1 to one less than the universe's size, or it says nothing.")
def _bounded_rank(ctx):
    obs = _obs_with_indicators(ctx)
    def check(v, n):
        value, size = _dec(v), _dec(n)
        if value is not None and size is not None and not (1 <= value < size):
            yield "value", v, f"a bound from 1 to {size - 1}"
    bounded = (obs["measure"] == "rank") & (obs["qualifier"] == "at_most")
    for row, *failure in _each(obs, ["value", "rank_universe_size"], check, bounded):
        yield "observations", row, *failure


@rule("share_within_0_100", "bounds", "observations", ("observations", "indicators"),
      "A share or rate lies between 0 and 100 % and is in percent.")
def _share_bounds(ctx):
    obs = _obs_with_indicators(ctx)
    def check(v, u):
        value = _dec(v)
        if value is not None and not (0 <= value <= 100):
            yield "value", v, "a share from 0 to 100"
        if u != "%":
            yield "unit_printed", u, "%"
    for row, *failure in _each(obs, ["value", "unit_printed"], check, obs["measure"] == "share"):
        yield "observations", row, *failure


@rule("growth_above_minus_100", "bounds", "observations", ("observations", "indicators"),
      "A growth rate is in percent and above -100 % (nothing shrinks by more than all of it).")
def _growth_bounds(ctx):
    obs = _obs_with_indicators(ctx)
    def check(v, u):
        value = _dec(v)
        if value is not None and value <= -100:
            yield "value", v, "a growth rate above -100"
        if u != "%":
            yield "unit_printed", u, "%"
    for row, *failure in _each(obs, ["value", "unit_printed"], check, obs["measure"] == "growth_rate"):
        yield "observations", row, *failure


@rule("change_pp_within_100", "bounds", "observations", ("observations", "indicators"),
      "A change in percentage points lies between -100 and 100.")
def _change_pp_bounds(ctx):
    obs = _obs_with_indicators(ctx)
    def check(v):
        value = _dec(v)
        if value is not None and not (-100 <= value <= 100):
            yield "value", v, "a change from -100 to 100 percentage points"
    for row, *failure in _each(obs, ["value"], check, obs["measure"] == "change_pp"):
        yield "observations", row, *failure


@rule("whole_number_counts", "bounds", "observations", ("observations", "indicators"),
      "Ranks, counts, stocks and durations are non-negative whole numbers in base units.")
def _whole_numbers(ctx):
    obs = _obs_with_indicators(ctx)
    def check(m, v):
        value = _dec(v)
        if value is not None and (value != value.to_integral_value() or (value < 0 and m != "change")):
            yield "value_base", v, "a whole number" + ("" if m == "change" else " of 0 or more")
    for row, *failure in _each(obs, ["measure", "value_base"], check, obs["measure"].isin(WHOLE_MEASURES)):
        yield "observations", row, *failure


@rule("value_matches_measure", "bounds", "observations", ("observations", "indicators"),
      "A numeric figure has a value, base value and unit; a claim or distinction has none.")
def _value_matches_measure(ctx):
    obs = _obs_with_indicators(ctx)
    for col in ("value", "value_base", "unit_printed", "unit_multiplier", "unit_base"):
        for i in _rows(obs, obs["measure"].isin(NUMERIC_MEASURES) & obs[col].isna()).index:
            yield "observations", i, col, None, "a value: the indicator's measure is numeric"
        words = _rows(obs, obs["measure"].isin(WORD_MEASURES) & obs[col].notna())
        for i, v in zip(words.index, words[col]):
            yield "observations", i, col, v, "empty: a claim or distinction has no number"


# ---------------------------------------------------------------- parts, stocks, changes, thresholds

def _with_key(frame: pd.DataFrame) -> pd.DataFrame:
    key = frame["area_code"].fillna("").astype(str)
    for col in ("period_start", "period_end", "reference_year"):
        key = key + "|" + frame[col].fillna("").astype(str)
    return frame.assign(key=key)


def _relation_rows(ctx) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Made once: the rows that bind another indicator (left), the rows they bind (right), each with
    its area-and-period key and its base value as an exact integer scaled by 10^scale (the most
    decimals any of them has), so sums and comparisons stay exact."""
    if ctx.relations is None:
        obs = _obs_with_indicators(ctx)
        cols = ["obs_id", "indicator_id", "relation", "related_indicator_id", "value_base", "area_code", "period_start", "period_end", "reference_year"]
        left = obs[cols][obs["relation"].notna().to_numpy()]
        right = obs[cols][_isin(obs["indicator_id"], left["related_indicator_id"])]
        values = {v: _dec(v) for v in pd.concat([left["value_base"], right["value_base"]]).dropna().unique()}
        values = {v: d for v, d in values.items() if d is not None}
        scale = max((-d.as_tuple().exponent for d in values.values()), default=0)
        scaled = {v: int(d.scaleb(scale)) for v, d in values.items()}
        if any(abs(n) >= 2**62 for n in scaled.values()):
            raise OverflowError("a value_base too large to compare exactly")
        keyed = [_with_key(f.assign(base=f["value_base"].map(scaled).astype("Int64"))).dropna(subset=["base"]) for f in (left, right)]
        ctx.relations = (*keyed, scale)
    return ctx.relations


def _related(ctx, relation: str) -> tuple[pd.DataFrame, int]:
    """Rows of one relation with, from the related indicator in the same area and period, its
    least and greatest base value (low, high) and an obs_id of it (other)."""
    all_left, right, scale = _relation_rows(ctx)
    left = all_left[(all_left["relation"] == relation).to_numpy()]
    right = right[_isin(right["indicator_id"], left["related_indicator_id"])]
    if left.empty or right.empty:
        return left.iloc[0:0].assign(low=None, high=None, other=None), scale
    stats = right.groupby(["indicator_id", "key"]).agg(low=("base", "min"), high=("base", "max"), other=("obs_id", "first"))
    joined = left.join(stats, on=["related_indicator_id", "key"])
    return joined[joined["other"].notna()], scale


def _plain(d: Decimal) -> str:
    """A decimal as plain digits, without trailing zeros: 40100000000, not 4.01E+10 or 40100000000.0."""
    return format(d.normalize(), "f")


def _unscale(n, scale: int) -> str:
    return _plain(Decimal(int(n)).scaleb(-scale))


@rule("parts_within_whole", "parts", "observations", ("observations", "indicators"),
      "Parts add up to no more than their whole (new enterprises within new market entities).")
def _parts_within_whole(ctx):
    parts, scale = _related(ctx, "part_of")
    total = parts.groupby(["related_indicator_id", "key"])["base"].transform("sum")
    bad = parts.assign(total=total)[(total > parts["low"]).fillna(False).astype(bool)]
    for i, part, whole, other, t in zip(bad.index, bad["value_base"], bad["low"], bad["other"], bad["total"]):
        yield "observations", i, "value_base", part, f"parts that add up to at most {_unscale(whole, scale)}, the whole {other} (they add up to {_unscale(t, scale)})"


@rule("addition_within_stock", "stocks_flows", "observations", ("observations", "indicators"),
      "A cumulative total is at least this period's addition to it.")
def _addition_within_stock(ctx):
    adds, scale = _related(ctx, "addition_to")
    bad = adds[(adds["base"] > adds["low"]).fillna(False).astype(bool)]
    for i, add, stock, other in zip(bad.index, bad["value_base"], bad["low"], bad["other"]):
        yield "observations", i, "value_base", add, f"at most {_unscale(stock, scale)}, the cumulative total {other} it adds to"


@rule("change_has_possible_base", "changes", "observations", ("observations", "indicators"),
      "A level minus its increase (or its change in percentage points) is never negative: the previous level existed.")
def _change_has_possible_base(ctx):
    changes, scale = _related(ctx, "change_of")
    bad = changes[(changes["low"] - changes["base"] < 0).fillna(False).astype(bool)]
    for i, change, level in zip(bad.index, bad["value_base"], bad["low"]):
        yield "observations", i, "value_base", change, f"at most {_unscale(level, scale)}, the level it changed to (else the previous level is negative)"


@rule("total_covers_item_minimum", "thresholds", "observations", ("observations", "indicators"),
      "A total over N items of at least M each is at least N x M (401 projects of 亿元以上 total at least 401亿元).")
def _total_covers_items(ctx):
    minimums = ctx.tables["indicators"].drop_duplicates("indicator_id").set_index("indicator_id")["item_min_base"].map(_dec)
    totals, scale = _related(ctx, "total_over_items")
    for (target, count), group in totals.groupby(["related_indicator_id", "high"]):
        minimum = minimums.get(target)
        if minimum is None:
            continue
        floor = Decimal(int(count)).scaleb(-scale) * minimum  # count is a number of items
        for i, total, text in zip(group.index, group["base"], group["value_base"]):
            if Decimal(int(total)).scaleb(-scale) < floor:
                yield "observations", i, "value_base", text, f"at least {_plain(floor)} ({_unscale(count, scale)} items of at least {_plain(minimum)} each)"


@rule("relation_has_target", "keys", "indicators", ("indicators",),
      "An indicator's relation and its related indicator are given together.")
def _relation_pairs(ctx):
    ind = ctx.tables["indicators"]
    for i in _rows(ind, ind["relation"].notna() & ind["related_indicator_id"].isna()).index:
        yield "indicators", i, "related_indicator_id", None, "the indicator that the relation names"
    bad = _rows(ind, ind["relation"].isna() & ind["related_indicator_id"].notna())
    for i, v in zip(bad.index, bad["related_indicator_id"]):
        yield "indicators", i, "related_indicator_id", v, "empty, or a relation to go with it"


# ---------------------------------------------------------------- agreement and provenance

@rule("base_equals_value_times_multiplier", "agreement", "observations", ("observations",),
      "The base value is exactly the printed value times 10^unit_multiplier (10.38万户 = 103800户).")
def _base_value(ctx):
    def check(v, m, b):
        value, mult, base = _dec(v), _dec(m), _dec(b)
        if None not in (value, mult, base) and value.scaleb(int(mult)) != base:
            yield "value_base", b, f"{value.scaleb(int(mult)):f} (= {v} x 10^{m})"
    for row, *failure in _each(ctx.tables["observations"], ["value", "unit_multiplier", "value_base"], check):
        yield "observations", row, *failure


@rule("unit_matches_multiplier", "agreement", "observations", ("observations",),
      "The multiplier is the printed unit's prefix (万 = 4, 亿 = 8, none = 0) and the base unit is the rest; a unit the source does not print is an inference.")
def _unit_prefix(ctx):
    def check(up, m, ub, st):
        if _blank(up):
            return
        prefix = up[0] if up[0] in PREFIX_MULTIPLIER else ""
        expected_mult = PREFIX_MULTIPLIER.get(prefix, 0)
        if _dec(m) is not None and _dec(m) != expected_mult:
            yield "unit_multiplier", m, f"{expected_mult}, from the printed unit {up}"
        rest = up[len(prefix):]
        if rest and not _blank(ub) and ub != rest:
            yield "unit_base", ub, f"{rest}, the printed unit {up} without its prefix"
        if not rest and st != "inferred":
            yield "status", st, f"inferred: the source prints only {up}, so the base unit is an inference"
    for row, *failure in _each(ctx.tables["observations"], ["unit_printed", "unit_multiplier", "unit_base", "status"], check):
        yield "observations", row, *failure


@rule("unit_matches_indicator", "agreement", "observations", ("observations", "indicators"),
      "An observation's base unit is its indicator's unit.")
def _unit_indicator(ctx):
    obs = _obs_with_indicators(ctx)
    bad = _rows(obs, obs["unit_base"].notna() & obs["unit_short"].notna() & (obs["unit_base"] != obs["unit_short"]))
    for i, ub, us in zip(bad.index, bad["unit_base"], bad["unit_short"]):
        yield "observations", i, "unit_base", ub, f"{us}, the unit of the indicator"


@rule("value_as_printed", "provenance", "observations", ("observations",),
      "The value is the printed number itself, no more precise (10.38, not 10.380); a Chinese numeral or rank word is read by a fixed table, and 最少 only as an inference.")
def _value_as_printed(ctx):
    def check(vp, v, st):
        if _blank(vp) or _blank(v):
            return
        if ARABIC.fullmatch(vp):
            expected = vp
        elif vp in NUMERALS or vp in RANK_WORDS:
            expected = NUMERALS.get(vp) or RANK_WORDS[vp]
        elif vp in INFERRED_WORDS:
            expected = INFERRED_WORDS[vp]
            if st != "inferred":
                yield "status", st, f"inferred: '{vp}' gives the value {expected} only by inference"
        else:
            yield "value_printed", vp, "digits, a Chinese numeral or a known rank word for a numeric value"
            return
        if v != expected:
            yield "value", v, f"{expected}, the value printed as '{vp}'"
    for row, *failure in _each(ctx.tables["observations"], ["value_printed", "value", "status"], check):
        yield "observations", row, *failure


@rule("evidence_contains_value", "provenance", "observations", ("observations",),
      "The evidence span contains the value as printed (a number not inside a longer number).")
def _evidence_value(ctx):
    yield from _spans_contain_value(ctx.tables["observations"], "observations", ctx.tables["observations"])


@rule("restatement_agrees", "agreement", "restatements", ("observations", "restatements"),
      "Where the source states a figure again, that place prints the same value.")
def _restatements(ctx):
    yield from _spans_contain_value(ctx.tables["restatements"], "restatements", ctx.tables["observations"])


def _spans_contain_value(spans: pd.DataFrame, resource: str, obs: pd.DataFrame):
    if resource == "restatements":
        printed = obs.drop_duplicates("obs_id").set_index("obs_id")["value_printed"]
        spans = spans.assign(value_printed=printed.reindex(spans["obs_id"].to_numpy()).to_numpy())
    def check(vp, ev):
        if not _blank(vp) and not _blank(ev) and not _token(vp).search(re.sub(r"\s+", "", ev)):
            yield "evidence", ev, f"a span that prints the value '{vp}'"
    for row, *failure in _each(spans, ["value_printed", "evidence"], check):
        yield resource, row, *failure


@rule("evidence_offsets_consistent", "provenance", "*", ("observations", "restatements", "projects", "glossary"),
      "evidence_end - evidence_start is the length of the evidence span.")
def _offset_lengths(ctx):
    def check(ev, s, e):
        start, end = _dec(s), _dec(e)
        if not _blank(ev) and start is not None and end is not None and end - start != len(ev):
            yield "evidence_end", e, f"{start + len(ev)} (evidence_start + {len(ev)} characters)"
    for name in ("observations", "restatements", "projects", "glossary"):
        for row, *failure in _each(ctx.tables[name], ["evidence", "evidence_start", "evidence_end"], check):
            yield name, row, *failure


@rule("evidence_in_source", "provenance", "*", ("observations", "restatements", "projects", "glossary"),
      "When the source transcription is at hand, each evidence span stands in it at its offsets (skipped without it).")
def _evidence_in_source(ctx):
    if ctx.source_text is None:
        return
    def check(ev, s, e):
        start, end = _dec(s), _dec(e)
        if not _blank(ev) and start is not None and end is not None:
            found = ctx.source_text[int(start):int(end)]
            if found != ev:
                yield "evidence", ev, f"the text at {start}-{end} of the source, which is '{found}'"
    for name in ("observations", "restatements", "projects", "glossary"):
        for row, *failure in _each(ctx.tables[name], ["evidence", "evidence_start", "evidence_end"], check):
            yield name, row, *failure


@rule("reason_for_inference", "provenance", "observations", ("observations",),
      "An inferred value gives its reason; a reported one has none.")
def _reason(ctx):
    obs = ctx.tables["observations"]
    for i in _rows(obs, (obs["status"] == "inferred") & obs["status_reason"].isna()).index:
        yield "observations", i, "status_reason", None, "the reason for the inference"
    bad = _rows(obs, (obs["status"] == "reported") & obs["status_reason"].notna())
    for i, v in zip(bad.index, bad["status_reason"]):
        yield "observations", i, "status_reason", v, "empty, or status inferred"


# ---------------------------------------------------------------- periods

@rule("period_start_before_end", "periods", "observations", ("observations",),
      "A period starts on or before the day it ends.")
def _period_order(ctx):
    obs = ctx.tables["observations"]
    start = pd.to_datetime(obs["period_start"], format="%Y-%m-%d", errors="coerce")
    end = pd.to_datetime(obs["period_end"], format="%Y-%m-%d", errors="coerce")
    bad = _rows(obs, start > end)
    for i, v in zip(bad.index, bad["period_end"]):
        yield "observations", i, "period_end", v, f"a day on or after period_start {obs.loc[i, 'period_start']}"


@rule("period_matches_status", "periods", "observations", ("observations",),
      "Dates are given exactly when the period is stated or inferred; a year-only figure has its reference year; an inferred period says why in the note.")
def _period_status(ctx):
    obs = ctx.tables["observations"]
    dated = obs["period_status"].isin(["stated", "inferred"])
    for col in ("period_start", "period_end"):
        for i in _rows(obs, dated & obs[col].isna()).index:
            yield "observations", i, col, None, "a date: the period is stated or inferred"
        bad = _rows(obs, ~dated.fillna(False) & obs[col].notna())
        for i, v in zip(bad.index, bad[col]):
            yield "observations", i, col, v, f"empty: the period is {obs.loc[i, 'period_status']}, so no dates are known"
    for i in _rows(obs, obs["period_status"].isin(["year_only", "stated", "inferred"]) & obs["reference_year"].isna()).index:
        yield "observations", i, "reference_year", None, "the year the figure belongs to"
    for i in _rows(obs, (obs["period_status"] == "inferred") & obs["note"].isna()).index:
        yield "observations", i, "note", None, "the reason the period is inferred"


@rule("period_within_report_year", "periods", "observations", ("observations",),
      f"A dated period lies inside its reference year, and the reference year is the report's year ({REPORT_YEAR}).")
def _period_year(ctx):
    obs = ctx.tables["observations"]
    year = obs["reference_year"]
    for col in ("period_start", "period_end"):  # ISO dates: the year is the first four characters
        bad = _rows(obs, obs[col].notna() & year.notna() & (obs[col].str.slice(0, 4) != year))
        for i, v in zip(bad.index, bad[col]):
            yield "observations", i, col, v, f"a date in {obs.loc[i, 'reference_year']}, the reference year"
    bad = _rows(obs, year.notna() & (year != str(REPORT_YEAR)))
    for i, v in zip(bad.index, bad["reference_year"]):
        yield "observations", i, "reference_year", v, f"{REPORT_YEAR}, the year of the report (or empty when the source gives no year)"


PRINTED_PERIODS = {  # the period words of the source, as (start, end) of the report's year
    "前三季度": ("01-01", "09-30"), "1-11月": ("01-01", "11-30"), "至11月底": ("11-30", "11-30"), "今年10月": ("10-01", "10-31"),
}


@rule("period_matches_printed", "periods", "observations", ("observations",),
      "The period words are the source's (前三季度, 1-11月, 至11月底, 今年10月), the dates are theirs (Jan 1 to Sep 30, Jan 1 to Nov 30, Nov 30, October), and period words go with a stated or inferred period.")
def _period_printed(ctx):
    def check(words, start, end, status, year):
        if _blank(words):
            if status == "stated":
                yield "period_printed", None, "the words of the source that state the period"
            return
        if status not in ("stated", "inferred"):
            yield "period_status", status, f"stated or inferred: the period is printed as {words}"
        if words not in PRINTED_PERIODS:
            yield "period_printed", words, f"one of the source's period words ({', '.join(PRINTED_PERIODS)}), or add the new word and its dates to PRINTED_PERIODS"
        elif not _blank(year):
            want = tuple(f"{year}-{d}" for d in PRINTED_PERIODS[words])
            for field, value, expected in (("period_start", start, want[0]), ("period_end", end, want[1])):
                if value != expected:
                    yield field, value, f"{expected}: {words} is {want[0]} to {want[1]}"
    cols = ["period_printed", "period_start", "period_end", "period_status", "reference_year"]
    for row, *failure in _each(ctx.tables["observations"], cols, check):
        yield "observations", row, *failure


@rule("area_name_matches_code", "agreement", "observations", ("observations",),
      "A known area code goes with its name, and a known name with its code (411700 is 驻马店市).")
def _area(ctx):
    names = {name: code for code, name in AREAS.items()}
    def check(code, name):
        if code in AREAS and name != AREAS[code]:
            yield "area_name", name, f"{AREAS[code]}, the name of area {code}"
        elif name in names and code != names[name]:
            yield "area_code", code, f"{names[name]}, the code of {name}"
    for row, *failure in _each(ctx.tables["observations"], ["area_code", "area_name"], check):
        yield "observations", row, *failure


@rule("universe_size_matches_code", "bounds", "observations", ("observations",),
      "A ranking universe's size is the one its code names (henan-18 ranks 18 units).")
def _universe_size(ctx):
    def check(code, size):
        if not _blank(code) and not _blank(size) and code.rsplit("-", 1)[-1] != size:
            yield "rank_universe_size", size, f"{code.rsplit('-', 1)[-1]}, the size named by {code}"
    for row, *failure in _each(ctx.tables["observations"], ["rank_universe", "rank_universe_size"], check):
        yield "observations", row, *failure


@rule("rank_direction_matches_indicator", "agreement", "observations", ("observations", "indicators"),
      "A rank's direction is its indicator's (fewest heavy-pollution days rank first: lowest_first).")
def _direction(ctx):
    obs = _obs_with_indicators(ctx)
    bad = _rows(obs, obs["rank_direction"].notna() & (obs["rank_direction"] != obs["indicator_rank_direction"]))
    for i, v, want in zip(bad.index, bad["rank_direction"], bad["indicator_rank_direction"]):
        yield "observations", i, "rank_direction", v, f"{want}, the direction of the indicator"


PROJECT_STATUS_WORDS = {"投产": "in_production", "运行": "in_operation", "开园": "opened", "建设": "under_construction", "推进": "under_construction"}


@rule("project_status_as_printed", "provenance", "projects", ("projects",),
      "A project's status stands in its evidence and its code follows the printed words (投产 in_production, 运行 in_operation, 开园 opened, 建设 or 推进 under_construction, or not_stated when 建设 may be finished, else not_stated).")
def _project_status(ctx):
    pj = ctx.tables["projects"]
    for i, printed, code, ev in zip(pj.index, pj["status_printed"], pj["status"], pj["evidence"]):
        if _blank(printed) or _blank(ev):
            continue
        if printed not in re.sub(r"\s+", "", ev):
            yield "projects", i, "evidence", ev, f"a span that prints the status '{printed}'"
        want = next((c for w, c in PROJECT_STATUS_WORDS.items() if printed.endswith(w)), "not_stated")
        if code != want and not (want == "under_construction" and code == "not_stated"):
            yield "projects", i, "status", code, f"{want}, from the printed status '{printed}'"


@rule("outside_definition_cited", "provenance", "glossary", ("glossary",),
      "A glossary definition from outside the source names its source; a term without one says 'not defined in the source'.")
def _definition_cited(ctx):
    gl = ctx.tables["glossary"]
    for i, definition, source in zip(gl.index, gl["definition"], gl["definition_source_id"]):
        undefined = definition == "not defined in the source"
        if not undefined and _blank(source):
            yield "glossary", i, "definition_source_id", None, "the source of this outside definition"
        if undefined and not _blank(source):
            yield "glossary", i, "definition_source_id", source, "empty: the term has no outside definition"


@rule("term_in_evidence", "provenance", "glossary", ("glossary",),
      "A glossary term stands in its evidence span.")
def _term_in_evidence(ctx):
    gl = ctx.tables["glossary"]
    for i, term, ev in zip(gl.index, gl["term_zh"], gl["evidence"]):
        if not _blank(term) and not _blank(ev) and term not in ev:
            yield "glossary", i, "evidence", ev, f"a span that prints the term '{term}'"


# ---------------------------------------------------------------- keys

@rule("foreign_keys_resolve", "keys", "*", (),
      "Every reference to another table (a foreign key of the Table Schemas) names a row that exists.")
def _foreign_keys(ctx):
    for resource, field, target, target_field in ctx.foreign_keys:
        if resource not in ctx.tables or target not in ctx.tables:
            continue
        frame = ctx.tables[resource]
        bad = _rows(frame, frame[field].notna() & ~_isin(frame[field], ctx.tables[target][target_field]))
        for i, v in zip(bad.index, bad[field]):
            yield resource, i, field, v, f"a {target_field} of {target}"


@rule("every_indicator_used", "keys", "indicators", ("observations", "indicators"),
      "Every indicator of the code list has at least one observation (no orphan code).")
def _indicators_used(ctx):
    ind, used = ctx.tables["indicators"], set(ctx.tables["observations"]["indicator_id"].dropna().unique())
    for i, v in zip(ind.index, ind["indicator_id"]):
        if not _blank(v) and v not in used:
            yield "indicators", i, "indicator_id", v, "an indicator that some observation uses, or remove it"


@rule("one_row_per_figure", "keys", "observations", ("observations",),
      "A figure is one row: no two observations share indicator, area, period and project (figures of unknown period excepted).")
def _one_row_per_figure(ctx):
    obs = ctx.tables["observations"]
    known = obs[obs["period_status"] != "unknown"]
    dup = known.duplicated(["indicator_id", "area_code", "period_start", "period_end", "reference_year", "project_id"], keep="first")
    for i in dup[dup].index:
        yield "observations", i, "obs_id", obs.loc[i, "obs_id"], "a figure not already recorded in another row (same indicator, area, period, project)"
