"""Validate a data package: every problem in one run, each with file, line, field, value, rule.

    figpack validate [PACKAGE_DIR] [--format text|json] [--source FILE] [--max-file-mib MIB]

The checks are figpack.validation's. When the source transcription is found (--source, or the file
the descriptor's report.source_file names in ../shared/source/ beside the package) and its SHA-256
is the one in sources.csv, evidence spans are also checked at their offsets.

Exit codes: 0 valid; 1 invalid (the report lists every problem); 2 the package cannot be read
(one line naming the file and the place). Nothing is ever written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from figpack.package import MAX_FILE_BYTES, PackageUnreadable
from figpack.report import render_text, safe

HELP = "Validate the package: every problem, with file, line, field and rule (writes nothing)"
SHARED = ("package",)
FORMATS = ("text", "json")


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", type=Path, help="the package folder (the same as --package)")
    parser.add_argument("--source", help="the source transcription, to check evidence offsets against")
    parser.add_argument(
        "--max-file-mib",
        type=_mib,
        default=MAX_FILE_BYTES // 2**20,
        metavar="MIB",
        help=f"the largest CSV file read, in MiB (default {MAX_FILE_BYTES // 2**20}); raise it for a larger package "
        "(memory grows with the data: under 1 GiB for 10^6 figures with their corroborations, 4 GiB for 10^7)",
    )


def _mib(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 2**20:
        raise argparse.ArgumentTypeError(f"expected a whole number of MiB from 1 to {2**20}, not {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    root = args.folder or args.package
    # frictionless checks the descriptor in a child process on the other core while this one
    # imports pandas and pyarrow and reads the tables (its import and check run beside ours)
    from figpack import descriptor

    pending = descriptor.start(root) if hasattr(os, "fork") else None
    # the validator never needs hypothesis (a test tool), whatever a library imported here tries
    sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]  # None: not importable
    from figpack.validation import validate

    try:
        result = validate(root, args.source, pending, args.max_file_mib * 2**20)
    except (PackageUnreadable, OSError, RecursionError, MemoryError, ValueError) as exc:
        why = str(exc) if isinstance(exc, PackageUnreadable) else f"{exc.__class__.__name__}: {exc}"
        if args.format == "json":
            print(json.dumps({"valid": False, "package": str(root), "unreadable": why}, ensure_ascii=False))
        else:
            print(safe(f"CANNOT READ THE PACKAGE {root}: {why}"))
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.format == "json" else render_text(result))
    return 0 if result["valid"] else 1
