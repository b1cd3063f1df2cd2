"""Keys: references resolve on every field of a composite key, code lists have no orphans, and a
figure is one row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from figpack.frames import blank, combinations, first_appearances, found_in, text_array
from figpack.registry import rule


def _joined(frame: pd.DataFrame, fields: list[str]) -> pd.Series:
    key = frame[fields[0]].astype("string")
    for field in fields[1:]:
        key = key + "\x1f" + frame[field].astype("string")
    return key


@rule(
    "*",
    (),
    "Every reference to another table (a foreign key of the Table Schemas, all its fields) names a row that exists.",
)
def foreign_keys_resolve(ctx):
    for resource, fields, target, target_fields in ctx.foreign_keys:
        if resource not in ctx.tables:
            continue  # the unreadable table is a failure of its own
        if target not in ctx.tables:
            if target in ctx.declared:
                continue  # declared but unreadable: a failure of its own, not a cascade here
            yield (
                resource,
                None,
                fields[0],
                None,
                f"a resource '{target}' for the foreign key on {', '.join(fields)} to refer to",
            )
            continue
        frame, other = ctx.tables[resource], ctx.tables[target]
        absent = [f for f in target_fields if f not in other.columns]
        if absent or len(fields) != len(target_fields):
            yield (
                resource,
                None,
                fields[0],
                None,
                f"fields {', '.join(target_fields)} in {target} to match {', '.join(fields)}",
            )
            continue
        found = _found(ctx, resource, fields, target, target_fields)  # a key with an empty field refers to nothing
        if found.all():
            continue
        bad = frame[~found]
        prefixes = [set(_joined(other, target_fields[: k + 1]).dropna()) for k in range(len(fields))]
        for i in bad.index:  # name the first field whose prefix of the key matches no row of the target
            row = bad.loc[[i]]
            k = next((k for k in range(len(fields)) if _joined(row, fields[: k + 1]).iloc[0] not in prefixes[k]), 0)
            field = fields[k]
            yield resource, i, field, bad.at[i, field], f"a {', '.join(target_fields)} of {target}"


def _found(ctx, resource: str, fields: list[str], target: str, target_fields: list[str]) -> np.ndarray:
    """For each row: its key is in the target, or a field of it is empty (a semi-join in pyarrow)."""
    if len(fields) == 1:  # the common case: a look-up of numbered texts, no join
        key, values = ctx.codes((resource, fields[0]), (target, target_fields[0]))
        return (key < 0) | found_in(key, values)
    frame, other = ctx.tables[resource], ctx.tables[target]
    keys = [f"k{j}" for j in range(len(fields))]
    left = pa.table({k: text_array(frame[f]) for k, f in zip(keys, fields)})
    complete = np.ones(len(frame), dtype=bool)
    for k in keys:
        complete &= left[k].is_valid().to_numpy(zero_copy_only=False)
    right = pa.table({k: text_array(other[f]) for k, f in zip(keys, target_fields)}).group_by(keys).aggregate([])
    rows_ = left.append_column("_row", pa.array(np.arange(len(frame)))).filter(pa.array(complete))
    missing = rows_.join(right, keys, join_type="left anti")["_row"].to_numpy()
    found = np.ones(len(frame), dtype=bool)
    found[missing] = False
    return found


@rule(
    "indicators",
    ("observations", "indicators"),
    "Every indicator of the code list has at least one observation (no orphan code).",
)
def every_indicator_used(ctx):
    ind, used = ctx.tables["indicators"], set(ctx.tables["observations"]["indicator_id"].dropna().unique())
    for i, v in zip(ind.index, ind["indicator_id"]):
        if not blank(v) and v not in used:
            yield i, "indicator_id", v, "an indicator that some observation uses, or remove it"


@rule(
    "observations",
    ("observations",),
    "A figure is one row: no two observations share indicator, area, period and project (figures of unknown period excepted).",
)
def one_row_per_figure(ctx):
    obs = ctx.tables["observations"]
    known = np.flatnonzero((obs["period_status"] != "unknown").to_numpy(dtype=bool))
    cols = ["indicator_id", "area_code", "period_start", "period_end", "reference_year", "project_id"]
    repeated = ~first_appearances(combinations([obs[c] for c in cols], known))  # an earlier row has it
    for i in obs.index[known[repeated]]:
        yield (
            i,
            "obs_id",
            obs.at[i, "obs_id"],
            "a figure not already recorded in another row (same indicator, area, period, project)",
        )
