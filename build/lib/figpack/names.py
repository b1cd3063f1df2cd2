"""Names as each export can hold them: cut to the target's length, clear of its reserved words,
unique (case folded where the target folds case). A name already fine is kept as it is; the others
get the shortest free `_2`, `_3`, ... ending. Each export records its mapping (the workbook's
fields sheet, stata/names.csv), so a renamed table or field can always be traced."""

from __future__ import annotations

EXCEL_SHEET = 31  # characters in a sheet name; Excel compares sheet names without case
STATA_NAME = 32  # characters in a Stata variable name


def target_names(
    names: list[str], limit: int, reserved: frozenset[str] = frozenset(), fold: bool = False
) -> dict[str, str]:
    """{name: the name the target gets} for names in order."""
    key = (lambda n: n.lower()) if fold else (lambda n: n)
    taken = {key(r) for r in reserved}
    out: dict[str, str] = {}
    for name in names:  # first every name that is fine as it is
        if len(name) <= limit and key(name) not in taken:
            out[name] = name
            taken.add(key(name))
    for name in names:
        if name in out:
            continue
        n = 2
        while True:
            ending = f"_{n}"
            candidate = name[: limit - len(ending)] + ending
            if key(candidate) not in taken:
                break
            n += 1
        out[name] = candidate
        taken.add(key(candidate))
    return out


def stata_reserved() -> frozenset[str]:
    """Stata's and Mata's reserved words (those pandas's writer would rename), with str1 ... str2045."""
    from pandas.io.stata import StataParser

    return frozenset(StataParser().RESERVED_WORDS) | {f"str{n}" for n in range(1, 2046)}
