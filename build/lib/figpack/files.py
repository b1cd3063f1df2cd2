"""Read a resource's CSV from disk, checking the file before any row is read.

Every problem becomes a Failure (file, line, field, value, rule, expectation) instead of an
exception, so one run reports them all. Nothing here writes, and nothing outside the package is
read (figpack.package.read_bytes).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from figpack.fields import CONTROL as TEXT_CONTROL
from figpack.package import PackageUnreadable, read_bytes, shown
from figpack.registry import Failure

CONTROL = re.compile(TEXT_CONTROL.pattern.encode())  # figpack.fields.CONTROL, on the file's bytes
_FIELD = rb'(?:"(?:[^"]|"")*"|[^",\n]*)'  # a quoted value (quotes inside doubled), or one without quotes
_RECORD = _FIELD + rb"(?:," + _FIELD + rb")*"
RFC4180 = re.compile(rb"(?:" + _RECORD + rb"\n)*(?:" + _RECORD + rb")?")
QUOTED = re.compile(rb'"(?:[^"]|"")*"')
MISPLACED = re.compile(b'"|[^,\n]\x00|\x00[^,\n]')


def quoting_error(raw: bytes) -> int | None:
    """The offset where the file's quoting stops being RFC 4180, or None. Fast path: every quoted
    value becomes one marker byte, after which no quote may remain and every marker must stand
    between separators; the full grammar (slower) only locates a failure."""
    if b'"' not in raw:
        return None
    if b"\x00" not in raw and not MISPLACED.search(QUOTED.sub(b"\x00", raw)):
        return None
    grammar = RFC4180.match(raw)  # matches at least the empty string
    end = grammar.end() if grammar else 0
    return None if end == len(raw) else end


HASHES = {"md5", "sha1", "sha256", "sha512"}  # the hash algorithms of Data Package v2


@dataclass
class Table:
    name: str
    path: str  # as written in the descriptor, relative to the package root
    schema: dict
    frame: pd.DataFrame | None = None  # every cell text (pyarrow-backed strings), missing cells NA
    first_lines: list[int] | None = None  # CSV line of each row where it is not row + 2
    failures: list[Failure] = field(default_factory=list)
    pending: list = field(default_factory=list)  # hash checks still running (see finish)

    def finish(self) -> "Table":
        """Wait for the hash check and record its outcome."""
        for thread, digest, algorithm, expected, stated in self.pending:
            thread.join()
            if digest.hexdigest() != expected:
                self.failures.insert(
                    0,
                    Failure(
                        self.path,
                        None,
                        None,
                        None,
                        "hash_match",
                        f"descriptor says {stated}, the file's {algorithm} is {digest.hexdigest()} (after a deliberate edit run 'make stamp')",
                    ),
                )
        self.pending.clear()
        return self

    def line(self, row: int) -> int:
        """CSV line of a 0-based data row (the header is line 1)."""
        return self.first_lines[row] if self.first_lines else row + 2


def _fail(
    table: Table, rule: str, expected: str, line: int | None = None, column: str | None = None, value: str | None = None
) -> None:
    table.failures.append(Failure(table.path, line, column, value, rule, expected))


def _encoding_hint(raw: bytes) -> str:
    try:
        raw.decode("gb18030")
        return "; it decodes as GB18030/GBK, as Excel saves CSV on a Chinese system: save it as 'CSV UTF-8'"
    except UnicodeDecodeError:
        return ""


def _utf8(table: Table, raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        _fail(
            table,
            "utf8_encoding",
            f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}{_encoding_hint(raw)}",
            line,
        )
        return False


def check_header(table: Table, header: list[str]) -> bool:
    expected = [f["name"] for f in table.schema["fields"]]
    if header == expected:
        return True
    missing = [n for n in expected if n not in header]
    extra = [n for n in header if n not in expected]
    if len(missing) == len(extra) == 1 and len(header) == len(expected):
        _fail(
            table,
            "header_matches_schema",
            f"column {header.index(extra[0]) + 1} is named '{extra[0]}' where the schema has '{missing[0]}' (renamed?)",
            1,
            extra[0],
            extra[0],
        )
        return False
    for name in extra:
        _fail(table, "header_matches_schema", f"extra column '{name}' is not in the Table Schema", 1, name, name)
    for name in missing:
        _fail(table, "header_matches_schema", f"column '{name}' of the Table Schema is missing", 1, name)
    if not extra and not missing:
        _fail(table, "header_matches_schema", f"columns are out of order: expected {', '.join(expected)}", 1)
    return False


def read_table(root: Path, resource: dict, schema: dict) -> Table:
    """Read one resource's CSV as text columns, recording every file-level problem."""
    return _read_table(root, resource, schema).finish()


def _read_table(root: Path, resource: dict, schema: dict) -> Table:
    table = Table(str(resource.get("name")), str(resource.get("path")), schema)
    try:
        raw = read_bytes(root, table.path)
    except FileNotFoundError:
        _fail(table, "file_exists", "the file named by the descriptor is missing")
        return table
    except (OSError, PackageUnreadable) as exc:
        _fail(table, "file_exists", f"the file cannot be read: {getattr(exc, 'strerror', None) or exc}")
        return table
    if "bytes" in resource and resource["bytes"] != len(raw):
        _fail(
            table,
            "bytes_match",
            f"descriptor says {resource['bytes']} bytes, the file has {len(raw)} (after a deliberate edit run 'make stamp')",
        )
    if "hash" in resource:  # hashed in a thread while the file is parsed (hashlib lets go of the GIL)
        algorithm, _, expected = str(resource["hash"]).rpartition(":")
        digest = hashlib.new(algorithm.lower() or "md5") if (algorithm.lower() or "md5") in HASHES else None
        if digest is None:
            _fail(
                table,
                "hash_match",
                f"the hash algorithm of {shown(resource['hash'])} is not supported: write sha256:<hex>",
            )
    if "hash" in resource and digest is not None:
        hashing = threading.Thread(target=digest.update, args=(raw,))
        hashing.start()
        table.pending.append((hashing, digest, algorithm or "md5", expected.lower(), resource["hash"]))
    if not raw:
        _fail(table, "file_not_empty", "the file is empty (0 bytes): a header line and rows are expected")
        return table
    if raw.startswith(b"\xef\xbb\xbf"):
        _fail(table, "no_bom", "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM", 1)
        raw = raw[3:]
    if not _utf8(table, raw[: raw.find(b"\n") + 1 or len(raw)]):  # the header; the rest is checked by the parser
        return table
    if b"\r" in raw:
        _fail(
            table,
            "lf_line_ends",
            "CR or CRLF line ends; the package's files end lines with LF only",
            raw[: raw.index(b"\r")].count(b"\n") + 1,
        )
        return table
    bad_quote = quoting_error(raw)
    if bad_quote is not None:  # pyarrow and DuckDB read malformed quoting differently: refuse it
        line = raw[:bad_quote].count(b"\n") + 1
        _fail(
            table,
            "csv_well_formed",
            "a double quote where RFC 4180 allows none: quote a whole value, close it before the "
            "next comma or line end, and double any quote inside it",
            line,
        )
        return table
    header = next(csv.reader([raw.split(b"\n", 1)[0].decode("utf-8")]))
    if not check_header(table, header):
        return table
    try:  # pyarrow parses; every column stays text, an empty cell is missing (Table Schema missingValues "")
        parsed = pacsv.read_csv(
            io.BytesIO(raw),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in header},
                strings_can_be_null=True,
                null_values=[
                    ""
                ],  # only an empty cell is missing (pyarrow would also take NA, NaN, null) quoted_strings_can_be_null=True
            ),
        )
    except pa.ArrowInvalid as exc:
        if _utf8(table, raw):  # not an encoding problem: a malformed CSV
            _fail(table, "csv_well_formed", f"the CSV cannot be parsed: {str(exc).strip()}")
        return table
    table.frame = parsed.to_pandas()
    table.frame.attrs["control_characters"] = CONTROL.search(raw) is not None  # else no cell needs the check
    if raw.count(b"\n") != len(table.frame) + 1:  # quoted line breaks or blank lines: count lines for real
        reader = csv.reader(io.StringIO(raw.decode("utf-8")))
        next(reader)
        starts, previous = [], reader.line_num
        for row in reader:
            if row:  # blank lines are skipped by the parser too
                starts.append(previous + 1)
            previous = reader.line_num
        if len(starts) == len(table.frame):
            table.first_lines = starts
    return table
