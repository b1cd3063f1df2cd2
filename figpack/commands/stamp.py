"""Re-stamp each resource's `bytes` and `hash` in datapackage.json after a data file was edited.

Only those two values change: every other byte of the descriptor (indentation, key order, other
values) stays as it was. A resource without them gets them added after its `path`.
Usage: figpack stamp [PACKAGE_DIR]    Exit 0 done; 2 unreadable (nothing written).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from figpack.package import PackageUnreadable, load_descriptor, read_bytes, size_and_sha256, write_atomic

WS = re.compile(r"\s*")
STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
SCALAR = re.compile(r"-?[0-9][0-9.eE+-]*|true|false|null")


def spans(text: str) -> dict[tuple, tuple[int, int]]:
    """The (start, end) of every value of a JSON text, keyed by its path ('resources', 0, 'hash')."""
    out: dict[tuple, tuple[int, int]] = {}

    def skip(i: int) -> int:  # past white space (WS matches the empty string too), never copying the rest
        return WS.match(text, i).end()  # type: ignore[union-attr]

    def value(i: int, path: tuple) -> int:
        i = skip(i)
        start = i
        if text[i] == "{":
            i = skip(i + 1)
            while text[i] != "}":
                key = STRING.match(text, i)
                if key is None:
                    raise PackageUnreadable(f"datapackage.json: a key was expected at offset {i}")
                i = skip(key.end()) + 1  # past the colon
                i = skip(value(i, path + (json.loads(key.group()),)))
                i = skip(i + 1) if text[i] == "," else i
            i += 1
        elif text[i] == "[":
            i, n = skip(i + 1), 0
            while text[i] != "]":
                i = skip(value(i, path + (n,)))
                i, n = (skip(i + 1) if text[i] == "," else i), n + 1
            i += 1
        else:
            scalar = STRING.match(text, i) or SCALAR.match(text, i)
            if scalar is None:
                raise PackageUnreadable(f"datapackage.json: a value was expected at offset {i}")
            i = scalar.end()
        out[path] = (start, i)
        return i

    value(0, ())
    return out


def stamp(root: Path) -> list[str]:
    """Re-stamp the descriptor of the package at root; returns the paths whose facts changed."""
    descriptor = load_descriptor(root)  # PackageUnreadable for a missing, non-UTF-8 or broken descriptor
    text = read_bytes(root, "datapackage.json").decode("utf-8")
    where = spans(text)
    edits, changed = [], []
    for i, resource in enumerate(descriptor["resources"]):
        try:
            size, sha256 = size_and_sha256(root, resource.get("path"))
        except OSError as exc:
            raise PackageUnreadable(f"{resource.get('path')}: cannot be read ({exc.strerror})") from None
        facts = {"bytes": str(size), "hash": json.dumps("sha256:" + sha256)}
        if (resource.get("bytes"), resource.get("hash")) == (size, json.loads(facts["hash"])):
            continue
        changed.append(resource["path"])
        for key, new in facts.items():
            if ("resources", i, key) in where:
                edits.append((*where[("resources", i, key)], new))
            else:
                end = where[("resources", i, "path")][1]
                edits.append((end, end, f', "{key}": {new}'))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    if changed:
        write_atomic(root / "datapackage.json", text)
    return changed


HELP = "Re-stamp bytes and hashes in datapackage.json after editing data"
SHARED = ("package",)


def arguments(parser) -> None:
    parser.add_argument(
        "folder", nargs="?", type=Path, help="the package folder or its datapackage.json (as --package)"
    )


def run(args) -> int:
    root = args.folder or args.package
    if root.name == "datapackage.json":
        root = root.parent
    try:
        changed = stamp(root)
    except PackageUnreadable as exc:
        print(f"cannot stamp: {exc}; nothing was written", file=sys.stderr)
        return 2
    print(f"re-stamped {', '.join(changed)}" if changed else "bytes and hashes already current")
    return 0
