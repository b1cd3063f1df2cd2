"""Statistical tables as CSV transcriptions print them: a title row, a header over two rows (the
first carried right across merged cells), then one row per area, those under a province indented
by two spaces. One reading, shared by the rule that checks official figures against their copy and
by the script that extracts them."""

from __future__ import annotations

import csv
import functools
import io


@functools.lru_cache(maxsize=16)  # the same copy is parsed once per process (rules only read it)
def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def title(rows: list[list[str]]) -> str:
    return rows[1][0] if len(rows) > 1 and rows[1] else ""


def header_row(rows: list[list[str]]) -> int | None:
    return next((i for i, r in enumerate(rows) if r and r[0].replace(" ", "") == "城市"), None)


def column_label(rows: list[list[str]], column: int) -> str:
    """The header's two rows over the column, joined by ' / '."""
    top = header_row(rows)
    if top is None or column >= len(rows[top]):
        return ""
    over = next((rows[top][c] for c in range(column, -1, -1) if rows[top][c]), "")
    under = rows[top + 1][column] if top + 1 < len(rows) and column < len(rows[top + 1]) else ""
    return " / ".join(part.strip() for part in (over, under) if part.strip())


class Labels:
    """A table's column and row labels, read once, for the cells of many labels."""

    def __init__(self, rows: list[list[str]]):
        top = header_row(rows)
        self.columns: dict[str, int] = {}  # each label's first column
        self.rows: dict[str, list[list[str]]] = {}  # the rows under the header, by label (indent aside)
        if top is None:
            return
        for column in range(max(len(r) for r in rows)):
            self.columns.setdefault(column_label(rows, column), column)
        for r in rows[top + 2 :]:
            if r:
                self.rows.setdefault(r[0].strip(), []).append(r)

    def cell(self, row_label: str, column_printed: str) -> str | None:
        """The cell at the one row labelled row_label and the column labelled column_printed."""
        column = self.columns.get(column_printed)
        if column is None:
            return None
        found = [r for r in self.rows.get(row_label, []) if column < len(r)]
        return found[0][column] if len(found) == 1 else None


def province_rows(rows: list[list[str]], province: str) -> list[list[str]]:
    """The indented rows under a province's own row."""
    start = next((i for i, r in enumerate(rows) if r and r[0] == province), None)
    out = []
    for r in rows[(start or 0) + 1 :] if start is not None else []:
        if not r[0].startswith("  "):
            break
        out.append(r)
    return out
