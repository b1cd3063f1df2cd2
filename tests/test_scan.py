"""The chunked byte scan (figpack.files._scan) agrees with the RFC 4180 grammar on every file,
wherever the chunk boundaries fall, and finds control characters, CR and line counts as the
whole file would."""

from __future__ import annotations

import hashlib
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from figpack import fields, files

CONTROL = re.compile(fields.CONTROL.pattern.encode())  # the cell rule's characters, on bytes

BYTES = st.binary(max_size=60) | st.lists(st.sampled_from([b'"', b",", b"\n", b"a", b'""', b"\x01"]), max_size=40).map(
    b"".join
)


@settings(max_examples=300, deadline=None)
@given(raw=BYTES, chunk=st.integers(1, 7))
def test_scan_agrees_with_the_grammar_at_any_chunk_size(tmp_path_factory, raw, chunk):
    path = tmp_path_factory.mktemp("scan") / "t.csv"
    path.write_bytes(raw)
    before, files.CHUNK_BYTES = files.CHUNK_BYTES, chunk
    try:
        digest = hashlib.sha256()
        scan = files._scan(path, 0, digest, 10_000)
    finally:
        files.CHUNK_BYTES = before
    assert scan.quoting_ok == (files.quoting_error(raw) is None)
    assert scan.control == (CONTROL.search(raw) is not None)
    assert scan.newlines == raw.count(b"\n")
    assert scan.first_cr == (raw[: raw.index(b"\r")].count(b"\n") + 1 if b"\r" in raw else None)
    assert digest.hexdigest() == hashlib.sha256(raw).hexdigest()


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
