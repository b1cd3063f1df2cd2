"""List the figure-level changes between two versions of a package: figures added or removed, and
changed value, period, status or evidence, keyed by obs_id.

    figpack diff FROM [TO] [--format text|markdown]
    make diff FROM=... [TO=...] [FORMAT=markdown]     (passes FROM and TO unexpanded, via the environment)

FROM and TO are each a release zip, a package folder or a git ref of this repository (a tag, a
branch or a commit); TO defaults to the package in this folder. Only the observations table is
compared; a field one version lacks reads as empty. Nothing outside the zip, the folder or the
repository is read, and a git ref is passed to git as data, never to a shell.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

from figpack.package import DESCRIPTOR, MAX_FILE_BYTES, PackageUnreadable, parse_json, read_bytes, unsafe_path
from figpack.report import safe

GROUPS = {  # what a reader of a figure cares about, in the order listed
    "value": ["value_printed", "unit_printed", "value", "unit_multiplier", "value_base", "unit_base", "qualifier"],
    "period": ["period_printed", "period_start", "period_end", "period_status", "reference_year"],
    "status": ["status", "status_reason", "inference"],
    "evidence": ["evidence", "evidence_start", "evidence_end", "evidence_location"],
}
GIT_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")
MAX_ZIP_BYTES = MAX_FILE_BYTES  # what one zip may expand to, all the members read added up
MAX_ZIP_MEMBERS = 10_000  # a release has a few dozen


def _from_zip(path: Path):
    """A reader of a release zip that never expands more than MAX_ZIP_BYTES, whatever its headers claim."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageUnreadable(f"{path}: not a readable zip ({exc})") from None
    if len(archive.infolist()) > MAX_ZIP_MEMBERS:
        raise PackageUnreadable(f"{path}: more than {MAX_ZIP_MEMBERS:,} members, not a release zip")
    names = [n for n in archive.namelist() if PurePosixPath(n).name == DESCRIPTOR and len(PurePosixPath(n).parts) <= 2]
    if len(names) != 1:
        raise PackageUnreadable(f"{path}: expected one {DESCRIPTOR} at the top of the zip or one folder down")
    base = PurePosixPath(names[0]).parent
    budget = [MAX_ZIP_BYTES]

    def read(relative: str) -> bytes:
        if unsafe_path(relative):
            raise PackageUnreadable(f"{path}: unsafe path {relative!r}")
        name = str(base / relative) if str(base) != "." else relative
        try:
            with archive.open(name) as member:  # read at most what is left of the budget, plus one byte
                data = member.read(budget[0] + 1)
        except KeyError:
            raise PackageUnreadable(f"{path}: {name} is not in the zip") from None
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise PackageUnreadable(f"{path}: {name} cannot be read ({exc})") from None
        if len(data) > budget[0]:
            raise PackageUnreadable(f"{path}: expands to more than {MAX_ZIP_BYTES:,} bytes, the most read")
        budget[0] -= len(data)
        return data

    return read


def _from_git(ref: str):
    if not GIT_REF.fullmatch(ref) or ".." in ref:
        raise PackageUnreadable(f"not a zip, a folder or a git ref: {ref!r}")

    def read(relative: str) -> bytes:
        if unsafe_path(relative):
            raise PackageUnreadable(f"{ref}: unsafe path {relative!r}")
        shown = subprocess.run(
            ["git", "show", f"{ref}:{relative}"], cwd=Path.cwd(), capture_output=True, check=False, timeout=60
        )
        if shown.returncode:
            raise PackageUnreadable(f"git cannot show {relative} at {ref} (a shallow clone lacks old commits)")
        return shown.stdout

    return read


def reader(where: str):
    """A function reading a package-relative path from a release zip, a folder or a git ref."""
    path = Path(where)
    if path.is_file():
        return _from_zip(path)
    if path.is_dir():
        return lambda relative: read_bytes(path, relative)
    return _from_git(where)


def observations(where: str) -> tuple[str, dict[str, dict]]:
    """The version and the observations (by obs_id) of the package at where."""
    read = reader(where)
    descriptor = parse_json(read(DESCRIPTOR).decode("utf-8"), DESCRIPTOR)
    if not isinstance(descriptor, dict):
        raise PackageUnreadable(f"{where}: {DESCRIPTOR} is not a JSON object")
    resource = next((r for r in descriptor.get("resources", []) if r.get("name") == "observations"), None)
    if not resource or not isinstance(resource.get("path"), str):
        raise PackageUnreadable(f"{where}: no observations resource with a path")
    rows = csv.DictReader(io.StringIO(read(resource["path"]).decode("utf-8"), newline=""))
    return str(descriptor.get("version", "?")), {r["obs_id"]: r for r in rows}


def changes(old: dict[str, dict], new: dict[str, dict]) -> list[tuple[str, str, str]]:
    """(obs_id, kind, detail) for every figure-level change, in obs_id order."""
    out = []
    for key in sorted(old.keys() | new.keys()):
        if key not in old:
            r = new[key]
            out.append((key, "added", f"{r.get('value_printed', '')}{r.get('unit_printed') or ''}"))
        elif key not in new:
            out.append((key, "removed", f"{old[key].get('value_printed', '')}{old[key].get('unit_printed') or ''}"))
        else:
            for group, fields in GROUPS.items():
                moved = [
                    f"{f} {old[key].get(f) or '∅'} → {new[key].get(f) or '∅'}"
                    for f in fields
                    if (old[key].get(f) or "") != (new[key].get(f) or "")
                ]
                if moved:
                    out.append((key, f"changed {group}", "; ".join(moved)))
    return out


def render(found: list[tuple[str, str, str]], fmt: str) -> str:
    """One line per change; text from the packages has its control characters escaped (no terminal escapes)."""
    if fmt == "markdown":
        return "\n".join(safe(f"- `{key}`: {kind}: {detail}") for key, kind, detail in found)
    return "\n".join("\t".join(safe(part) for part in change) for change in found)


HELP = "List figure-level changes between two versions (release zip, folder or git ref)"
SHARED = ()
FORMATS = ("text", "markdown")


def arguments(parser) -> None:
    parser.add_argument("old", metavar="FROM", nargs="?", help="release zip, package folder or git ref")
    parser.add_argument("new", metavar="TO", nargs="?", default=".", help="the same; default: this folder")
    parser.add_argument("--from-env", action="store_true", help="read FROM and TO from DIFF_FROM and DIFF_TO")


def run(args) -> int:
    if args.from_env:
        args.old, args.new = os.environ.get("DIFF_FROM", ""), os.environ.get("DIFF_TO", "") or "."
    if not args.old:
        print("give FROM: a release zip, a package folder or a git ref (make diff FROM=...)", file=sys.stderr)
        return 2
    (old_version, old), (new_version, new) = observations(args.old), observations(args.new)
    found = changes(old, new)
    print(
        safe(f"{len(found)} change(s) from {old_version} ({args.old}) to {new_version} ({args.new})"), file=sys.stderr
    )
    if found:
        print(render(found, args.format))
    return 0
