"""Official statistics: each rank of the report beside the rank recomputed from official figures
(rank_checks.csv, official_figures.csv, official_indicators.csv). A recomputed place, the number of
units ranked, the ties and the verdict must all follow from the figures."""

from __future__ import annotations

import pandas as pd

from figpack import statables
from figpack.frames import blank, dec, found_in, lookup, present_exactly_when, rows, truth
from figpack.registry import rule

RECOMPUTED = ["official_period_start", "official_period_end", "units_ranked", "recomputed_rank"]


def _compared_ranks(ctx) -> pd.DataFrame:
    """The ranks that rank checks with an official indicator compare, by obs_id (a few observations,
    the fields the comparison reads)."""
    checks, joined = ctx.tables["rank_checks"], ctx.joined
    check_ids, obs_ids = ctx.codes(("rank_checks", "obs_id"), ("observations", "obs_id"))
    wanted = check_ids[checks["official_indicator_id"].notna().to_numpy()]
    fields = ["obs_id", "indicator_id", "area_code", "period_start", "period_end", "value", "qualifier"]
    picked = rows(joined[fields], found_in(obs_ids, wanted) & truth(joined["measure"] == "rank"))
    return picked.drop_duplicates("obs_id").set_index("obs_id")


@rule(
    "rank_checks",
    ("rank_checks", "observations", "indicators", "measures"),
    "Every rank of the report has a rank check, and only ranks have one.",
)
def rank_check_for_every_rank(ctx):
    checks, obs = ctx.tables["rank_checks"], ctx.tables["observations"]
    check_ids, obs_ids = ctx.codes(("rank_checks", "obs_id"), ("observations", "obs_id"))
    ranks = obs_ids[truth(ctx.joined["measure"] == "rank")]
    bad = rows(checks, (check_ids >= 0) & ~found_in(check_ids, ranks))
    for i, obs_id in zip(bad.index, bad["obs_id"]):
        yield i, "obs_id", obs_id, "a rank of the report (an observation whose measure is rank)"
    unchecked = rows(obs, found_in(obs_ids, ranks) & ~found_in(obs_ids, check_ids))
    for i, obs_id in zip(unchecked.index, unchecked["obs_id"]):
        yield "observations", i, "obs_id", obs_id, "a row in rank_checks.csv for this rank"


@rule(
    "rank_checks",
    ("rank_checks",),
    "A rank check with an official indicator gives its period, the units ranked and the recomputed place; "
    "cannot_recompute gives none of these, and only it.",
)
def rank_check_shape(ctx):
    checks = ctx.tables["rank_checks"]
    has = checks["official_indicator_id"].notna()
    yield from present_exactly_when(
        checks, has, RECOMPUTED, "a value: an official indicator is compared", "empty: no official indicator"
    )
    compared, said = truth(has), truth(checks["verdict"] == "cannot_recompute")  # a missing verdict says nothing
    for i, v in checks["verdict"][compared & said].items():
        yield i, "verdict", v, "a verdict other than cannot_recompute: an official indicator is compared"
    for i, v in checks["verdict"][~compared & ~said].items():
        yield i, "verdict", v, "cannot_recompute: no official indicator is compared"


def recompute(figures: pd.DataFrame, area: str, higher_first: bool) -> tuple[int, int, str] | None:
    """(units ranked, the area's place, area codes tied with it) among figures, or None if the area has none."""
    values = {code: dec(v) for code, v in zip(figures["area_code"], figures["value"])}
    mine = values.get(area)
    if mine is None:
        return None
    better = sum(1 for v in values.values() if v is not None and (v > mine if higher_first else v < mine))
    tied = sorted(code for code, v in values.items() if v == mine and code != area)
    return len(values), 1 + better, ";".join(tied)


@rule(
    "rank_checks",
    ("rank_checks", "official_figures", "official_indicators", "observations", "indicators", "measures"),
    "The units ranked, the recomputed place and the ties follow from official_figures.csv: the indicator's figures "
    "for that period, ranked in the indicator's direction (ties share a place: 1 plus the number of better values).",
)
def recomputed_rank_from_official_figures(ctx):
    checks, figures = ctx.tables["rank_checks"], ctx.tables["official_figures"]
    higher = lookup(ctx.tables["official_indicators"], "indicator_id", "higher_ranks_first")
    ranks = ctx.shared(_compared_ranks)
    figures = figures[["indicator_id", "period_start", "period_end", "area_code", "value"]]
    for i, c in rows(checks, checks["official_indicator_id"].notna()).to_dict("index").items():
        if c["obs_id"] not in ranks.index or c["official_indicator_id"] not in higher:
            continue  # a key failure, reported as such
        period = figures["period_start"] == c["official_period_start"]
        mine = figures[(figures["indicator_id"] == c["official_indicator_id"]) & period]
        mine = mine[mine["period_end"] == c["official_period_end"]]
        area = ranks.at[c["obs_id"], "area_code"]
        found = recompute(mine, area, higher[c["official_indicator_id"]] == "true")
        if found is None:
            yield (
                i,
                "official_indicator_id",
                c["official_indicator_id"],
                (f"an official figure of {area} for this indicator and period in official_figures.csv"),
            )
            continue
        units, place, tied = found
        for field, expected in (("units_ranked", units), ("recomputed_rank", place), ("tied_with", tied)):
            given = "" if blank(c[field]) else str(c[field])
            if given != str(expected):
                yield i, field, c[field], f"{expected or 'empty'}, from the {units} official figures"


@rule(
    "rank_checks",
    ("rank_checks", "official_indicators", "observations", "indicators", "measures"),
    "A verdict follows from the comparison: other_measure where the official indicator ranks another measure than "
    "the report's rank; other_period where its period is not the rank's; else agrees where the recomputed place is "
    "the claimed one (or within a claimed bound such as 前2位) and differs where it is not.",
)
def rank_check_verdict(ctx):
    checks = ctx.tables["rank_checks"]
    ranks = ctx.shared(_compared_ranks)
    measures = lookup(ctx.tables["official_indicators"], "indicator_id", "report_indicator_id")
    for i, c in rows(checks, checks["official_indicator_id"].notna()).to_dict("index").items():
        if c["obs_id"] not in ranks.index or c["official_indicator_id"] not in measures:
            continue
        o = ranks.loc[c["obs_id"]]
        if measures[c["official_indicator_id"]] != o["indicator_id"]:
            expected = "other_measure"
        elif (o["period_start"], o["period_end"]) != (c["official_period_start"], c["official_period_end"]):
            expected = "other_period"
        else:
            claimed, place = dec(o["value"]), dec(c["recomputed_rank"])
            within = (
                place is not None
                and claimed is not None
                and (place <= claimed if o["qualifier"] == "at_most" else place == claimed)
            )
            expected = "agrees" if within else "differs"
        if c["verdict"] != expected:
            yield i, "verdict", c["verdict"], expected


@rule(
    "official_figures",
    ("official_figures", "areas"),
    "An official figure's area name is the one its code has in areas.csv.",
)
def official_area_name_matches_code(ctx):
    figures = ctx.tables["official_figures"]
    names = lookup(ctx.tables["areas"], "area_code", "name_zh")
    for i, code, name in zip(figures.index, figures["area_code"], figures["area_name"]):
        if code in names and name != names[code]:
            yield i, "area_name", name, names[code]


@rule(
    "official_figures",
    ("official_figures",),
    "When the copy of its table is at hand (its SHA-256 as sources.csv records), each official figure stands in "
    "it as printed: the table's title, and the value at the row and column labels (the report says when the copies "
    "were not at hand and this rule could not run).",
)
def official_figure_in_table(ctx):
    figures = ctx.tables["official_figures"]
    parsed = {source_id: statables.parse(text) for source_id, text in ctx.copies.items()}
    labels = {source_id: statables.Labels(table) for source_id, table in parsed.items()}
    for i, f in figures.to_dict("index").items():
        table = parsed.get(f["copy_source_id"])
        if table is None:
            continue
        if statables.title(table) != f["table_printed"]:
            yield i, "table_printed", f["table_printed"], f"the copy's title, which is '{statables.title(table)}'"
            continue
        found = labels[f["copy_source_id"]].cell(f["row_printed"], f["column_printed"])
        if found is None:
            yield i, "row_printed", f["row_printed"], "a row and column label that stand once in the copy"
        elif found != f["value_printed"]:
            yield i, "value_printed", f["value_printed"], f"the copy's value at that row and column, which is '{found}'"
