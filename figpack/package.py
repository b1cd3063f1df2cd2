"""The one home of shared plumbing: where a package is, its descriptor and Table Schemas (read
safely), paths that must stay inside the package, atomic writes, deterministic zips, decimal text.

Nothing read here may come from outside the package folder: paths are relative, without `..`,
and resolve inside the folder after symlinks are followed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Iterator

HERE = Path(__file__).resolve().parent  # the installed tool: its templates/ and sql/ are package data
DESCRIPTOR = "datapackage.json"  # the descriptor's name in every package
VIEWS = HERE / "sql" / "views.sql"  # the SQL views every package gets
TEMPLATES = HERE / "templates"  # the page's HTML, CSS and JS
MAX_FILE_BYTES = 512 * 1024 * 1024  # the largest descriptor, schema or CSV read (10^6 observations are ~300 MB)
MAX_JSON_DEPTH = 64  # the deepest JSON nesting read
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")  # package and resource names: the v2 pattern, less '/' and a leading '.'
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+-]*$")
FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")  # the field names this engine accepts (safe in SQL and files)


class PackageUnreadable(Exception):
    """The package, or a file it names, cannot be read: one line naming the file and place."""


class Refused(Exception):
    """The package is not valid, so nothing is published from it: the text is the validator's report."""


def unsafe_path(path) -> str | None:
    """Why a descriptor path is not a safe relative path inside a package, or None."""
    if not isinstance(path, str) or not path:
        return "is not a non-empty string path"
    if any(ch in path for ch in "\\\0") or any(ord(ch) < 32 for ch in path):
        return "contains a backslash or control character"
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path):
        return "is a URL: only local files inside the package are read"
    if path.startswith("/") or path.startswith("~"):
        return "is absolute: paths are relative to the package folder"
    if ".." in path.split("/") or "." in path.split("/") or "" in path.split("/"):
        return "has '..', '.' or an empty segment: paths stay inside the package folder"
    return None


def inside(root: Path, relative: str) -> Path:
    """The file `relative` names in the package at root: a regular file inside it after symlinks,
    else PackageUnreadable saying why. Existence is not required (FileNotFoundError is left to the caller).
    Paths are compared as resolved text, with one stat of the target (a validation asks this some
    fifty times: pathlib's resolve, parents and exists took three times as long)."""
    why = unsafe_path(relative)
    if why:
        raise PackageUnreadable(f"path {shown(relative)} {why}")
    base = os.path.realpath(root)
    target = os.path.realpath(os.path.join(base, relative))
    try:
        mode: int | None = os.stat(target).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise PackageUnreadable(f"{relative}: cannot be resolved (a symlink loop)") from None
        mode = None  # missing or unreadable: the caller's open says which
    if target != base and not target.startswith(base.rstrip(os.sep) + os.sep):
        raise PackageUnreadable(f"{relative}: leads outside the package folder (a symlink?)")
    if mode is not None and not stat.S_ISREG(mode):
        raise PackageUnreadable(f"{relative}: is not a regular file")
    return Path(target)


def read_bytes(root: Path, relative: str) -> bytes:
    """The bytes of a package file, read only if safe and at most MAX_FILE_BYTES."""
    path = inside(root, relative)
    with open(path, "rb") as f:  # read(n) sets aside n bytes: ask for no more than the file holds
        data = f.read(min(MAX_FILE_BYTES, os.fstat(f.fileno()).st_size) + 1)
    if len(data) > MAX_FILE_BYTES:
        raise PackageUnreadable(f"{relative}: larger than {MAX_FILE_BYTES:,} bytes, the largest file read")
    return data


def size_and_sha256(root: Path, relative: str) -> tuple[int, str]:
    """A package file's size and SHA-256, read in pieces (any size, in constant memory)."""
    digest, size = hashlib.sha256(), 0
    with open(inside(root, relative), "rb") as f:
        while piece := f.read(16 * 1024 * 1024):
            digest.update(piece)
            size += len(piece)
    return size, digest.hexdigest()


def shown(text) -> str:
    """Text from a package, safe to print on one line: control characters escaped."""
    return json.dumps(str(text), ensure_ascii=False)


def _depth(text: str) -> int:
    """The deepest nesting of [ and { outside JSON strings, read from the characters that matter
    only (quotes, backslashes, brackets: a one-character class, found in linear time)."""
    depth = deepest = 0
    in_string, escaped_at = False, -1  # the position of the character a backslash escapes
    for found in _JSON_SYNTAX.finditer(text):
        ch, at = found.group(), found.start()
        if in_string:
            if at == escaped_at:
                continue
            if ch == "\\":
                escaped_at = at + 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


_JSON_SYNTAX = re.compile(r'["\\\[\]{}]')


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is too large for a JSON number here")
    return value


def load_json(root: Path, relative: str) -> object:
    """A JSON file of the package: UTF-8, not deeper than MAX_JSON_DEPTH, no NaN or Infinity."""
    try:
        raw = read_bytes(root, relative)
    except FileNotFoundError:
        raise PackageUnreadable(f"{relative}: file not found") from None
    except OSError as exc:
        raise PackageUnreadable(f"{relative}: cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageUnreadable(f"{relative}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None
    return parse_json(text, relative)


def parse_json(text: str, relative: str) -> object:
    """JSON text named relative: not deeper than MAX_JSON_DEPTH, no NaN or Infinity."""
    if _depth(text) > MAX_JSON_DEPTH:
        raise PackageUnreadable(f"{relative}: JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise PackageUnreadable(
            f"{relative}: broken JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except ValueError as exc:
        raise PackageUnreadable(f"{relative}: {exc}") from None


def load_descriptor(root: Path) -> dict:
    descriptor = load_json(root, "datapackage.json")
    if not isinstance(descriptor, dict):
        raise PackageUnreadable("datapackage.json: the top level is not a JSON object")
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        raise PackageUnreadable("datapackage.json: resources: not a list")
    for i, resource in enumerate(resources):
        if not isinstance(resource, dict):
            raise PackageUnreadable(f"datapackage.json: resources[{i}]: not a JSON object")
    return descriptor


def report_facts(descriptor: dict) -> dict:
    """The descriptor's `report` property: the facts of the report that are not code lists."""
    report = descriptor.get("report")
    return report if isinstance(report, dict) else {}


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A scratch folder inside out for a command's outputs: when the block ends without an error,
    each file moves to its final name under out (a reader never sees half of one); when it fails,
    the scratch folder goes and nothing new stands under a final name."""
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".staged-", dir=out))
    try:
        yield scratch
        for path in sorted(p for p in scratch.rglob("*") if p.is_file()):
            target = out / path.relative_to(scratch)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.replace(target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write under a temporary name beside the target, then move into place: a reader never sees
    half a file, and a failed write leaves no temporary file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def deterministic_zip(entries: dict[str, bytes], date_time: tuple) -> bytes:
    """A zip whose bytes depend only on its entries: sorted names, fixed times and permissions."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(entries):
            entry = zipfile.ZipInfo(name, date_time=date_time)
            entry.compress_type, entry.external_attr, entry.create_system = zipfile.ZIP_DEFLATED, 0o644 << 16, 3
            archive.writestr(entry, entries[name])
    return out.getvalue()


def web_url(value) -> str | None:
    """The value if it is an http(s) URL a page may link to, else None: a valid URI can be
    javascript:, data: or file:, which no page or Datasette of ours turns into a live link."""
    text = str(value or "")
    return text if re.match(r"https?://[^\s]+\Z", text, re.IGNORECASE) else None


def script_json(value) -> str:
    """JSON safe inside an HTML <script>: no '<', '>' or '&' that could close it or open a comment."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def plain_decimal(value: Decimal) -> str:
    """A decimal as plain digits without trailing zeros: 40100000000, not 4.01E+10 or 40100000000.0."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text
