"""Serve the package with Datasette on 127.0.0.1: builds the SQLite database and its metadata
(scripts.sqlite) into the output folder, then runs Datasette over them, read-only (immutable).

    python -m scripts.serve [--package DIR] [--out DIR] [--port 8001]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from engine.package import PROJECT, one_line_errors
from scripts import sqlite


def command(db: Path, meta: Path, port: int) -> list[str]:
    exe = str(Path(sys.executable).with_name("datasette"))
    return [
        exe,
        "serve",
        "-i",
        str(db),
        "--metadata",
        str(meta),
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "2000",
    ]


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the package with Datasette on 127.0.0.1.")
    parser.add_argument("--package", default=str(PROJECT))
    parser.add_argument("--out", default=str(PROJECT / "dist"))
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    db, meta = sqlite.build(Path(args.package), Path(args.out))
    print(f"Datasette on http://127.0.0.1:{args.port}/ (Ctrl-C stops it)", flush=True)
    os.execv(command(db, meta, args.port)[0], command(db, meta, args.port))


if __name__ == "__main__":
    sys.exit(main())
