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

REPORT_YEAR = 2023
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
    row: int | None  # 0-based data row; turned into a CSV line when reported
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
    """Observations with their indicator's measure, relation and unit, plus a period key (made once)."""
    if ctx.joined is None:
        obs = ctx.tables["observations"]
        ind = ctx.tables["indicators"].drop_duplicates("indicator_id").set_index("indicator_id")
        out = obs.copy()
        for col in ("measure", "relation", "related_indicator_id", "item_min_base", "unit_short", "rank_direction"):
            out["indicator_" + col if col == "rank_direction" else col] = obs["indicator_id"].map(ind[col])
        key = out["area_code"].fillna("")
        for col in ("period_start", "period_end", "reference_year"):
            key = key + "|" + out[col].fillna("")
        out["key"] = key
        ctx.joined = out
    return ctx.joined


def _rows(frame: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    return frame[mask.fillna(False).astype(bool)]


def _token(printed: str) -> re.Pattern:
    if ARABIC.fullmatch(printed):  # a number must not stand inside a longer number (5 in 15.55)
        return re.compile(r"(?<![0-9.])" + re.escape(printed) + r"(?![0-9]|\.[0-9])")
    return re.compile(re.escape(printed))


# ---------------------------------------------------------------- bounds

@rule("rank_within_universe", "bounds", "observations", ("observations", "indicators"),
      "A rank lies between 1 and the size of its ranking universe (1-18 for Henan).")
def _rank_within_universe(ctx):
    obs = _obs_with_indicators(ctx)
    ranks = _rows(obs, obs["measure"] == "rank")
    for i, v, n in zip(ranks.index, ranks["value"], ranks["rank_universe_size"]):
        value, size = _dec(v), _dec(n)
        if value is not None and size is not None and not (1 <= value <= size):
            yield "observations", i, "value", v, f"a rank from 1 to {size} (the universe's size)"


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
    obs = ctx.tables["observations"]
    for i, q, vp, ev in zip(obs.index, obs["qualifier"], obs["value_printed"], obs["evidence"]):
        if _blank(vp) or _blank(ev):
            continue
        printed = re.escape(vp)
        upper = re.search("前" + printed + "(位|名)", ev) is not None
        lower = re.search(printed + "[^，。；、]{0,3}(级|以上)", ev) is not None
        expected = "at_most" if upper else "at_least" if lower else None
        if (None if _blank(q) else q) != expected:
            yield "observations", i, "qualifier", q, (f"'{expected}', as the evidence prints a bound" if expected else "empty: the evidence prints no bound")


@rule("bounded_rank_within_universe", "bounds", "observations", ("observations", "indicators"),
      "A bounded rank (前N位, at_most N) has a bound from 1 to one less than the universe's size, or it says nothing.")
def _bounded_rank(ctx):
    obs = _obs_with_indicators(ctx)
    bounded = _rows(obs, (obs["measure"] == "rank") & (obs["qualifier"] == "at_most"))
    for i, v, n in zip(bounded.index, bounded["value"], bounded["rank_universe_size"]):
        value, size = _dec(v), _dec(n)
        if value is not None and size is not None and not (1 <= value < size):
            yield "observations", i, "value", v, f"a bound from 1 to {size - 1}"


@rule("share_within_0_100", "bounds", "observations", ("observations", "indicators"),
      "A share or rate lies between 0 and 100 % and is in percent.")
def _share_bounds(ctx):
    obs = _obs_with_indicators(ctx)
    shares = _rows(obs, obs["measure"] == "share")
    for i, v, u in zip(shares.index, shares["value"], shares["unit_printed"]):
        value = _dec(v)
        if value is not None and not (0 <= value <= 100):
            yield "observations", i, "value", v, "a share from 0 to 100"
        if u != "%":
            yield "observations", i, "unit_printed", u, "%"


@rule("growth_above_minus_100", "bounds", "observations", ("observations", "indicators"),
      "A growth rate is in percent and above -100 % (nothing shrinks by more than all of it).")
def _growth_bounds(ctx):
    obs = _obs_with_indicators(ctx)
    growth = _rows(obs, obs["measure"] == "growth_rate")
    for i, v, u in zip(growth.index, growth["value"], growth["unit_printed"]):
        value = _dec(v)
        if value is not None and value <= -100:
            yield "observations", i, "value", v, "a growth rate above -100"
        if u != "%":
            yield "observations", i, "unit_printed", u, "%"


@rule("change_pp_within_100", "bounds", "observations", ("observations", "indicators"),
      "A change in percentage points lies between -100 and 100.")
def _change_pp_bounds(ctx):
    obs = _obs_with_indicators(ctx)
    changes = _rows(obs, obs["measure"] == "change_pp")
    for i, v in zip(changes.index, changes["value"]):
        value = _dec(v)
        if value is not None and not (-100 <= value <= 100):
            yield "observations", i, "value", v, "a change from -100 to 100 percentage points"


@rule("whole_number_counts", "bounds", "observations", ("observations", "indicators"),
      "Ranks, counts, stocks and durations are non-negative whole numbers in base units.")
def _whole_numbers(ctx):
    obs = _obs_with_indicators(ctx)
    whole = _rows(obs, obs["measure"].isin(WHOLE_MEASURES))
    for i, m, v in zip(whole.index, whole["measure"], whole["value_base"]):
        value = _dec(v)
        if value is not None and (value != value.to_integral_value() or (value < 0 and m != "change")):
            yield "observations", i, "value_base", v, "a whole number" + ("" if m == "change" else " of 0 or more")


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

def _related(ctx, relation: str):
    """Pairs (rows of one relation, the related indicator's rows) in the same area and period."""
    obs = _obs_with_indicators(ctx)
    left = _rows(obs, obs["relation"] == relation).assign(base=lambda f: f["value_base"].map(_dec))
    if left.empty:
        return
    targets = obs[obs["indicator_id"].isin(set(left["related_indicator_id"]))].assign(base=lambda f: f["value_base"].map(_dec))
    by_target = {k: g for k, g in targets.groupby(["indicator_id", "key"])}
    for (target, key), group in left.groupby(["related_indicator_id", "key"]):
        if (target, key) in by_target:
            yield group, by_target[(target, key)]


@rule("parts_within_whole", "parts", "observations", ("observations", "indicators"),
      "Parts add up to no more than their whole (new enterprises within new market entities).")
def _parts_within_whole(ctx):
    for parts, wholes in _related(ctx, "part_of"):
        total = sum((b for b in parts["base"] if b is not None), Decimal(0))
        for whole, whole_id in zip(wholes["base"], wholes["obs_id"]):
            if whole is not None and total > whole:
                for i, part in zip(parts.index, parts["base"]):
                    yield "observations", i, "value_base", part, f"parts that add up to at most {whole}, the whole {whole_id} (they add up to {total})"


@rule("addition_within_stock", "stocks_flows", "observations", ("observations", "indicators"),
      "A cumulative total is at least this period's addition to it.")
def _addition_within_stock(ctx):
    for additions, stocks in _related(ctx, "addition_to"):
        for stock, stock_id in zip(stocks["base"], stocks["obs_id"]):
            for i, add in zip(additions.index, additions["base"]):
                if stock is not None and add is not None and add > stock:
                    yield "observations", i, "value_base", add, f"at most {stock}, the cumulative total {stock_id} it adds to"


@rule("change_has_possible_base", "changes", "observations", ("observations", "indicators"),
      "A level minus its increase (or its change in percentage points) is never negative: the previous level existed.")
def _change_has_possible_base(ctx):
    for changes, levels in _related(ctx, "change_of"):
        for i, change in zip(changes.index, changes["base"]):
            for level in levels["base"]:
                if change is not None and level is not None and level - change < 0:
                    yield "observations", i, "value_base", change, f"at most {level}, the level it changed to (else the previous level is negative)"


@rule("total_covers_item_minimum", "thresholds", "observations", ("observations", "indicators"),
      "A total over N items of at least M each is at least N x M (401 projects of 亿元以上 total at least 401亿元).")
def _total_covers_items(ctx):
    ind = ctx.tables["indicators"].drop_duplicates("indicator_id").set_index("indicator_id")
    for totals, counts in _related(ctx, "total_over_items"):
        for count, target in zip(counts["base"], counts["indicator_id"]):
            minimum = _dec(ind.loc[target, "item_min_base"])
            for i, total in zip(totals.index, totals["base"]):
                if None not in (count, minimum, total) and total < count * minimum:
                    yield "observations", i, "value_base", total, f"at least {count * minimum} ({count} items of at least {minimum} each)"


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
    obs = ctx.tables["observations"]
    for i, v, m, b in zip(obs.index, obs["value"], obs["unit_multiplier"], obs["value_base"]):
        value, mult, base = _dec(v), _dec(m), _dec(b)
        if None not in (value, mult, base) and value.scaleb(int(mult)) != base:
            yield "observations", i, "value_base", b, f"{value.scaleb(int(mult)):f} (= {v} x 10^{m})"


@rule("unit_matches_multiplier", "agreement", "observations", ("observations",),
      "The multiplier is the printed unit's prefix (万 = 4, 亿 = 8, none = 0) and the base unit is the rest; a unit the source does not print is an inference.")
def _unit_prefix(ctx):
    obs = ctx.tables["observations"]
    for i, up, m, ub, st in zip(obs.index, obs["unit_printed"], obs["unit_multiplier"], obs["unit_base"], obs["status"]):
        if _blank(up):
            continue
        prefix = up[0] if up[0] in PREFIX_MULTIPLIER else ""
        expected_mult = PREFIX_MULTIPLIER.get(prefix, 0)
        if _dec(m) is not None and _dec(m) != expected_mult:
            yield "observations", i, "unit_multiplier", m, f"{expected_mult}, from the printed unit {up}"
        rest = up[len(prefix):]
        if rest and not _blank(ub) and ub != rest:
            yield "observations", i, "unit_base", ub, f"{rest}, the printed unit {up} without its prefix"
        if not rest and st != "inferred":
            yield "observations", i, "status", st, f"inferred: the source prints only {up}, so the base unit is an inference"


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
    obs = ctx.tables["observations"]
    for i, vp, v, st in zip(obs.index, obs["value_printed"], obs["value"], obs["status"]):
        if _blank(vp) or _blank(v):
            continue
        if ARABIC.fullmatch(vp):
            expected = vp
        elif vp in NUMERALS or vp in RANK_WORDS:
            expected = NUMERALS.get(vp) or RANK_WORDS[vp]
        elif vp in INFERRED_WORDS:
            expected = INFERRED_WORDS[vp]
            if st != "inferred":
                yield "observations", i, "status", st, f"inferred: '{vp}' gives the value {expected} only by inference"
        else:
            yield "observations", i, "value_printed", vp, "digits, a Chinese numeral or a known rank word for a numeric value"
            continue
        if v != expected:
            yield "observations", i, "value", v, f"{expected}, the value printed as '{vp}'"


@rule("evidence_contains_value", "provenance", "observations", ("observations",),
      "The evidence span contains the value as printed (a number not inside a longer number).")
def _evidence_value(ctx):
    yield from _spans_contain_value(ctx.tables["observations"], "observations", ctx.tables["observations"])


@rule("restatement_agrees", "agreement", "restatements", ("observations", "restatements"),
      "Where the source states a figure again, that place prints the same value.")
def _restatements(ctx):
    yield from _spans_contain_value(ctx.tables["restatements"], "restatements", ctx.tables["observations"])


def _spans_contain_value(spans: pd.DataFrame, resource: str, obs: pd.DataFrame):
    printed = spans["obs_id"].map(obs.drop_duplicates("obs_id").set_index("obs_id")["value_printed"]) if resource == "restatements" else spans["value_printed"]
    cache: dict[str, re.Pattern] = {}
    for i, vp, ev in zip(spans.index, printed, spans["evidence"]):
        if _blank(vp) or _blank(ev):
            continue
        pattern = cache.get(vp) or cache.setdefault(vp, _token(vp))
        if not pattern.search(re.sub(r"\s+", "", ev)):
            yield resource, i, "evidence", ev, f"a span that prints the value '{vp}'"


@rule("evidence_offsets_consistent", "provenance", "*", ("observations", "restatements", "projects", "glossary"),
      "evidence_end - evidence_start is the length of the evidence span.")
def _offset_lengths(ctx):
    for name in ("observations", "restatements", "projects", "glossary"):
        t = ctx.tables[name]
        for i, ev, s, e in zip(t.index, t["evidence"], t["evidence_start"], t["evidence_end"]):
            start, end = _dec(s), _dec(e)
            if not _blank(ev) and start is not None and end is not None and end - start != len(ev):
                yield name, i, "evidence_end", e, f"{start + len(ev)} (evidence_start + {len(ev)} characters)"


@rule("evidence_in_source", "provenance", "*", ("observations", "restatements", "projects", "glossary"),
      "When the source transcription is at hand, each evidence span stands in it at its offsets (skipped without it).")
def _evidence_in_source(ctx):
    if ctx.source_text is None:
        return
    for name in ("observations", "restatements", "projects", "glossary"):
        t = ctx.tables[name]
        for i, ev, s, e in zip(t.index, t["evidence"], t["evidence_start"], t["evidence_end"]):
            start, end = _dec(s), _dec(e)
            if _blank(ev) or start is None or end is None:
                continue
            found = ctx.source_text[int(start):int(end)]
            if found != ev:
                yield name, i, "evidence", ev, f"the text at {start}-{end} of the source, which is '{found}'"


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
    year = pd.to_numeric(obs["reference_year"], errors="coerce")
    for col in ("period_start", "period_end"):
        dates = pd.to_datetime(obs[col], format="%Y-%m-%d", errors="coerce")
        bad = _rows(obs, dates.notna() & year.notna() & (dates.dt.year != year))
        for i, v in zip(bad.index, bad[col]):
            yield "observations", i, col, v, f"a date in {obs.loc[i, 'reference_year']}, the reference year"
    bad = _rows(obs, year.notna() & (year != REPORT_YEAR))
    for i, v in zip(bad.index, bad["reference_year"]):
        yield "observations", i, "reference_year", v, f"{REPORT_YEAR}, the year of the report (or empty when the source gives no year)"


PRINTED_PERIODS = {  # the period words of the source, as (start, end) of the report's year
    "前三季度": ("01-01", "09-30"), "1-11月": ("01-01", "11-30"), "至11月底": ("11-30", "11-30"),
}


@rule("period_matches_printed", "periods", "observations", ("observations",),
      "The dates are those of the period words (前三季度 = Jan 1 to Sep 30, 1-11月 = Jan 1 to Nov 30, 至11月底 = Nov 30), and period words go with a stated or inferred period.")
def _period_printed(ctx):
    obs = ctx.tables["observations"]
    for i, words, start, end, status, year in zip(obs.index, obs["period_printed"], obs["period_start"], obs["period_end"], obs["period_status"], obs["reference_year"]):
        if _blank(words):
            if status == "stated":
                yield "observations", i, "period_printed", None, "the words of the source that state the period"
            continue
        if status not in ("stated", "inferred"):
            yield "observations", i, "period_status", status, f"stated or inferred: the period is printed as {words}"
        if words in PRINTED_PERIODS and not _blank(year):
            want = tuple(f"{year}-{d}" for d in PRINTED_PERIODS[words])
            if (start, end) != want:
                yield "observations", i, "period_start", start, f"the period {want[0]} to {want[1]}, which is what {words} means"


@rule("universe_size_matches_code", "bounds", "observations", ("observations",),
      "A ranking universe's size is the one its code names (henan-18 ranks 18 units).")
def _universe_size(ctx):
    obs = ctx.tables["observations"]
    for i, code, size in zip(obs.index, obs["rank_universe"], obs["rank_universe_size"]):
        if not _blank(code) and not _blank(size) and code.rsplit("-", 1)[-1] != size:
            yield "observations", i, "rank_universe_size", size, f"{code.rsplit('-', 1)[-1]}, the size named by {code}"


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
        frame, known = ctx.tables[resource], set(ctx.tables[target][target_field].dropna())
        bad = _rows(frame, frame[field].notna() & ~frame[field].isin(known))
        for i, v in zip(bad.index, bad[field]):
            yield resource, i, field, v, f"a {target_field} of {target}"


@rule("every_indicator_used", "keys", "indicators", ("observations", "indicators"),
      "Every indicator of the code list has at least one observation (no orphan code).")
def _indicators_used(ctx):
    ind, used = ctx.tables["indicators"], set(ctx.tables["observations"]["indicator_id"].dropna())
    for i, v in zip(ind.index, ind["indicator_id"]):
        if not _blank(v) and v not in used:
            yield "indicators", i, "indicator_id", v, "an indicator that some observation uses, or remove it"


@rule("one_row_per_figure", "keys", "observations", ("observations",),
      "A figure is one row: no two observations share indicator, area, period and project (figures of unknown period excepted).")
def _one_row_per_figure(ctx):
    obs = ctx.tables["observations"]
    known = obs[obs["period_status"] != "unknown"]
    keys = known[["indicator_id", "area_code", "period_start", "period_end", "reference_year", "project_id"]].fillna("")
    dup = keys.duplicated(keep="first")
    for i in dup[dup].index:
        yield "observations", i, "obs_id", obs.loc[i, "obs_id"], "a figure not already recorded in another row (same indicator, area, period, project)"
