"""The descriptor's check by frictionless, optionally in a child process started before the heavy
imports: frictionless's import and check are about a third of a validation run, and run beside
the rest on a second core. Imports nothing heavy itself."""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path

from figpack.package import DESCRIPTOR
from figpack.registry import Failure


def _fail(rule: str, message: str) -> Failure:
    return Failure(DESCRIPTOR, None, None, None, rule, message)


KNOWN_PROFILES = {  # profiles frictionless knows without a download; any other URL would be fetched
    f"https://datapackage.org/profiles/{v}/{name}.json"
    for v in ("1.0", "2.0")
    for name in ("datapackage", "dataresource", "tableschema", "tabledialect")
}


def _remote_profiles(value) -> list[str]:
    """Every `$schema` or `profile` URL in the descriptor that is not a known profile."""
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if (
                key in ("$schema", "profile")
                and isinstance(inner, str)
                and "://" in inner
                and inner not in KNOWN_PROFILES
            ):
                found.append(inner)
            found += _remote_profiles(inner)
    elif isinstance(value, list):
        for inner in value:
            found += _remote_profiles(inner)
    return found


def check(root: Path) -> list[Failure]:
    """frictionless's verdict on the descriptor, as failures (an unreadable one: none; it is read elsewhere)."""
    from figpack.package import PackageUnreadable, load_descriptor

    try:
        descriptor = load_descriptor(root)
    except PackageUnreadable:
        return []
    from figpack.package import inside

    for r in descriptor["resources"]:  # frictionless would open these: only when they stay inside
        for key in ("path", "schema", "dialect"):
            if isinstance(r.get(key), (str, list)):
                try:
                    for path in [r[key]] if isinstance(r[key], str) else r[key]:
                        inside(root, path)
                except PackageUnreadable:
                    return [
                        _fail(
                            "descriptor_unchecked",
                            f"expected paths inside the package: resource {key} {r[key]!r} is not",
                        )
                    ]
    remote = _remote_profiles(descriptor)
    if remote:  # never fetched: nothing outside the package is read
        return [
            _fail(
                "unsupported_feature",
                f"expected a known Data Package profile, not {remote[0]} (profiles are not downloaded)",
            )
        ]
    return [_fail(rule, message) for rule, message in _verdict(_canonical(descriptor))]


def _canonical(descriptor: dict) -> str:
    """The descriptor as frictionless judges it: a stamped size or SHA-256 matters only by its form,
    so re-stamping after an edit (as the tests do hundreds of times) reuses the verdict."""
    resources = [
        dict(r, **{k: v for k, v in (("bytes", 0), ("hash", "sha256:" + "0" * 64)) if _stamped(k, r.get(k))})
        if isinstance(r, dict)
        else r
        for r in descriptor["resources"]
    ]
    return json.dumps(dict(descriptor, resources=resources), sort_keys=True, ensure_ascii=False)


def _stamped(key: str, value) -> bool:
    if key == "bytes":
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return isinstance(value, str) and re.fullmatch(r"sha256:[0-9a-f]{64}", value) is not None


@functools.lru_cache(maxsize=256)
def _verdict(canonical: str) -> tuple[tuple[str, str], ...]:
    """frictionless's errors for the descriptor. They follow from its text alone: frictionless opens
    a Table Schema or dialect named by path only when it reads data, so the same descriptor in
    another folder (the tests' copies of the package) has the same verdict (a test holds this)."""
    from frictionless import Package  # imported here: only the descriptor needs it

    try:
        report = Package.validate_descriptor(json.loads(canonical))
    except Exception as exc:  # frictionless is a library we call: its crash is a failure, never VALID
        return (("descriptor_unchecked", f"expected a descriptor frictionless can check ({exc.__class__.__name__})"),)
    return tuple((f"descriptor_{e.type}", e.message) for e in report.errors)


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
