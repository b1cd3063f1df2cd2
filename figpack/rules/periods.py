"""Periods: dates agree with the period words of the source (period_words.csv) and the report's
year (datapackage.json report.year)."""

from __future__ import annotations

import pandas as pd

from figpack.frames import blank, distinct, each, period_shape, rows
from figpack.registry import rule


@rule("observations", ("observations",), "A period starts on or before the day it ends.")
def period_start_before_end(ctx):
    obs = ctx.tables["observations"]
    texts = [v for col in ("period_start", "period_end") for v in distinct(obs[col])]
    day = dict(zip(texts, pd.to_datetime(pd.Series(texts, dtype="str"), format="%Y-%m-%d", errors="coerce")))

    def check(start, end):  # a text that is no day (a field failure of its own) is compared with nothing
        if not blank(start) and not blank(end) and day[start] > day[end]:
            yield "period_end", end, f"a day on or after period_start {start}"

    yield from each(obs, ["period_start", "period_end"], check)


@rule(
    "observations",
    ("observations",),
    "Dates are given exactly when the period is stated or inferred (only a period word with no end, such as 9月以来, "
    "leaves the end open); a dated or year-only figure has its reference year; an inferred period says why in the note.",
)
def period_matches_status(ctx):
    obs = ctx.tables["observations"]
    yield from period_shape(obs, "the year the figure belongs to")
    # an open end is the period word's to give (period_matches_printed); without a word, a dated period ends
    dated = obs["period_status"].isin(["stated", "inferred"])
    for i in rows(obs, dated & obs["period_end"].isna() & obs["period_printed"].isna()).index:
        yield i, "period_end", None, "a date: the period is stated or inferred and no period word leaves its end open"


@rule(
    "observations",
    ("observations",),
    "A dated period lies inside its reference year, and the reference year is the report's (datapackage.json report.year).",
)
def period_within_report_year(ctx):
    obs, year = ctx.tables["observations"], ctx.report_year
    if year is None:
        yield "datapackage.json", None, "report.year", ctx.report.get("year"), "the report's year as an integer"
        return

    def check(start, end, reference):  # ISO dates: the year is the first four characters
        for col, date in (("period_start", start), ("period_end", end)):
            if not blank(date) and not blank(reference) and date[:4] != reference:
                yield col, date, f"a date in {reference}, the reference year"
        if not blank(reference) and reference != year:
            yield (
                "reference_year",
                reference,
                f"{year}, the year of the report (or empty when the source gives no year)",
            )

    yield from each(obs, ["period_start", "period_end", "reference_year"], check)


@rule(
    "observations",
    ("observations", "period_words"),
    "Period words are the source's (period_words.csv), the dates are theirs in the reference year, and period words "
    "go with a stated or inferred period.",
)
def period_matches_printed(ctx):
    words = ctx.tables["period_words"].drop_duplicates("word").set_index("word")

    def check(printed, start, end, status, year):
        if blank(printed):
            if status == "stated":
                yield "period_printed", None, "the words of the source that state the period"
            return
        if status not in ("stated", "inferred"):
            yield "period_status", status, f"stated or inferred: the period is printed as {printed}"
        if printed not in words.index:
            yield "period_printed", printed, f"one of the period words of period_words.csv ({', '.join(words.index)})"
        elif not blank(year):
            days = [words.at[printed, col] for col in ("start_day", "end_day")]
            want = [None if blank(day) else f"{year}-{day}" for day in days]
            span = f"{want[0]} to {want[1]}" if want[1] else f"from {want[0]}, with no end"
            for field, value, expected in (("period_start", start, want[0]), ("period_end", end, want[1])):
                if (None if blank(value) else value) != expected:
                    yield field, value, f"{expected or 'empty'}: {printed} is {span}"

    cols = ["period_printed", "period_start", "period_end", "period_status", "reference_year"]
    yield from each(ctx.tables["observations"], cols, check)
