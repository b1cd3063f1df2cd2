"""Read a resource's CSV from disk, checking the file before any row is read.

Every problem becomes a Failure (file, line, field, value, rule, expectation) instead of an
exception, so one run reports them all. Nothing here writes, and nothing outside the package is
read (figpack.package.inside). A file is checked chunk by chunk while pyarrow parses it, so it is
never held in memory whole: only its parsed columns are.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from figpack.package import MAX_FILE_BYTES, PackageUnreadable, inside, shown
from figpack.registry import Failure

_FIELD = rb'(?:"(?:[^"]|"")*"|[^",\n]*)'  # a quoted value (quotes inside doubled), or one without quotes
_RECORD = _FIELD + rb"(?:," + _FIELD + rb")*"
RFC4180 = re.compile(rb"(?:" + _RECORD + rb"\n)*(?:" + _RECORD + rb")?")


def quoting_error(raw: bytes) -> int | None:
    """The offset where the file's quoting stops being RFC 4180, or None: the full grammar, run only
    to locate a failure the chunked scan (_scan) found."""
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
    pending: list = field(default_factory=list)  # hash checks to record (see finish)
    content_key: tuple | None = None  # a small file's (path, SHA-256, Table Schema): its checks can be reused
    control_characters: bool = True  # a control character somewhere: cells are checked one by one
    size: int = 0  # the file's bytes, when it could be read

    def finish(self) -> "Table":
        """Record the outcome of the hash check (the scan hashed the file)."""
        for digest, algorithm, expected, stated in self.pending:
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


def read_table(root: Path, resource: dict, schema: dict, limit: int = MAX_FILE_BYTES) -> Table:
    """Read one resource's CSV as text columns, recording every file-level problem."""
    table = Table(str(resource.get("name")), str(resource.get("path")), schema)
    try:
        path = inside(root, table.path)
        size = table.size = path.stat().st_size
        if size > limit:
            raise PackageUnreadable(
                f"{table.path}: larger than {limit:,} bytes, the largest file read (raise it with --max-file-mib)"
            )
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
    except FileNotFoundError:
        _fail(table, "file_exists", "the file named by the descriptor is missing")
        return table
    except (OSError, PackageUnreadable) as exc:
        _fail(table, "file_exists", f"the file cannot be read: {getattr(exc, 'strerror', None) or exc}")
        return table
    if "bytes" in resource and resource["bytes"] != size:
        _fail(
            table,
            "bytes_match",
            f"descriptor says {resource['bytes']} bytes, the file has {size} (after a deliberate edit run 'make stamp')",
        )
    digest = None
    if "hash" in resource:
        algorithm, _, expected = str(resource["hash"]).rpartition(":")
        digest = hashlib.new(algorithm.lower() or "md5") if (algorithm.lower() or "md5") in HASHES else None
        if digest is None:
            _fail(
                table,
                "hash_match",
                f"the hash algorithm of {shown(resource['hash'])} is not supported: write sha256:<hex>",
            )
        else:
            table.pending.append((digest, algorithm or "md5", expected.lower(), resource["hash"]))
    if size != len(head):
        return _read_content(table, path, size, head, digest, limit).finish()
    # the whole file is in hand: hash it here, and reuse an earlier reading of the same bytes
    if digest is not None:
        digest.update(head)
    table.content_key = (table.path, hashlib.sha256(head).hexdigest(), json.dumps(schema, sort_keys=True))
    known = remembered(
        _READ,
        table.content_key,
        lambda: _read_content(Table(table.name, table.path, schema), path, size, head, None, limit),
    )
    table.failures += known.failures
    table.frame = None if known.frame is None else known.frame.copy(deep=False)  # copy-on-write: never shared edits
    table.first_lines = known.first_lines
    table.control_characters = known.control_characters
    return table.finish()


_READ: dict[tuple, Table] = {}  # small files already read in this process, by path, SHA-256 and Table Schema
MAX_REMEMBERED = 256


def remembered(memo: dict, key, make):
    """memo[key], made by make() the first time; the oldest of more than MAX_REMEMBERED entries go."""
    if key not in memo:
        memo[key] = make()
        while len(memo) > MAX_REMEMBERED:
            del memo[next(iter(memo))]
    return memo[key]


def _read_content(table: Table, path: Path, size: int, head: bytes, digest, limit: int) -> Table:
    """The file's content checked and parsed (its existence, size and hash are the caller's)."""
    skip = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    header_line = head[skip : head.find(b"\n") + 1 or len(head)]
    schema = table.schema
    names = [f["name"] for f in schema["fields"]]
    plain = (
        b'"' not in header_line and b"\r" not in header_line and header_line.rstrip(b"\n") == ",".join(names).encode()
    )
    with ThreadPoolExecutor(1) as pool:  # pyarrow parses (on threads of its own) while this thread scans
        # parsed while scanned as if no value held a line end (blocks cut at any line end: about a
        # fifth less work); the scan says whether that holds, else the file is parsed again below
        parsing = pool.submit(_parse, path, skip, names, False) if plain and size > PARALLEL_BYTES else None
        try:
            scan = _scan(path, skip, digest, limit)
        except OSError as exc:
            _fail(table, "file_exists", f"the file cannot be read: {exc.strerror or exc}")
            return table
        parsed = parsing.result() if parsing else None
    if scan.too_large:
        _fail(table, "file_exists", f"the file cannot be read: {table.path}: grew past {limit:,} bytes as it was read")
        return table
    if not size:
        _fail(table, "file_not_empty", "the file is empty (0 bytes): a header line and rows are expected")
        return table
    if skip:
        _fail(table, "no_bom", "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM", 1)
    if not _utf8(table, header_line):  # the header; the rest is checked by the parser
        return table
    if scan.first_cr is not None:
        _fail(table, "lf_line_ends", "CR or CRLF line ends; the package's files end lines with LF only", scan.first_cr)
        return table
    if not scan.quoting_ok:  # pyarrow and DuckDB read malformed quoting differently: refuse it
        raw = _raw(path, limit)[skip:]
        line = raw[: quoting_error(raw) or 0].count(b"\n") + 1
        _fail(
            table,
            "csv_well_formed",
            "a double quote where RFC 4180 allows none: quote a whole value, close it before the "
            "next comma or line end, and double any quote inside it",
            line,
        )
        return table
    header = next(csv.reader([header_line.decode("utf-8")]))
    if not check_header(table, header):
        return table
    if parsed is None or scan.line_end_quoted:
        parsed = _parse(path, skip, header, scan.line_end_quoted)
    if isinstance(parsed, pa.ArrowInvalid):
        if _utf8(table, _raw(path, limit)[skip:]):  # not an encoding problem: a malformed CSV
            _fail(table, "csv_well_formed", f"the CSV cannot be parsed: {str(parsed).strip()}")
        return table
    table.frame = _compact(parsed).to_pandas(self_destruct=True, split_blocks=True)  # freed as converted
    table.control_characters = scan.control  # else no cell needs the check
    if scan.newlines != len(table.frame) + (1 if scan.ends_in_newline else 0):
        # quoted line breaks or blank lines: count lines for real
        reader = csv.reader(io.StringIO(_raw(path, limit)[skip:].decode("utf-8")))
        next(reader)
        starts, previous = [], reader.line_num
        for row in reader:
            if row:  # blank lines are skipped by the parser too
                starts.append(previous + 1)
            previous = reader.line_num
        if len(starts) == len(table.frame):
            table.first_lines = starts
    return table


HEAD_BYTES = 1024 * 1024  # what is read of a file to find its header line
PARALLEL_BYTES = 1024 * 1024  # a smaller file is parsed after its scan: a thread costs more than it saves
# what pyarrow parses at a time: blocks this size reuse their memory (10^6: 15-20% less parse CPU than 16 MiB)
BLOCK_BYTES = 4 * 1024 * 1024
CHUNK_BYTES = 16 * 1024 * 1024  # the bytes checked at a time
SEPARATORS = np.zeros(256, dtype=bool)
SEPARATORS[[ord(","), ord("\n")]] = True


def _raw(path: Path, limit: int) -> bytes:
    """The whole file: to locate a problem the scan found, or to count lines where values hold line
    breaks. At most limit bytes, and never more than the file holds: read(n) sets aside n bytes."""
    with open(path, "rb") as f:
        return f.read(min(limit, os.fstat(f.fileno()).st_size))


def _parse(path: Path, skip: int, header: list[str], newlines_in_values: bool) -> pa.Table | pa.ArrowInvalid:
    """The file parsed by pyarrow: every column text, an empty cell missing (Table Schema missingValues "").
    Without newlines_in_values pyarrow cuts blocks at any line end, with less work: right only for
    a file with no line end inside a quoted value (a cut inside one can lose the value silently)."""
    try:
        types = _column_types(path, skip, header)
        with pa.OSFile(str(path)) as f:
            f.seek(skip)
            options = _options(types, newlines_in_values)
            return pacsv.read_csv(f, read_options=pacsv.ReadOptions(block_size=BLOCK_BYTES), **options)
    except pa.ArrowInvalid as exc:
        return exc


def _options(types: dict, newlines_in_values: bool = True) -> dict:
    return dict(
        parse_options=pacsv.ParseOptions(newlines_in_values=newlines_in_values),
        convert_options=pacsv.ConvertOptions(
            column_types=types,
            strings_can_be_null=True,
            null_values=[""],  # pyarrow would also take NA, NaN, null
        ),
    )


def _column_types(path: Path, skip: int, header: list[str]) -> dict:
    """Each column's type for the parse, judged on the file's first block: dictionary-encoded where
    values repeat (see _compact), plain text where they do not (an id). A wrong guess costs memory or
    time, never a value: _compact settles each column on the whole file."""
    types = {n: TEXT for n in header}
    if path.stat().st_size <= SAMPLE_BYTES:
        return types
    with pa.OSFile(str(path)) as f:
        f.seek(skip)
        reader = pacsv.open_csv(f, read_options=pacsv.ReadOptions(block_size=SAMPLE_BYTES), **_options(types))
        first = reader.read_next_batch()
    for name, values in zip(first.schema.names, first.columns):
        if len(values.dictionary) > len(values) // 2:
            types[name] = pa.large_string()
    return types


SAMPLE_BYTES = 1024 * 1024  # the first block, read to judge which columns repeat their values


TEXT = pa.dictionary(pa.int32(), pa.large_string())  # each column's distinct values once, and an index per row


def _compact(parsed: pa.Table) -> pa.Table:
    """Each column in one piece: a column with at most half as many distinct values as rows (a
    code, a unit, a period) stays dictionary-encoded, as Parquet does; any other is plain text.
    Two columns at a time (pyarrow lets go of the GIL)."""
    with ThreadPoolExecutor(2) as pool:
        return pa.table(dict(zip(parsed.column_names, pool.map(_compact_column, parsed.columns))))


def _compact_column(values: pa.ChunkedArray) -> pa.Array:
    """Pyarrow gives each parsed block its own dictionary: when these already hold more than half
    the rows, the column is taken as plain text without joining them (the choice changes memory
    and speed, never a value)."""
    if not pa.types.is_dictionary(values.type):
        return values.combine_chunks()
    if sum(len(chunk.dictionary) for chunk in values.chunks) > len(values) // 2:
        return values.cast(pa.large_string()).combine_chunks()
    values = values.unify_dictionaries()
    distinct = len(values.chunks[0].dictionary) if values.num_chunks else 0
    if distinct > len(values) // 2:
        return values.cast(pa.large_string()).combine_chunks()
    # the narrowest index: a code list of a few dozen values costs a byte a row
    index = pa.int8() if distinct < 2**7 else pa.int16() if distinct < 2**15 else pa.int32()
    return values.cast(pa.dictionary(index, pa.large_string())).combine_chunks()


@dataclass
class Scan:
    """What one pass over a file's bytes finds, and what a chunk hands to the next (the last three)."""

    newlines: int = 0
    ends_in_newline: bool | None = None
    first_cr: int | None = None  # the line of the first CR
    control: bool = False  # a control character somewhere (then cells are checked one by one)
    quoting_ok: bool = True  # every double quote where RFC 4180 allows it
    line_end_quoted: bool = False  # a line end inside a quoted value (if quoting_ok)
    too_large: bool = False
    quoted: bool = False  # an odd number of quotes so far: inside a quoted value
    previous: int = ord("\n")  # the last byte scanned (a file starts as if after a line end)
    closed_last: bool = False  # that byte was a closing quote: a separator or a quote must follow


def _scan(path: Path, skip: int, digest, limit: int) -> Scan:
    """Hash the file and check its bytes, chunk by chunk (scan_chunk). The first `skip` bytes (a
    BOM) are only hashed."""
    scan, size = Scan(), 0
    with open(path, "rb") as f, ThreadPoolExecutor(1) as hashing:
        # two buffers read in turn, each hashed on a thread of its own while the other is read and
        # scanned (hashlib lets go of the GIL, as numpy and the compiled scan do); they are reused,
        # so no chunk costs fresh memory (the kernel would zero every page of it first)
        room = max(1, min(CHUNK_BYTES, os.fstat(f.fileno()).st_size + 1))
        buffers, turn, hashed = [bytearray(room), bytearray(room)], 0, None
        work: list[np.ndarray] = []  # what a chunk scan reuses from chunk to chunk
        while n := f.readinto(buffers[turn]):
            chunk, turn = buffers[turn], 1 - turn
            size += n
            if size > limit:
                scan.too_large = True
                return scan
            if digest is not None:
                if hashed is not None:
                    hashed.result()  # the other buffer is free again before it is read into
                hashed = hashing.submit(digest.update, memoryview(chunk)[:n])
            start = min(n, max(0, skip - (size - n)))  # the part of a BOM in this chunk
            if start < n:
                scan_chunk(scan, chunk, start, n, work)
                scan.ends_in_newline = chunk[n - 1] == ord("\n")
    scan.quoting_ok = scan.quoting_ok and not scan.quoted
    return scan


def _compiled_chunk(scan: Scan, chunk: bytearray, start: int, stop: int, work: list[np.ndarray]) -> None:
    """chunk[start:stop] scanned by figpack/_scan.c (the same as _numpy_chunk)."""
    first_cr = -1 if scan.first_cr is None else scan.first_cr
    state = (scan.newlines, first_cr, scan.control, scan.quoting_ok, scan.line_end_quoted, scan.quoted)
    newlines, first_cr, control, quoting_ok, line_end_quoted, quoted, previous, closed_last = _c_scan_chunk(
        chunk, start, stop, (*state, scan.previous, scan.closed_last)
    )
    scan.newlines, scan.first_cr = newlines, None if first_cr < 0 else first_cr
    scan.control, scan.quoting_ok, scan.line_end_quoted = control, quoting_ok, line_end_quoted
    scan.quoted, scan.previous, scan.closed_last = quoted, previous, closed_last


def _numpy_chunk(scan: Scan, chunk: bytearray, start: int, stop: int, work: list[np.ndarray]) -> None:
    """chunk[start:stop] scanned with numpy, a pass per question. Quoting: a quote with an even number
    of quotes before it opens a value and must follow a separator (or the quote that closed the
    previous part of a doubled quote); one with an odd number closes it and must precede a
    separator, a quote or the end; and the quotes must pair up (checked at the file's end)."""
    if not work:
        work += [np.empty(len(chunk), dtype=bool), np.empty(len(chunk), dtype=bool)]
    line_end_flags, flags = work
    data = np.frombuffer(chunk, dtype=np.uint8, count=stop - start, offset=start)
    if scan.first_cr is None and (cr := chunk.find(b"\r", start, stop)) >= 0:
        scan.first_cr = scan.newlines + chunk.count(b"\n", start, cr) + 1
    line_ends = np.equal(data, ord("\n"), out=line_end_flags[: len(data)])
    newlines = int(np.count_nonzero(line_ends))
    if not scan.control:  # below space, only line ends and tabs are allowed (and no DEL)
        low = int(np.count_nonzero(np.less(data, 32, out=flags[: len(data)])))
        allowed = (
            newlines
            if low == newlines
            else newlines + chunk.count(b"\t", start, stop) + chunk.count(b"\r", start, stop)
        )
        scan.control = low != allowed or chunk.find(b"\x7f", start, stop) >= 0
    if scan.closed_last and data[0] not in (ord(","), ord("\n"), ord('"')):
        scan.quoting_ok = False  # the previous chunk ended on a closing quote
    if chunk.find(b'"', start, stop) >= 0:
        at = np.flatnonzero(np.equal(data, ord('"'), out=flags[: len(data)]))
    else:
        at = np.zeros(0, dtype=np.intp)
    opening = (scan.quoted + np.arange(len(at))) % 2 == 0
    if len(at) and scan.quoting_ok:
        before = np.where(at > 0, data[at - 1], scan.previous)
        after = data[np.minimum(at + 1, len(data) - 1)]
        last = at == len(data) - 1
        ok_open = SEPARATORS[before] | (before == ord('"'))
        ok_close = SEPARATORS[after] | (after == ord('"')) | last
        scan.quoting_ok = bool(np.all(np.where(opening, ok_open, ok_close)))
        scan.closed_last = bool(last[-1] and not opening[-1])
    else:
        scan.closed_last = False
    if not scan.line_end_quoted and newlines and (len(at) or scan.quoted):
        # a line end with an odd number of quotes before it is inside a quoted value: one
        # before the chunk's first quote when an odd number came before the chunk, or one
        # from an opening quote to the next quote (a logical or over each such stretch)
        first = at[0] if len(at) else len(data)
        scan.line_end_quoted = bool(scan.quoted and line_ends[:first].any()) or (
            len(at) > 0 and bool(np.logical_or.reduceat(line_ends, at)[opening].any())
        )
    scan.quoted = bool((scan.quoted + len(at)) % 2)
    scan.newlines += newlines
    scan.previous = int(data[-1])


try:  # compiled at install where a C compiler is at hand (pyproject.toml); else numpy does the same
    from figpack._scan import scan_chunk as _c_scan_chunk

    scan_chunk = _compiled_chunk
except ImportError:
    scan_chunk = _numpy_chunk
