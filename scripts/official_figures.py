"""Extract data/official_figures.csv from the yearbook tables in ../shared/source/city-yearbook-2024/
(a maintainer's step: the package validates and builds without them).

    python -m scripts.official_figures [--yearbook DIR]

For each indicator below, every city under the province's row of its table gets one row: the value
exactly as printed, the table's title, the row label (the city's name, the transcription's two
leading spaces dropped) and the column label (the header's two rows joined by ' / ').
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from figpack import statables

ROOT = Path(__file__).resolve().parent.parent
PROVINCE = "河南省"
# indicator_id: (file, column index, copy source_id)
INDICATORS = {
    "gdp": ("t2-06-gdp.csv", 2, "src-yearbook-2024-t2-06"),
    "gdp_growth": ("t2-06-gdp.csv", 6, "src-yearbook-2024-t2-06"),
    "pm25_mean": ("t2-05-air-water-waste.csv", 2, "src-yearbook-2024-t2-05"),
    "good_air_days_share": ("t2-05-air-water-waste.csv", 3, "src-yearbook-2024-t2-05"),
}


def extract(yearbook: Path, areas: dict[str, str]) -> list[dict]:
    out = []
    for indicator, (file, column, copy) in INDICATORS.items():
        rows = statables.parse((yearbook / file).read_text(encoding="utf-8"))
        title = statables.title(rows)
        label = statables.column_label(rows, column)
        for r in statables.province_rows(rows, PROVINCE):
            name = r[0].strip()
            out.append(
                {
                    "figure_id": f"{indicator}-{areas[name]}-2023",
                    "indicator_id": indicator,
                    "area_code": areas[name],
                    "area_name": name,
                    "period_start": "2023-01-01",
                    "period_end": "2023-12-31",
                    "value_printed": r[column],
                    "value": r[column],
                    "source_id": "src-yearbook-2024",
                    "copy_source_id": copy,
                    "table_printed": title,
                    "row_printed": name,
                    "column_printed": label,
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--yearbook", type=Path, default=ROOT.parent / "shared" / "source" / "city-yearbook-2024")
    args = parser.parse_args(argv)
    with open(ROOT / "data" / "areas.csv", encoding="utf-8", newline="") as f:
        areas = {a["name_zh"]: a["area_code"] for a in csv.DictReader(f)}
    rows = extract(args.yearbook, areas)
    text = io.StringIO()
    writer = csv.DictWriter(text, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (ROOT / "data" / "official_figures.csv").write_text(text.getvalue(), encoding="utf-8")
    print(f"data/official_figures.csv: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
