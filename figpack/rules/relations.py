"""Relations between indicators (indicators.csv relation): parts, stocks and flows, changes,
thresholds. Values are compared as exact integers scaled by a common power of ten."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from figpack.frames import blank, combinations, dec, isin, rows
from figpack.package import plain_decimal
from figpack.registry import rule

NEEDS = ("observations", "indicators", "measures")
KEY = ["area_code", "period_start", "period_end", "reference_year"]
MAX_DIGITS = 30  # scaled values past this many digits are refused, not compared


def places(d: Decimal) -> int:
    """Digits after the point of a finite decimal (0 for a whole number)."""
    exponent = d.as_tuple().exponent
    return -exponent if isinstance(exponent, int) else 0


class Relations:
    """The rows that bind another indicator (left) and the rows they bind (right), keyed by area
    and period, each base value an exact integer times 10^-scale."""

    def __init__(self, ctx):
        obs = ctx.joined
        cols = ["obs_id", "indicator_id", "relation", "related_indicator_id", "value_base", *KEY]
        left_at = np.flatnonzero(obs["relation"].notna().to_numpy())
        right_at = np.flatnonzero(isin(obs["indicator_id"], obs["related_indicator_id"].iloc[left_at]).to_numpy())
        fields = obs[cols]
        left, right = fields.iloc[left_at], fields.iloc[right_at]
        read = {v: dec(v) for v in pd.concat([left["value_base"], right["value_base"]]).dropna().unique()}
        values = {v: d for v, d in read.items() if d is not None}
        self.too_long = {v for v, d in values.items() if d.adjusted() >= MAX_DIGITS or places(d) >= MAX_DIGITS}
        values = {v: d for v, d in values.items() if v not in self.too_long}
        self.scale = max((places(d) for d in values.values()), default=0)
        scaled = {v: int(d.scaleb(self.scale)) for v, d in values.items()}
        # an area and period as one number, equal exactly where the four fields are (missing equals missing)
        key = combinations([obs[c] for c in KEY], np.concatenate([left_at, right_at]))
        self.left = self._keyed(left, scaled, key[: len(left_at)])
        self.right = self._keyed(right, scaled, key[len(left_at) :])
        # per related indicator, area and period: the least and greatest base value and a row of it
        grouped = self.right.groupby(["indicator_id", "key"])
        self.stats = pd.DataFrame(
            {"low": grouped["base"].min(), "high": grouped["base"].max(), "other": grouped["obs_id"].first()}
        )
        both = pd.concat([left, right])
        self.refused = both[both["value_base"].isin(self.too_long)].drop_duplicates("obs_id")
        # each binding row with its related indicator's least and greatest value in the same area and period
        bound = self.left.join(self.stats, on=["related_indicator_id", "key"])
        self.bound = bound[bound["other"].notna()]

    @staticmethod
    def _keyed(frame: pd.DataFrame, scaled: dict, key: np.ndarray) -> pd.DataFrame:
        base = frame["value_base"].map(scaled).astype(object)
        largest = max((abs(v) for v in scaled.values()), default=0)
        if largest * max(len(frame), 1) < 2**63:  # no sum can overflow: machine integers, grouped in C
            base = base.astype("Int64")
        return frame.assign(key=key, base=base)[base.notna().to_numpy()]

    def of(self, relation: str) -> pd.DataFrame:
        """Rows of one relation with, from the related indicator in the same area and period, its
        least and greatest base value (low, high) and an obs_id of it (other)."""
        return self.bound[(self.bound["relation"] == relation).to_numpy()]

    def text(self, n) -> str:
        return plain_decimal(Decimal(int(n)).scaleb(-self.scale))


def _relations(ctx) -> Relations:
    return ctx.shared(Relations)


@rule(
    "observations",
    NEEDS,
    f"A base value that a relation compares has fewer than {MAX_DIGITS} digits before and after the point.",
)
def value_base_comparable(ctx):
    refused = _relations(ctx).refused
    for i, v in zip(refused.index, refused["value_base"]):
        yield (
            i,
            "value_base",
            v,
            f"a number of fewer than {MAX_DIGITS} digits on each side of the point, so relations can compare it",
        )


@rule("observations", NEEDS, "Parts add up to no more than their whole (new enterprises within new market entities).")
def parts_within_whole(ctx):
    rel = _relations(ctx)
    parts = rel.of("part_of")
    total = parts.groupby(["related_indicator_id", "key"])["base"].transform("sum")
    over = pd.Series([t > low for t, low in zip(total, parts["low"])], index=parts.index, dtype=bool)
    bad = parts.assign(total=total)[over]
    for i, part, whole, other, t in zip(bad.index, bad["value_base"], bad["low"], bad["other"], bad["total"]):
        yield (
            i,
            "value_base",
            part,
            f"parts that add up to at most {rel.text(whole)}, the whole {other} (they add up to {rel.text(t)})",
        )


@rule("observations", NEEDS, "A cumulative total is at least this period's addition to it.")
def addition_within_stock(ctx):
    rel = _relations(ctx)
    adds = rel.of("addition_to")
    for i, add, base, stock, other in zip(adds.index, adds["value_base"], adds["base"], adds["low"], adds["other"]):
        if base > stock:
            yield i, "value_base", add, f"at most {rel.text(stock)}, the cumulative total {other} it adds to"


@rule(
    "observations",
    NEEDS,
    "A level minus its increase (or its change in percentage points) is never negative: the previous level existed.",
)
def change_has_possible_base(ctx):
    rel = _relations(ctx)
    changes = rel.of("change_of")
    for i, change, base, level in zip(changes.index, changes["value_base"], changes["base"], changes["low"]):
        if level - base < 0:
            yield (
                i,
                "value_base",
                change,
                f"at most {rel.text(level)}, the level it changed to (else the previous level is negative)",
            )


@rule(
    "observations",
    NEEDS,
    "A total over N items of at least M each is at least N x M (indicators.csv item_min_base: 401 projects of 亿元以上 total at least 401亿元).",
)
def total_covers_item_minimum(ctx):
    rel = _relations(ctx)
    ind = ctx.tables["indicators"].drop_duplicates("indicator_id").set_index("indicator_id")
    minimums = ind["item_min_base"].map(dec)
    by_id = minimums.to_dict()  # a dict look-up a row; a missing id is looked up as pandas does (NaN finds NaN)
    totals = rel.of("total_over_items")
    for i, target, count, total, text in zip(
        totals.index, totals["related_indicator_id"], totals["high"], totals["base"], totals["value_base"]
    ):
        minimum = minimums.get(target) if blank(target) else by_id.get(target)
        if minimum is None:
            continue
        floor = Decimal(int(count)).scaleb(-rel.scale) * minimum  # count is a number of items
        if Decimal(int(total)).scaleb(-rel.scale) < floor:
            yield (
                i,
                "value_base",
                text,
                f"at least {plain_decimal(floor)} ({rel.text(count)} items of at least {plain_decimal(minimum)} each)",
            )


@rule("indicators", ("indicators",), "An indicator's relation and its related indicator are given together.")
def relation_has_target(ctx):
    ind = ctx.tables["indicators"]
    for i in rows(ind, ind["relation"].notna() & ind["related_indicator_id"].isna()).index:
        yield i, "related_indicator_id", None, "the indicator that the relation names"
    bad = rows(ind, ind["relation"].isna() & ind["related_indicator_id"].notna())
    for i, v in zip(bad.index, bad["related_indicator_id"]):
        yield i, "related_indicator_id", v, "empty, or a relation to go with it"
