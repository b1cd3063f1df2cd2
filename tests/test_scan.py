"""The chunked byte scan (figpack.files._scan) agrees with the RFC 4180 grammar on every file,
wherever the chunk boundaries fall, and finds control characters, CR and line counts as the
whole file would: in C (figpack/_scan.c) and in numpy alike."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import sysconfig
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from figpack import fields, files
from tests.conftest import ROOT

CONTROL = re.compile(fields.CONTROL.pattern.encode())  # the cell rule's characters, on bytes

PIECES = [b'"', b",", b"\n", b"a", b'""', b"\x01", b"\r", b"\t", b"\x7f", "万".encode(), b"x" * 70]
BYTES = st.binary(max_size=60) | st.lists(st.sampled_from(PIECES[:6]), max_size=40).map(b"".join)
LONG = st.lists(st.sampled_from(PIECES), max_size=60).map(b"".join)  # past the C scan's 64-byte blocks
# a file and the chunk size it is scanned in: any chunk for short files, chunks around the C scan's
# blocks for long ones (a chunk shorter than a block is never passed over whole)
FILES = st.one_of(st.tuples(BYTES, st.integers(1, 7)), st.tuples(LONG, st.integers(32, 300)))

NOT_COMPILED = "figpack._scan was not compiled at install (no C compiler)"
COMPILED = pytest.param(
    files._compiled_chunk,
    marks=pytest.mark.skipif(
        files.scan_chunk is not files._compiled_chunk,
        reason=NOT_COMPILED,
    ),
    id="c",
)
SCANS = [COMPILED, pytest.param(files._numpy_chunk, id="numpy")]


def scanned(path: Path, skip: int, digest, chunk: int, scan_chunk) -> files.Scan:
    """files._scan with chunk-byte chunks, each scanned by scan_chunk."""
    before = files.CHUNK_BYTES, files.scan_chunk
    files.CHUNK_BYTES, files.scan_chunk = chunk, scan_chunk
    try:
        return files._scan(path, skip, digest, 10_000)
    finally:
        files.CHUNK_BYTES, files.scan_chunk = before


@pytest.mark.parametrize("scan_chunk", SCANS)
@settings(max_examples=300, deadline=None)
@given(data=st.data(), bom=st.booleans())
def test_scan_agrees_with_the_grammar_at_any_chunk_size(tmp_path_factory, scan_chunk, data, bom):
    """A BOM, when there is one, is hashed and skipped, even where it spans chunks."""
    raw, chunk = data.draw(FILES)
    path = tmp_path_factory.mktemp("scan") / "t.csv"
    path.write_bytes(b"\xef\xbb\xbf" + raw if bom else raw)
    digest = hashlib.sha256()
    scan = scanned(path, 3 if bom else 0, digest, chunk, scan_chunk)
    assert scan.quoting_ok == (files.quoting_error(raw) is None)
    assert scan.control == (CONTROL.search(raw) is not None)
    assert scan.newlines == raw.count(b"\n")
    assert scan.first_cr == (raw[: raw.index(b"\r")].count(b"\n") + 1 if b"\r" in raw else None)
    assert digest.hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()
    if scan.quoting_ok:  # a line end inside a quoted value, as Python's csv module parses the file
        cells = [cell for row in csv.reader(io.StringIO(raw.decode("latin-1"), newline="")) for cell in row]
        assert scan.line_end_quoted == any("\n" in cell for cell in cells)


@settings(max_examples=300, deadline=None)
@given(file=FILES, bom=st.booleans())
def test_the_c_scan_finds_what_the_numpy_scan_finds(tmp_path_factory, file, bom):
    raw, chunk = file
    if files.scan_chunk is not files._compiled_chunk:
        pytest.skip(NOT_COMPILED)
    path = tmp_path_factory.mktemp("scan") / "t.csv"
    path.write_bytes(b"\xef\xbb\xbf" + raw if bom else raw)
    found = [scanned(path, 3 if bom else 0, None, chunk, way) for way in (files._compiled_chunk, files._numpy_chunk)]
    outcome = ["newlines", "ends_in_newline", "first_cr", "control", "quoting_ok", "line_end_quoted", "quoted"]
    assert [getattr(found[0], name) for name in outcome] == [getattr(found[1], name) for name in outcome]


def test_the_scan_is_compiled_where_a_c_compiler_and_python_headers_are_at_hand():
    """make env builds figpack/_scan.c; only a machine without a compiler scans with numpy."""
    headers = Path(sysconfig.get_paths()["include"], "Python.h").exists()
    if not (headers and (shutil.which("cc") or shutil.which("gcc"))):
        pytest.skip("no C compiler or Python headers here: numpy scans")
    assert files.scan_chunk is files._compiled_chunk


def test_scan_skips_a_bom_but_hashes_it(tmp_path):
    raw = b'\xef\xbb\xbf"a",b\n"1",2\n'
    (tmp_path / "t.csv").write_bytes(raw)
    digest = hashlib.sha256()
    scan = files._scan(tmp_path / "t.csv", 3, digest, 10_000)
    assert scan.quoting_ok and digest.hexdigest() == hashlib.sha256(raw).hexdigest()
    assert not files._scan(tmp_path / "t.csv", 0, None, 10_000).quoting_ok  # the BOM's last byte before a quote


def test_scan_stops_past_the_limit(tmp_path):
    (tmp_path / "t.csv").write_bytes(b"a\n" * 100)
    assert files._scan(tmp_path / "t.csv", 0, None, 199).too_large
    assert not files._scan(tmp_path / "t.csv", 0, None, 200).too_large


def test_a_small_file_read_again_keeps_what_its_scan_found(tmp_path):
    """A re-read small file (taken from this process's earlier reading) keeps the scan's finding
    that no cell holds a control character, and one that holds one is checked cell by cell."""
    schema = {"fields": [{"name": "a", "type": "string"}]}
    resource = {"name": "t", "path": "t.csv"}
    (tmp_path / "t.csv").write_bytes(b"a\nplain\n")
    first, again = (files.read_table(tmp_path, resource, schema) for _ in range(2))
    assert first.control_characters is False and again.control_characters is False
    (tmp_path / "t.csv").write_bytes(b"a\nbe\x01ll\n")
    first, again = (files.read_table(tmp_path, resource, schema) for _ in range(2))
    assert first.control_characters is True and again.control_characters is True
    assert [f.rule for f in fields.check(schema, again.frame, "t.csv", again.control_characters)] == [
        "no_control_characters"
    ]


CELLS = st.lists(st.sampled_from(["", "a", "b,c", 'say "x"', "line\nbreak", "\n", "万"]), min_size=2, max_size=2)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(CELLS, min_size=1, max_size=30), block=st.integers(32, 96))
def test_a_file_parsed_while_scanned_holds_what_a_quote_aware_parse_holds_wherever_blocks_are_cut(
    tmp_path_factory, rows, block
):
    """A large file is parsed while it is scanned, with blocks cut at any line end; where the scan
    finds a line end inside a quoted value it is parsed again: the values are always those of
    Python's csv module (blocks of a few bytes, so that cuts fall inside values)."""
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\n").writerows([["p", "q"], *rows])
    path = tmp_path_factory.mktemp("parse") / "t.csv"
    path.write_bytes(text.getvalue().encode())
    schema = {"fields": [{"name": "p", "type": "string"}, {"name": "q", "type": "string"}]}
    before = files.BLOCK_BYTES, files.PARALLEL_BYTES
    try:
        files.BLOCK_BYTES, files.PARALLEL_BYTES = block, 0
        table = files.read_table(path.parent, {"name": "t", "path": "t.csv"}, schema)
    finally:
        files.BLOCK_BYTES, files.PARALLEL_BYTES = before
    assert not table.failures and table.frame is not None
    expected = [[v or None for v in row] for row in csv.reader(io.StringIO(text.getvalue()))][1:]
    found = table.frame.astype(object).where(table.frame.notna(), None).values.tolist()
    assert found == expected


def test_validation_reads_with_mimalloc_unless_the_user_chose_a_pool(monkeypatch):
    import pyarrow as pa

    from figpack import validation

    try:
        mimalloc = pa.mimalloc_memory_pool()
    except NotImplementedError:
        return  # a pyarrow built without it keeps its default
    pa.set_memory_pool(pa.system_memory_pool())
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
    validation.validate(ROOT)
    assert pa.default_memory_pool().backend_name == "system"
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL")
    validation.validate(ROOT)
    assert pa.default_memory_pool().backend_name == mimalloc.backend_name
