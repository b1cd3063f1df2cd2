"""Corroboration: each figure of the report against other public documents (corroborations.csv).
A verdict must follow from the two values and periods it compares, and no figure is left out."""

from __future__ import annotations

import pandas as pd

from figpack.frames import (
    blank,
    dec,
    each,
    first_positions,
    found_in,
    period_shape,
    present_exactly_when,
    rows,
    rows_at,
    truth,
)
from figpack.registry import rule

FOUND = ["source_id", "value_printed", "period_status", "evidence"]
PERIOD = ["period_status", "period_start", "period_end", "reference_year"]


def period_key(status, start, end, year):
    """What "the same period" compares: the dates of a dated period, the year of a year-only one;
    None for an unknown period, which is the same as no other."""
    if status in ("stated", "inferred"):
        return ("dated", start, None if blank(end) else end)
    if status == "year_only" and not blank(year):
        return ("year", year)
    return None


def _with_observation(ctx) -> pd.DataFrame:
    """Each corroboration with its observation's value, period and whether its measure has a number."""
    corr, obs = ctx.tables["corroborations"], ctx.joined
    cols = ["value", "value_printed", "measure_numeric", *PERIOD]
    at = first_positions(*ctx.codes(("corroborations", "obs_id"), ("observations", "obs_id")))
    theirs = rows_at(obs[cols], at, corr.index).add_prefix("obs_")
    return pd.concat([corr, theirs], axis=1)


@rule(
    "corroborations",
    ("corroborations",),
    "A row found in another document names it, gives its figure as printed, its period and a span; a nothing_found "
    "row gives none of these.",
)
def corroboration_found_or_not(ctx):
    corr = ctx.tables["corroborations"]
    yield from present_exactly_when(
        corr,
        corr["verdict"] != "nothing_found",
        FOUND,
        "a value: the figure was found in another document",
        "empty: the verdict is nothing_found",
    )
    extra = rows(corr, (corr["verdict"] == "nothing_found") & corr["value"].notna())
    for i, v in zip(extra.index, extra["value"]):
        yield i, "value", v, "empty: the verdict is nothing_found"


@rule(
    "corroborations",
    ("corroborations", "observations"),
    "Every figure of the report has a row: what another document says of it, or nothing_found, never both.",
)
def corroboration_covers_every_figure(ctx):
    corr, obs = ctx.tables["corroborations"], ctx.tables["observations"]
    corr_ids, obs_ids = ctx.codes(("corroborations", "obs_id"), ("observations", "obs_id"))
    uncovered = rows(obs, (obs_ids >= 0) & ~found_in(obs_ids, corr_ids))
    for i, obs_id in zip(uncovered.index, uncovered["obs_id"]):
        yield (
            "observations",
            i,
            "obs_id",
            obs_id,
            "a row in corroborations.csv (a document's figure, or nothing_found)",
        )
    found = corr_ids[truth(corr["verdict"] != "nothing_found")]
    bad = rows(corr, truth(corr["verdict"] == "nothing_found") & found_in(corr_ids, found))
    for i, v in zip(bad.index, bad["obs_id"]):
        yield i, "verdict", "nothing_found", f"no nothing_found row: another row of {v} found it"


@rule(
    "corroborations",
    ("corroborations", "sources"),
    "A corroborating document is a public_document of sources.csv with its address and the day it was seen, and "
    "never the report itself.",
)
def corroboration_source_described(ctx):
    sources = ctx.tables["sources"].drop_duplicates("source_id").set_index("source_id")
    report = ctx.report.get("source_id")

    def check(source_id):
        if blank(source_id) or source_id not in sources.index:
            return  # an unknown id is the foreign key's failure
        if source_id == report:
            yield "source_id", source_id, "another document than the report itself"
            return
        row = sources.loc[source_id]
        for field, want in (("kind", "public_document"), ("url", None), ("date_seen", None)):
            if (want and row[field] != want) or blank(row[field]):
                yield "source_id", source_id, f"a source whose {field} is {want or 'given'} in sources.csv"

    yield from each(ctx.tables["corroborations"], ["source_id"], check)


@rule(
    "corroborations",
    ("corroborations", "observations", "indicators", "measures"),
    "A verdict follows from the two figures: agrees is the same value for the same period, differs another value for "
    "the same period, other_period the same indicator for another period; other_measure says why in its note. A "
    "figure with a number is compared as a number; one without, by its words.",
)
def verdict_matches_figures(ctx):
    both = ctx.shared(_with_observation)
    cols = [
        "verdict", "value", "value_printed", *PERIOD,
        "obs_value", "obs_value_printed", "obs_measure_numeric", *(f"obs_{c}" for c in PERIOD),
    ]  # fmt: skip

    def check(verdict, value, printed, status, start, end, year, o_value, o_printed, numeric, *o_period):
        if verdict == "nothing_found" or blank(verdict):
            return
        if numeric == "true" and dec(value) is None:
            yield "value", value, "the document's figure as a number: the report's figure has one"
        if numeric != "true" and not blank(value):
            yield "value", value, "empty: the report's figure has no number, so the words are compared"
        mine, theirs = period_key(status, start, end, year), period_key(*o_period)
        same_period = mine is not None and mine == theirs
        same_value = dec(value) == dec(o_value) if numeric == "true" else printed == o_printed
        if verdict in ("agrees", "differs") and not same_period:
            yield "verdict", verdict, "other_period (or other_measure): the periods are not the same"
        elif verdict == "agrees" and not same_value:
            yield "verdict", verdict, f"differs: the report has {o_value if numeric == 'true' else o_printed}"
        elif verdict == "differs" and same_value:
            yield "verdict", verdict, "agrees: the figures are the same"
        elif verdict == "other_period" and (mine is None or theirs is None or same_period):
            yield (
                "verdict",
                verdict,
                "agrees or differs when the periods are the same; other_measure when one is unknown",
            )

    yield from each(both, cols, check)
    other = rows(both, (both["verdict"] == "other_measure") & both["note"].isna())
    for i in other.index:
        yield i, "note", None, "what the other measure is"


@rule(
    "corroborations",
    ("corroborations",),
    "A document's period has dates exactly when it is stated or inferred, an inferred one says why, and its span "
    "holds the figure as printed.",
)
def corroboration_period_and_span(ctx):
    corr = ctx.tables["corroborations"]
    yield from period_shape(corr, "the year the document's figure belongs to")

    def check(ev, vp):
        if vp not in ev:
            yield "evidence", ev, f"a span that holds the figure as printed ({vp})"

    yield from each(
        corr, ["evidence", "value_printed"], check, corr["evidence"].notna() & corr["value_printed"].notna()
    )
