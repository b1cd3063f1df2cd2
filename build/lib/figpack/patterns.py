"""Table Schema patterns, matched in linear time by RE2 (through pyarrow's compute kernels), so no
pattern can make validation hang: RE2 never backtracks. A pattern RE2 cannot compile (a
back-reference, a look-around) is refused as a schema problem, never matched another way.

A pattern matches the whole value. In RE2, as in a Table Schema meant for every reader, `\\d` and
`\\w` are ASCII: write `[0-9]` or `[a-z]` to be plain about it.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def anchored(pattern: str) -> str:
    return rf"\A(?:{pattern})\z"


def problem(pattern: str) -> str | None:
    """Why RE2 cannot compile the pattern, or None."""
    try:
        pc.match_substring_regex(pa.array([""], pa.string()), pattern=anchored(pattern))  # compiled on first use
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        return str(exc).replace("Invalid regular expression: ", "")
    return None


def full_match(values: pd.Series, pattern: str) -> pd.Series:
    """True where a value matches the whole pattern, and where it is missing (a missing value is
    the `required` constraint's business)."""
    text = pa.array(values.astype("string"), type=pa.string(), from_pandas=True)
    found = pc.match_substring_regex(text, pattern=anchored(pattern)).fill_null(True)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index, dtype=bool)
