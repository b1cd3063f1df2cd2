"""The descriptor's check by frictionless, optionally in a child process started before the heavy
imports: frictionless's import and check are about a third of a validation run, and run beside
the rest on a second core. Imports nothing heavy itself."""

from __future__ import annotations

import json
import os
from pathlib import Path

from engine.registry import Failure

DESCRIPTOR = "datapackage.json"


def _fail(rule: str, message: str) -> Failure:
    return Failure(DESCRIPTOR, None, None, None, rule, message)


def check(root: Path) -> list[Failure]:
    """frictionless's verdict on the descriptor, as failures (an unreadable one: none; it is read elsewhere)."""
    from engine.package import PackageUnreadable, load_descriptor

    try:
        descriptor = load_descriptor(root)
    except PackageUnreadable:
        return []
    from frictionless import Package  # imported here: only the descriptor needs it

    try:
        report = Package.validate_descriptor(descriptor, basepath=str(root))
    except Exception as exc:  # frictionless is a library we call: its crash is a failure, never VALID
        return [
            _fail("descriptor_unchecked", f"expected a descriptor frictionless can check ({exc.__class__.__name__})")
        ]
    return [_fail(f"descriptor_{e.type}", e.message) for e in report.errors]


def start(root: Path):
    """Run check(root) in a forked child; returns a function that waits for its failures."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: check, send the failures as JSON, leave without cleanup
        os.close(read_end)
        try:
            out = [[f.rule, f.message] for f in check(root)]
        except BaseException as exc:  # noqa: BLE001 - whatever happens, the parent must hear of it
            out = [["descriptor_unchecked", f"expected a descriptor frictionless can check ({exc.__class__.__name__})"]]
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(json.dumps(out).encode())
        os._exit(0)
    os.close(write_end)

    def wait() -> list[Failure]:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        try:
            return [_fail(rule, message) for rule, message in json.loads(data)]
        except (ValueError, TypeError):
            return [_fail("descriptor_unchecked", "expected the descriptor check to report (it stopped early)")]

    return wait
