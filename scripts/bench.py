"""Benchmark: validation time and peak memory on synthetic packages of 10^3 to 10^6 observations.

Each synthetic package has the real package's descriptor, schemas and small tables; its
observations are the real rows (and their corroborations) repeated for made-up six-digit area codes, so every rule runs on
every row and the package stays valid. Each validation runs in its own process (as `make validate`
does), next to a bare `frictionless validate` of the same files.

    python -m scripts.bench [--sizes 1000,10000,100000,1000000] [--frictionless-max N]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figpack.commands import stamp

ROOT = Path(__file__).resolve().parent.parent


def corroborate(target: Path, rows: int, real_ids: list[str]) -> None:
    """Every synthetic figure gets its real one's corroboration rows, as every figure must have some."""
    with open(ROOT / "data" / "corroborations.csv", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header, real = next(reader), list(reader)
    id_col, obs_col = header.index("corroboration_id"), header.index("obs_id")
    by_obs: dict[str, list[list[str]]] = {}
    for line in real:
        by_obs.setdefault(line[obs_col], []).append(line)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for n in range(rows):
        copy, row = divmod(n, len(real_ids))
        for line in by_obs.get(real_ids[row], []):
            line = list(line)
            if copy:
                line[id_col], line[obs_col] = f"{line[id_col]}-a{copy}", f"{line[obs_col]}-a{copy}"
            writer.writerow(line)
    (target / "data" / "corroborations.csv").write_text(out.getvalue(), encoding="utf-8")


def check_ranks(target: Path, rows: int, real_ids: list[str]) -> None:
    """Every synthetic rank gets a rank check: the real one's for the real area, cannot_recompute for a made-up one."""
    with open(ROOT / "data" / "rank_checks.csv", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header, real = next(reader), list(reader)
    by_obs = {line[0]: line for line in real}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for n in range(rows):
        copy, row = divmod(n, len(real_ids))
        if real_ids[row] in by_obs:
            blank = [""] * (len(header) - 3)
            made_up = [f"{real_ids[row]}-a{copy}", *blank, "cannot_recompute", "A made-up area: no official figures."]
            writer.writerow(made_up if copy else by_obs[real_ids[row]])
    (target / "data" / "rank_checks.csv").write_text(out.getvalue(), encoding="utf-8")


def make_package(target: Path, rows: int) -> Path:
    shutil.copytree(ROOT / "schemas", target / "schemas", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    shutil.copytree(ROOT / "data", target / "data")
    shutil.copy2(ROOT / "datapackage.json", target / "datapackage.json")
    with open(ROOT / "data" / "observations.csv", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header, real = next(reader), list(reader)
    id_col, area_col, name_col = header.index("obs_id"), header.index("area_code"), header.index("area_name")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for n in range(rows):
        copy, row = divmod(n, len(real))
        line = list(real[row])
        if copy:  # the first copy is the real package; later ones are other (made-up) areas
            line[id_col] = f"{line[id_col]}-a{copy}"
            line[area_col], line[name_col] = f"{copy:06d}", f"synthetic area {copy}"
        writer.writerow(line)
    (target / "data" / "observations.csv").write_text(out.getvalue(), encoding="utf-8")
    copies = (rows - 1) // len(real)
    corroborate(target, rows, real_ids=[line[id_col] for line in real])
    check_ranks(target, rows, real_ids=[line[id_col] for line in real])
    with open(
        target / "data" / "areas.csv", "a", encoding="utf-8", newline=""
    ) as f:  # the made-up areas join the code list
        csv.writer(f, lineterminator="\n").writerows(
            [f"{c:06d}", f"synthetic area {c}", f"synthetic area {c}", "src-area-code"] for c in range(1, copies + 1)
        )
    stamp.stamp(target)
    return target


def run(command: list[str], cwd: Path, timeout: float) -> tuple[float | None, float | None, int | None]:
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


def median(command: list[str], cwd: Path, timeout: float) -> float:
    """The median time of 5 runs (a run that timed out counts as the timeout)."""
    times = sorted(run(command, cwd, timeout)[0] or timeout for _ in range(5))
    return times[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--frictionless-max", type=int, default=1_000_000, help="largest size to run frictionless on")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args(argv)
    python = sys.executable
    friction = str(Path(python).with_name("frictionless"))
    mine = median([python, "-m", "figpack.cli", "validate"], ROOT, args.timeout)
    bare = median([friction, "validate", "datapackage.json"], ROOT, args.timeout)
    print(
        f"The real package, median of 5 warm runs: make validate's command {mine:.2f} s, "
        f"bare frictionless validate {bare:.2f} s, ratio {mine / bare:.2f}\n"
    )
    print(
        "| observations | validate (s) | rows/s | peak MiB | exit | frictionless validate (s) | rows/s | peak MiB | exit |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            package = make_package(Path(tmp) / "package", size)
            ours: tuple = run([python, "-m", "figpack.cli", "validate", str(package)], ROOT, args.timeout)
            theirs: tuple = (
                run([friction, "validate", "datapackage.json"], package, args.timeout)
                if size <= args.frictionless_max
                else (None, None, None)
            )

        def cells(result):
            elapsed, peak, code = result
            if elapsed is None:
                return ["-", "-", "-", "-"]
            return [f"{elapsed:.2f}", f"{size / elapsed:,.0f}", f"{peak:,.0f}", str(code)]

        print(f"| {size:,} | " + " | ".join(cells(ours) + cells(theirs)) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
