"""Benchmark: validation time and peak memory on synthetic packages of 10^3 to 10^7 observations,
next to a bare `frictionless validate` of the same files, and the real package's ratio.

Each synthetic package has the real package's descriptor, schemas and small tables; its
observations are the real rows (and their corroborations and rank checks) repeated for made-up
six-digit area codes, so every rule runs on every row and the package stays valid. Each validation
runs in its own process, as `make validate` does; a package whose largest file passes the default
read limit is validated with the limit raised (`--max-file-mib`), as a user would. A package is
on disk (synced) before it is timed, so that no write-back competes for the cores; up to 10^6
observations it is validated three times, and the median time and largest peak are reported (one
run on a machine whose speed varies by a quarter from minute to minute says little); past 10^6,
and for frictionless, one run.

    python -m scripts.bench [--sizes 1000,...,10000000] [--frictionless-max N] [--write]

--write puts the table in docs/benchmark.md and in README.md's generated section (never typed).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figpack.commands import stamp
from figpack.package import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmark.md"


def _rows(name: str) -> tuple[list[str], list[list[str]]]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        return next(reader), list(reader)


def make_package(target: Path, rows: int) -> Path:
    """A valid package of `rows` observations, written row by row (constant memory at any size)."""
    shutil.copytree(ROOT / "schemas", target / "schemas", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    shutil.copytree(ROOT / "data", target / "data")
    shutil.copy2(ROOT / "datapackage.json", target / "datapackage.json")
    header, real = _rows("observations")
    id_col, area_col, name_col = header.index("obs_id"), header.index("area_code"), header.index("area_name")
    c_header, c_real = _rows("corroborations")
    c_id, c_obs = c_header.index("corroboration_id"), c_header.index("obs_id")
    r_header, r_real = _rows("rank_checks")
    corroborations: dict[str, list[list[str]]] = {}
    for line in c_real:
        corroborations.setdefault(line[c_obs], []).append(line)
    checks = {line[0]: line for line in r_real}
    files = [
        open(target / "data" / f"{n}.csv", "w", encoding="utf-8", newline="")
        for n in ("observations", "corroborations", "rank_checks")
    ]
    obs, corr, rank = (csv.writer(f, lineterminator="\n") for f in files)
    obs.writerow(header)
    corr.writerow(c_header)
    rank.writerow(r_header)
    for n in range(rows):
        copy, i = divmod(n, len(real))
        line, real_id = list(real[i]), real[i][id_col]
        if copy:  # the first copy is the real package; later ones are other (made-up) areas
            line[id_col] = f"{real_id}-a{copy}"
            line[area_col], line[name_col] = f"{copy:06d}", f"synthetic area {copy}"
        obs.writerow(line)
        for found in corroborations.get(real_id, []):  # every figure has its corroboration rows
            found = list(found)
            if copy:
                found[c_id], found[c_obs] = f"{found[c_id]}-a{copy}", line[id_col]
            corr.writerow(found)
        if real_id in checks:  # every rank has its check: cannot_recompute for a made-up area
            blank = [""] * (len(r_header) - 3)
            made_up = [line[id_col], *blank, "cannot_recompute", "A made-up area: no official figures."]
            rank.writerow(made_up if copy else checks[real_id])
    for f in files:
        f.close()
    with open(target / "data" / "areas.csv", "a", encoding="utf-8", newline="") as f:  # the made-up areas
        csv.writer(f, lineterminator="\n").writerows(
            [f"{c:06d}", f"synthetic area {c}", f"synthetic area {c}", "src-area-code"]
            for c in range(1, (rows - 1) // len(real) + 1)
        )
    stamp.stamp(target)
    return target


def run(command: list[str], cwd: Path, timeout: float) -> tuple[float | None, float | None, int | None]:
    """Wall time, peak resident memory (MiB) and exit code of a command; Nones if it timed out."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)
        if time.perf_counter() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            return None, None, None
        time.sleep(0.01)


def alternating(ours: list[str], theirs: list[str], runs: int, timeout: float) -> tuple[float, float]:
    """Median wall time of each command over `runs` runs taken in turn (one warm-up run each first)."""
    run(ours, ROOT, timeout), run(theirs, ROOT, timeout)
    mine, bare = [], []
    for _ in range(runs):
        mine.append(run(ours, ROOT, timeout)[0] or timeout)
        bare.append(run(theirs, ROOT, timeout)[0] or timeout)
    return statistics.median(mine), statistics.median(bare)


RUNS = 3  # validations of each package up to REPEATED_MAX observations
REPEATED_MAX = 1_000_000


def repeated(command: list[str], size: int, timeout: float) -> tuple[float | None, float | None, int | None]:
    """run(command), RUNS times up to REPEATED_MAX observations: the median time, the largest peak
    and the worst exit code (Nones if any run timed out)."""
    results = [run(command, ROOT, timeout) for _ in range(RUNS if size <= REPEATED_MAX else 1)]
    if any(elapsed is None for elapsed, _, _ in results):
        return None, None, None
    return (
        statistics.median(r[0] for r in results if r[0] is not None),
        max(r[1] for r in results if r[1] is not None),
        max(r[2] for r in results if r[2] is not None),
    )


def cells(result: tuple, size: int) -> list[str]:
    elapsed, peak, code = result
    if elapsed is None:
        return ["timed out", "-", "-", "-"]
    return [f"{elapsed:.2f}", f"{size / elapsed:,.0f}", f"{peak:,.0f}", str(code)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000,10000000")
    parser.add_argument("--frictionless-max", type=int, default=1_000_000, help="largest size to run frictionless on")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--write", action="store_true", help="write docs/benchmark.md and README.md's section")
    args = parser.parse_args(argv)
    python = sys.executable
    friction = str(Path(python).with_name("frictionless"))
    figpack = [python, "-m", "figpack.cli", "validate"]
    mine, bare = alternating(figpack, [friction, "validate", "datapackage.json"], 7, args.timeout)
    machine = (
        f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
        f"Python {platform.python_version()}, {datetime.date.today().isoformat()}"
    )
    lines = [
        f"On {machine}. The real package (`make validate`'s command against a bare `frictionless validate`, "
        f"warm, median of 7 alternating runs): {mine:.2f} s against {bare:.2f} s, ratio **{mine / bare:.2f}**. "
        f"Synthetic packages: validate's time is the median of {RUNS} runs up to {REPEATED_MAX:,} observations "
        "(its peak the largest), one run past it; frictionless runs once.",
        "",
        "| observations | CSV MiB | validate s | rows/s | peak MiB | exit | frictionless s | rows/s | peak MiB | exit |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    print("\n".join(lines), flush=True)
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
            package = make_package(Path(tmp) / "package", size)
            sizes = [p.stat().st_size for p in (package / "data").iterdir()]
            limit = max(MAX_FILE_BYTES, max(sizes)) // 2**20 + 1  # raised only past the default
            os.sync()
            ours = repeated([*figpack, str(package), "--max-file-mib", str(limit)], size, args.timeout)
            theirs: tuple = (
                run([friction, "validate", "datapackage.json"], package, args.timeout)
                if size <= args.frictionless_max
                else (None, None, None)
            )
        bare_cells = cells(theirs, size) if size <= args.frictionless_max else ["not run", "-", "-", "-"]
        row = f"| {size:,} | {sum(sizes) / 2**20:,.0f} | " + " | ".join(cells(ours, size) + bare_cells) + " |"
        lines.append(row)
        print(row, flush=True)
    if args.write:
        write("\n".join(lines))
    return 0


def write(table: str) -> None:
    """The table into docs/benchmark.md and README.md's generated section."""
    section = f"<!-- BEGIN GENERATED: bench -->\n{table}\n<!-- END GENERATED: bench -->"
    REPORT.write_text(
        "# Benchmark\n\nThe latest output of `make bench` (scripts/bench.py), written by it: validation time and "
        "peak memory on synthetic packages of 10³ to 10⁷ observations, each with its corroborations and rank "
        f"checks.\n\n{section}\n",
        encoding="utf-8",
    )
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(r"<!-- BEGIN GENERATED: bench -->\n.*?<!-- END GENERATED: bench -->", re.S)
    readme.write_text(pattern.sub(lambda _: section, text), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
