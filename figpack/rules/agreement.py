"""Agreement: a figure agrees with its units, its code lists (areas, rank universes) and its
indicator."""

from __future__ import annotations

from figpack.frames import blank, dec, differs, each, lookup, rows
from figpack.registry import rule


@rule(
    "observations",
    ("observations",),
    "The base value is exactly the printed value times 10^unit_multiplier (10.38万户 = 103800户).",
)
def base_equals_value_times_multiplier(ctx):
    def check(v, m, b):
        value, mult, base = dec(v), dec(m), dec(b)
        if value is None or mult is None or base is None:
            return
        if abs(mult) <= 64 and value.scaleb(int(mult)) != base:
            yield "value_base", b, f"{value.scaleb(int(mult)):f} (= {v} x 10^{m})"

    yield from each(ctx.tables["observations"], ["value", "unit_multiplier", "value_base"], check)


@rule(
    "observations",
    ("observations", "word_readings"),
    "The multiplier is the printed unit's prefix (word_readings.csv unit_prefix: 万 = 4, 亿 = 8; none = 0) and the base unit "
    "is the rest; a unit the source does not print is an inference.",
)
def unit_matches_multiplier(ctx):
    prefixes = ctx.readings("unit_prefix")

    def check(up, m, ub, st):
        if blank(up):
            return
        prefix = up[0] if up[0] in prefixes else ""
        expected = dec(prefixes.get(prefix, "0"))
        if dec(m) is not None and dec(m) != expected:
            yield "unit_multiplier", m, f"{expected}, from the printed unit {up}"
        rest = up[len(prefix) :]
        if rest and not blank(ub) and ub != rest:
            yield "unit_base", ub, f"{rest}, the printed unit {up} without its prefix"
        if not rest and st != "inferred":
            yield "status", st, f"inferred: the source prints only {up}, so the base unit is an inference"

    yield from each(ctx.tables["observations"], ["unit_printed", "unit_multiplier", "unit_base", "status"], check)


@rule("observations", ("observations", "indicators", "measures"), "An observation's base unit is its indicator's unit.")
def unit_matches_indicator(ctx):
    obs = ctx.joined
    bad = rows(
        obs,
        obs["unit_base"].notna() & obs["unit_short"].notna() & differs(obs["unit_base"], obs["unit_short"]),
    )
    for i, ub, us in zip(bad.index, bad["unit_base"], bad["unit_short"]):
        yield i, "unit_base", ub, f"{us}, the unit of the indicator"


@rule("observations", ("observations", "areas"), "An area's name is the one its code has in areas.csv.")
def area_name_matches_code(ctx):
    names = lookup(ctx.tables["areas"], "area_code", "name_zh")

    def check(code, name):
        if code in names and name != names[code]:
            yield "area_name", name, f"{names[code]}, the name of area {code} (areas.csv)"

    yield from each(ctx.tables["observations"], ["area_code", "area_name"], check)


@rule(
    "observations",
    ("observations", "rank_universes"),
    "A rank's universe size and source are the ones its universe has in rank_universes.csv.",
)
def universe_matches_code_list(ctx):
    universes = ctx.tables["rank_universes"].drop_duplicates("universe_id").set_index("universe_id")

    def check(code, size, source):
        if blank(code) or code not in universes.index:
            return
        for field, value, want in (
            ("rank_universe_size", size, universes.at[code, "size"]),
            ("rank_universe_source_id", source, universes.at[code, "source_id"]),
        ):
            if not blank(value) and value != want:
                yield field, value, f"{want}, as rank_universes.csv gives for {code}"

    yield from each(
        ctx.tables["observations"], ["rank_universe", "rank_universe_size", "rank_universe_source_id"], check
    )


@rule(
    "observations",
    ("observations", "indicators", "measures"),
    "A rank's direction is its indicator's (fewest heavy-pollution days rank first: lowest_first).",
)
def rank_direction_matches_indicator(ctx):
    obs = ctx.joined
    bad = rows(
        obs,
        obs["rank_direction"].notna() & differs(obs["rank_direction"], obs["indicator_rank_direction"]),
    )
    for i, v, want in zip(bad.index, bad["rank_direction"], bad["indicator_rank_direction"]):
        yield i, "rank_direction", v, f"{want}, the direction of the indicator"
