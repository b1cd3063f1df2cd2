"""The one command: `figpack VERB [options]`, for any package folder, from any working directory.

Each verb is a module of figpack.commands with HELP (one line), SHARED (which of the shared
options it takes), optional FORMATS and OUT (its default output folder), `arguments(parser)` for
its own options and `run(args) -> int`. The shared options are written once, here.

Exit codes: 0 done (or valid), 1 refused (an invalid package, a failed query), 2 unreadable input
or a usage error: always one line, never a traceback, unless --debug is given.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import NoReturn

from figpack.package import PackageUnreadable, Refused, shown

VERBS = [  # the order `figpack --help` lists them in
    "validate",
    "stamp",
    "build",
    "dist",
    "site",
    "sqlite",
    "serve",
    "csvw",
    "query",
    "sql",
    "diff",
    "docs",
    "sql-schema",
]


def _module(verb: str) -> ModuleType:
    return importlib.import_module(f"figpack.commands.{verb.replace('-', '_')}")


def _shared(parser: argparse.ArgumentParser, module: ModuleType) -> None:
    shared = getattr(module, "SHARED", ())
    if "package" in shared:
        parser.add_argument(
            "--package", type=Path, default=Path("."), metavar="DIR", help="the package folder (default: .)"
        )
    if "out" in shared:
        out = getattr(module, "OUT", "dist")
        parser.add_argument(
            "--out", type=Path, default=Path(out), metavar="DIR", help=f"the output folder (default: {out}/)"
        )
    if hasattr(module, "FORMATS"):
        parser.add_argument("--format", choices=module.FORMATS, default=module.FORMATS[0], help="output format")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")


def parser(verbs: list[str] = VERBS) -> argparse.ArgumentParser:
    return parsers(verbs)[0]


def parsers(verbs: list[str] = VERBS) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The command's parser and each verb's own."""
    top = argparse.ArgumentParser(
        prog="figpack",
        description="Validate, query and publish a Frictionless data package of report figures.",
    )
    top.add_argument("--version", action="version", version=f"figpack {_version()}")
    sub = top.add_subparsers(dest="verb", metavar="VERB", required=True)
    each = {}
    for verb in verbs:
        module = _module(verb)
        p = each[verb] = sub.add_parser(verb, help=module.HELP, description=module.HELP)
        module.arguments(p)
        _shared(p, module)
        p.set_defaults(run=module.run)
    return top, each


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("figpack")
    except PackageNotFoundError:
        return "(not installed)"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    verb = next((a for a in argv if not a.startswith("-")), None)
    try:  # only the named verb's module is imported: `figpack validate` never loads the exports
        args = parser([verb] if verb in VERBS else VERBS).parse_args(argv)
    except SystemExit as exc:  # --help, --version or a usage error (argparse printed it)
        return int(exc.code or 0)
    try:
        return int(args.run(args) or 0)
    except Refused as exc:
        print(f"{exc}\nnothing was written: the package is not valid", file=sys.stderr)
        return 1
    except PackageUnreadable as exc:
        print(f"cannot read the package: {shown(exc)[1:-1]}; nothing was written", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (head, less) stopped early: not an error of the package
        sys.stdout = open("/dev/null", "w")
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # input no check foresaw (or a library's own error): one line, never a traceback
        if args.debug:
            raise
        print(f"cannot go on: {exc.__class__.__name__}: {shown(exc)[1:-1]} (--debug shows where)", file=sys.stderr)
        return 2


def entry() -> NoReturn:
    """The installed command: main(), then out without the interpreter's teardown. Every verb has
    written, closed and renamed what it writes before main returns; freeing the libraries and
    tables of a process that is ending took 0.08-0.1 s of the 0.8 s `figpack validate` takes."""
    # no verb does linear algebra: without this, numpy's OpenBLAS starts a thread per core that
    # takes CPU the validation needs (about 0.1 s of 3.8 at 10^6 figures); the user's choice stands
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader (head, less) stopped early, as main() takes it
        pass
    except OSError:  # the output could not be written (a full disk): Python's own code for it
        code = 120
    os._exit(code)


if __name__ == "__main__":
    entry()
