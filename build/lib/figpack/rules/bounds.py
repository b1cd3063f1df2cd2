"""Bounds: what range a value may take, declared as data (measures.csv, rank_universes.csv)."""

from __future__ import annotations

import re

from figpack.frames import blank, dec, each, present_exactly_when, rows
from figpack.registry import rule

OBS_MEASURES = ("observations", "indicators", "measures")


@rule(
    "observations",
    OBS_MEASURES + ("rank_universes",),
    "A rank lies between 1 and the size of its ranking universe (rank_universes.csv).",
)
def rank_within_universe(ctx):
    obs = ctx.joined

    def check(v, n):
        value, size = dec(v), dec(n)
        if value is not None and size is not None and not (1 <= value <= size):
            yield "value", v, f"a rank from 1 to {size} (the universe's size)"

    yield from each(obs, ["value", "rank_universe_size"], check, obs["measure"] == "rank")


@rule(
    "observations",
    OBS_MEASURES,
    "A rank names its universe, the universe's size and source, whether the source states the universe or it is "
    "assumed, and its direction; other figures name none.",
)
def rank_has_universe(ctx):
    obs = ctx.joined
    cols = ["rank_universe", "rank_universe_size", "rank_universe_source_id", "rank_universe_status", "rank_direction"]
    yield from present_exactly_when(
        obs,
        obs["measure"] == "rank",
        cols,
        "a value: every rank needs its universe and direction",
        "empty: only ranks have a ranking universe",
    )


@rule(
    "observations",
    ("observations",),
    "A bound is recorded exactly where the source prints one: 前N位 is at_most N; 以上 or 级 is at_least.",
)
def qualifier_matches_evidence(ctx):
    def check(q, vp, ev):
        if blank(vp) or blank(ev):
            return
        printed = re.escape(vp)
        upper = re.search("前" + printed + "(位|名)", ev) is not None
        lower = re.search(printed + "[^，。；、]{0,3}(级|以上)", ev) is not None
        expected = "at_most" if upper else "at_least" if lower else None
        if (None if blank(q) else q) != expected:
            yield (
                "qualifier",
                q,
                (
                    f"'{expected}', as the evidence prints a bound"
                    if expected
                    else "empty: the evidence prints no bound"
                ),
            )

    yield from each(ctx.tables["observations"], ["qualifier", "value_printed", "evidence"], check)


@rule(
    "observations",
    OBS_MEASURES,
    "A bounded rank (前N位, at_most N) has a bound from 1 to one less than the universe's size, or it says nothing.",
)
def bounded_rank_within_universe(ctx):
    obs = ctx.joined

    def check(v, n):
        value, size = dec(v), dec(n)
        if value is not None and size is not None and not (1 <= value < size):
            yield "value", v, f"a bound from 1 to {size - 1}"

    yield from each(
        obs, ["value", "rank_universe_size"], check, (obs["measure"] == "rank") & (obs["qualifier"] == "at_most")
    )


@rule(
    "observations",
    OBS_MEASURES,
    "A value lies in its measure's range (measures.csv: a share 0 to 100, a growth rate above -100, ...).",
)
def value_within_measure_range(ctx):
    measures = ctx.tables["measures"].drop_duplicates("measure").set_index("measure")

    def check(m, v):
        value = dec(v)
        if value is None or m not in measures.index:
            return
        low, high = dec(measures.at[m, "minimum"]), dec(measures.at[m, "maximum"])
        exclusive = measures.at[m, "exclusive_minimum"] == "true"
        if (low is not None and (value < low or (exclusive and value == low))) or (high is not None and value > high):
            lower = "" if low is None else f"{'above' if exclusive else 'at least'} {low}"
            upper = "" if high is None else f"at most {high}"
            yield "value", v, f"a {m} {' and '.join(t for t in (lower, upper) if t)}"

    yield from each(ctx.joined, ["measure", "value"], check)


@rule(
    "observations",
    OBS_MEASURES,
    "Where a measure fixes the printed unit (measures.csv: shares and growth rates in %), the figure uses it.",
)
def unit_printed_matches_measure(ctx):
    units = (
        ctx.tables["measures"]
        .dropna(subset=["unit_printed"])
        .drop_duplicates("measure")
        .set_index("measure")["unit_printed"]
    )

    def check(m, u):
        if m in units.index and u != units[m]:
            yield "unit_printed", u, f"{units[m]}, the unit of every {m}"

    yield from each(ctx.joined, ["measure", "unit_printed"], check)


@rule(
    "observations",
    OBS_MEASURES,
    "A measure that counts whole things (measures.csv whole_number) has a whole base value, 0 or more unless it has no minimum.",
)
def whole_number_counts(ctx):
    obs = ctx.joined
    minimums = ctx.tables["measures"].drop_duplicates("measure").set_index("measure")["minimum"]

    def check(m, v):
        value, low = dec(v), dec(minimums.get(m))
        if value is not None and (value != value.to_integral_value() or (low is not None and value < low)):
            yield "value_base", v, "a whole number" + ("" if low is None else f" of {low} or more")

    yield from each(obs, ["measure", "value_base"], check, obs["measure_whole_number"] == "true")


@rule(
    "observations",
    OBS_MEASURES + ("word_readings",),
    "A numeric figure (measures.csv numeric) has a value, base value and unit; a claim or distinction has none. The "
    "unit as printed may be empty only where the source prints a word with no unit (a rank word such as 最少).",
)
def value_matches_measure(ctx):
    known = ctx.joined[ctx.joined["measure"].notna()]  # an unknown indicator is a key failure
    numeric = known["measure_numeric"] == "true"
    cols = ("value", "value_base", "unit_multiplier", "unit_base")
    needed, forbidden = "a value: the indicator's measure is numeric", "empty: a claim or distinction has no number"
    yield from present_exactly_when(known, numeric, cols, needed, forbidden)
    words = {**ctx.readings("rank_word"), **ctx.readings("inferred_rank_word")}
    unitless = known["value_printed"].isin(list(words))
    for i in rows(known, numeric & ~unitless & known["unit_printed"].isna()).index:
        yield i, "unit_printed", None, needed
    extra = rows(known, ~numeric & known["unit_printed"].notna())
    for i, v in zip(extra.index, extra["unit_printed"]):
        yield i, "unit_printed", v, forbidden
