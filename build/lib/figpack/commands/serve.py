"""Serve the package with Datasette on 127.0.0.1: builds the SQLite database and its metadata
(figpack.commands.sqlite) into the output folder, then runs Datasette over them, read-only (immutable).

    figpack serve [--package DIR] [--out DIR] [--port 8001]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from figpack.commands import sqlite


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


HELP = "Validate, write the SQLite database, then serve it with Datasette on 127.0.0.1"
SHARED = ("package", "out")


def arguments(parser) -> None:
    parser.add_argument("--port", type=int, default=8001, help="the port (default 8001)")


def run(args) -> int:
    db, meta = sqlite.build(args.package, args.out)
    print(f"Datasette on http://127.0.0.1:{args.port}/ (Ctrl-C stops it)", flush=True)
    os.execv(command(db, meta, args.port)[0], command(db, meta, args.port))
