"""Validate a package: the descriptor (frictionless, plus what this engine supports), each file,
each field against its Table Schema, then every rule. Fails closed: a check that cannot run is a
failure. Raises PackageUnreadable only when the descriptor or a Table Schema cannot be read."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from figpack import descriptor as engine_descriptor
from figpack import registry, schema_shape
from figpack.contract import field_failures, resource_failures
from figpack.package import (
    DESCRIPTOR,
    MAX_FILE_BYTES,
    NAME,
    PackageUnreadable,
    Refused,
    load_descriptor,
    load_json,
    report_facts,
    shown,
)
from figpack.registry import Failure

if TYPE_CHECKING:  # the reading and checking modules import pyarrow and pandas: only validate() needs them
    from figpack.files import Table
    from figpack.frames import Context


def load_schema(root: Path, resource: dict) -> tuple[dict, str]:
    """The resource's Table Schema and where it came from; PackageUnreadable when it cannot be read."""
    schema, where = resource.get("schema"), f"{DESCRIPTOR}: resource {shown(resource.get('name'))}: schema"
    if isinstance(schema, str):
        where = schema
        schema = load_json(root, schema)
    problems = schema_shape.check_shape(schema, where)
    if problems or not isinstance(schema, dict):
        raise PackageUnreadable(problems[0] if problems else f"{where}: not a JSON object")
    return schema, where


def _source_text(
    root: Path, given: str | None, sources: Table | None, report: dict, notes: list[str]
) -> tuple[str | None, list[Failure]]:
    """The source transcription, if at hand and its SHA-256 is the one sources.csv records."""
    name = report.get("source_file")
    beside = root.resolve().parent / "shared" / "source" / name if isinstance(name, str) and "/" not in name else None
    path = next((Path(p) for p in (given, beside) if p and Path(p).is_file()), None)
    if path is None:
        notes.append(
            "source transcription not at hand: evidence spans not checked against it (rule evidence_in_source could not run; "
            "pass --source FILE)"
        )
        return None, []
    if sources is None or sources.frame is None or "sha256" not in sources.frame:
        return None, []
    raw = path.read_bytes()
    recorded = sources.frame["sha256"].dropna()
    actual = hashlib.sha256(raw).hexdigest()
    if actual in set(recorded):
        return raw.decode("utf-8"), []
    row = int(recorded.index[0]) if len(recorded) else None
    return None, [
        Failure(
            sources.path,
            row,
            "sha256",
            None if row is None else recorded.iloc[0],
            "source_hash_matches",
            f"expected {actual}, the SHA-256 of the transcription at {path} (or pass --source with the right file)",
        )
    ]


def _copies(root: Path, tables: dict[str, Table], report: dict, notes: list[str]) -> tuple[dict, list[Failure]]:
    """{source_id: text} of each statistical table copy that official figures cite, found by its
    SHA-256 in ../shared/source/<report.copies_folder>/ beside the package (as the transcription is)."""
    name, figures, sources = report.get("copies_folder"), tables.get("official_figures"), tables.get("sources")
    if not isinstance(name, str) or figures is None or figures.frame is None or sources is None:
        return {}, []
    if sources.frame is None or not len(figures.frame):
        return {}, []
    folder = root.resolve().parent / "shared" / "source" / name
    if "/" in name or name in ("", ".", "..") or not folder.is_dir():
        notes.append(
            "statistical table copies not at hand: official figures not checked against them "
            f"(rule official_figure_in_table could not run; they are looked for in ../shared/source/{name}/)"
        )
        return {}, []
    found = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_FILE_BYTES:
            raw = path.read_bytes()
            found[hashlib.sha256(raw).hexdigest()] = raw.decode("utf-8", errors="replace")
    cited = set(figures.frame["copy_source_id"].dropna())
    frame, copies, failures = sources.frame, {}, []
    for i, source_id, sha in zip(frame.index, frame["source_id"], frame["sha256"]):
        if source_id not in cited:
            continue
        if isinstance(sha, str) and sha in found:
            copies[source_id] = found[sha]
        else:
            message = f"expected the SHA-256 of a file in {folder} (the copy official figures cite)"
            failures.append(
                Failure(sources.path, int(i), "sha256", None if sha is None else str(sha), "copy_hash_matches", message)
            )
    return copies, failures


def validate(
    root: Path, source: str | None = None, descriptor_check=None, max_file_bytes: int = MAX_FILE_BYTES
) -> dict:
    """descriptor_check: the wait function of a descriptor check already started (figpack.descriptor.start);
    max_file_bytes: the largest CSV read (a larger one fails file_exists, saying how to raise it)."""
    import pyarrow as pa

    from figpack import fields, files
    from figpack.frames import Context

    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:  # the user's choice stands
        _use_mimalloc(pa)
    descriptor = load_descriptor(root)
    found = resource_failures(descriptor)  # file-level: row is a CSV line or None
    by_row: list[Failure] = []  # row-level: row is a 0-based data row
    tables: dict[str, Table] = {}
    schemas = {}
    large: list[tuple] = []  # what the field checks of files too large to remember take
    for resource in descriptor["resources"]:
        name = resource.get("name")
        if (
            not isinstance(name, str)
            or not NAME.fullmatch(name)
            or name in tables
            or not isinstance(resource.get("path"), str)
        ):
            continue  # reported by resource_failures; its rules then cannot run
        schema, schema_path = load_schema(root, resource)
        found += schema_shape.unsupported(schema, schema_path) + field_failures(name, schema, schema_path)
        table = files.read_table(root, resource, schema, max_file_bytes)
        if table.content_key is None:  # a large file: what its parse freed goes back before the checks
            pa.default_memory_pool().release_unused()
        found += table.failures
        key = table.content_key
        if table.frame is not None and key is None:  # checked beside the rules, below
            large.append((name, schema, table.frame, table.path, table.control_characters))
        elif table.frame is not None and key is not None:  # the same bytes, the same schema: the same failures
            frame, path, control = table.frame, table.path, table.control_characters
            by_row += files.remembered(_CHECKED, key, lambda: fields.check(schema, frame, path, control))
        tables[name], schemas[name] = table, schema
    frames = {name: t.frame for name, t in tables.items() if t.frame is not None}
    for name, t in tables.items():
        if t.frame is None and not t.failures:
            found.append(
                Failure(t.path, None, None, None, "table_unreadable", "expected a table the validator can read")
            )
    foreign_keys = tuple(
        (name, _fields(fk["fields"]), fk["reference"].get("resource") or name, _fields(fk["reference"]["fields"]))
        for name, schema in schemas.items()
        for fk in schema.get("foreignKeys", [])
    )
    notes: list[str] = []
    report = report_facts(descriptor)
    text, source_failures = _source_text(root, source, tables.get("sources"), report, notes)
    copies, copy_failures = _copies(root, tables, report, notes)
    paths = {name: t.path for name, t in tables.items()} | {DESCRIPTOR: DESCRIPTOR, "*": DESCRIPTOR}
    context = Context(frames, report, text, foreign_keys, frozenset(tables), copies)
    large_files = any(t.content_key is None for t in tables.values())
    if large_files and sum(t.size for t in tables.values()) <= OVERLAP_BYTES:
        with ThreadPoolExecutor(1) as beside:  # see OVERLAP_BYTES
            # their columns taken on this thread; a unique text column counts the codes numbered before it
            checks = [
                fields.checking(schema, frame, path, control, codes=functools.partial(context.made_codes, name))
                for name, schema, frame, path, control in large
            ]
            checked = beside.submit(_in_turn, context.numberings() + checks)
            ruled = _in_turn(registry.checks(context, paths))
            by_row += checked.result()
    elif large_files:  # each file's columns taken only when its checks run
        by_row += _in_turn(
            [functools.partial(fields.check, schema, frame, path, control) for _, schema, frame, path, control in large]
        )
        ruled = _in_turn(registry.checks(context, paths))
    else:
        ruled = _rule_failures(context, paths, tables)
    by_row += source_failures + copy_failures + ruled
    found += descriptor_check() if descriptor_check else engine_descriptor.check(root)
    by_path = {t.path: t for t in tables.values()}
    errors = [_as_dict(f, f.row) for f in found]
    errors += [
        _as_dict(f, None if f.row is None or f.file not in by_path else by_path[f.file].line(f.row)) for f in by_row
    ]
    errors.sort(key=lambda e: (e["file"], e["line"] or 0))
    return {
        "valid": not errors,
        "package": str(root),
        "errors": errors,
        "notes": notes,
        "rows": {name: len(frame) for name, frame in frames.items()},
    }


def _use_mimalloc(pa) -> None:
    """pyarrow's mimalloc pool, where the build has it: reading a 10^6 package, it faults in a tenth
    as many pages as the default (jemalloc), for about 6% less time and 10% less peak memory."""
    try:
        pa.set_memory_pool(pa.mimalloc_memory_pool())
    except NotImplementedError:
        pass


_CHECKED: dict[tuple, list[Failure]] = {}  # field failures of small files already checked in this process


OVERLAP_BYTES = 1 << 30
# Up to this much CSV, a package with large files has them field-checked on a thread beside the
# rules, after the key groups are numbered there (Context.numberings), which the rules then share:
# pyarrow, numpy and RE2 let go of the GIL. That holds the field checks' working memory beside the
# rules' (at 10^6 about 780 MiB against 680); past it one runs after the other, so that the peak stays
# bounded by the data. The rules stay on this thread: pandas is not safe for two threads at once.


def _in_turn(jobs: list[Callable[[], list[Failure]]]) -> list[Failure]:
    """Every job's failures, in the jobs' order, with what each freed handed back to the pool at once."""
    import pyarrow as pa

    failures = []
    for job in jobs:
        failures += job()
        pa.default_memory_pool().release_unused()
    return failures


def _rule_failures(context: Context, paths: dict[str, str], tables: dict[str, Table]) -> list[Failure]:
    """Every rule's failures for a package of small files. Rules see nothing but the context, so a
    context of files seen before in this process (the same bytes and schemas, facts, source text
    and table copies) has the failures found then."""
    from figpack import files

    key = json.dumps(
        [
            sorted((name, t.content_key) for name, t in tables.items()),
            context.report,
            None if context.source_text is None else hashlib.sha256(context.source_text.encode()).hexdigest(),
            context.foreign_keys,
            sorted(context.declared),
            sorted((k, hashlib.sha256(v.encode()).hexdigest()) for k, v in context.copies.items()),
            sorted(paths.items()),
        ],
        sort_keys=True,
        default=str,
    )
    return list(files.remembered(_RULED, key, lambda: registry.run(context, paths)))


_RULED: dict[str, list[Failure]] = {}  # rule failures of small packages already checked in this process


def _fields(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _as_dict(f: Failure, line: int | None) -> dict:
    return dict(file=f.file, line=line, field=f.field, value=f.value, rule=f.rule, message=f.message)


def require_valid(root: Path, source: str | None = None) -> dict:
    """The one gate before anything is published: the validation of the package at root, or
    Refused with the validator's report (PackageUnreadable when it cannot be read)."""
    from figpack.report import render_text

    result = validate(root, source)
    if not result["valid"]:
        raise Refused(render_text(result))
    return result
