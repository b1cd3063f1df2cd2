"""Property-based bad input: corruptions of the real package (cells, bytes, line ends, descriptor
and Table Schema JSON, paths and names). For each: exit 0, 1 or 2 and never an exception; a
canary outside the package never shows in the output; nothing is written outside the output
folder; and the oracle: a package the validator calls VALID loads in DuckDB and builds, every
table with the CSV's row count. `make test` runs a few examples per property; `make fuzz` many
(HYPOTHESIS_PROFILE=fuzz, see tests/conftest.py)."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from figpack.commands import build, stamp
from tests.conftest import ROOT, copy_package, run_cli

CANARY = "CANARY-3f9a1c-outside-the-package"
NAMES = [r["name"] for r in json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"]]
TRICKY = [
    "inf",
    "-Infinity",
    "NaN",
    "１３",
    "٣",
    " 13",
    "13 ",
    "1e5",
    "0x10",
    "1_000",
    "",
    " ",
    '"',
    "a\nb",
    "\x00",
    "\u202e",
    "9" * 40,
    "1." + "1" * 20,
    "-0",
    "2023-02-30",
    "2023-1-1",
    "true",
    "TRUE",
    "x" * 20_000,
    "../../etc/passwd",
]
SETTINGS = dict(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)


def fresh(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    (base / "canary.txt").write_text(CANARY, encoding="utf-8")
    package = copy_package(base / "package")
    return base, package


def run(base, package) -> tuple[int, str]:
    """Validate in-process; return the exit code and everything printed. Then the oracle."""
    before = sorted(p.relative_to(base) for p in base.rglob("*") if "package" not in p.parts and "out" not in p.parts)
    done = run_cli("validate", str(package))
    code, text = done.returncode, done.stdout + done.stderr
    assert code in (0, 1, 2), text
    assert CANARY not in text
    if code == 0:
        assert_loads(package, base / "out")
    after = sorted(p.relative_to(base) for p in base.rglob("*") if "package" not in p.parts and "out" not in p.parts)
    assert before == after, "something was written outside the package and the output folder"
    return code, text


def assert_loads(package, out):
    """A VALID package loads in DuckDB and builds, every table with its CSV's rows."""
    from figpack.sql import connect

    con = connect(package)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    for r in descriptor["resources"]:
        with open(package / r["path"], encoding="utf-8", newline="") as f:
            rows = sum(1 for _ in csv.DictReader(f))
        assert con.execute(f'SELECT count(*) FROM "{r["name"]}"').fetchone()[0] == rows, r["name"]
    build.build(package, out)


def cell_edit(package, name, row, field, value):
    path = package / "data" / f"{name}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = list(reader.fieldnames), list(reader)
    rows[row % len(rows)][header[field % len(header)]] = value
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    stamp.stamp(package)


@settings(**SETTINGS)
@given(
    st.sampled_from(NAMES),
    st.integers(0, 60),
    st.integers(0, 30),
    st.one_of(st.sampled_from(TRICKY), st.text(max_size=30)),
)
def test_any_cell_value(tmp_path_factory, name, row, field, value):
    base, package = fresh(tmp_path_factory)
    cell_edit(package, name, row, field, value)
    run(base, package)


@settings(**SETTINGS)
@given(
    st.sampled_from(NAMES), st.integers(0, 4000), st.binary(max_size=8), st.sampled_from(["insert", "replace", "cut"])
)
def test_any_bytes(tmp_path_factory, name, offset, data, how):
    base, package = fresh(tmp_path_factory)
    path = package / "data" / f"{name}.csv"
    raw = path.read_bytes()
    at = offset % (len(raw) + 1)
    raw = {"insert": raw[:at] + data + raw[at:], "replace": raw[:at] + data + raw[at + len(data) :], "cut": raw[:at]}[
        how
    ]
    path.write_bytes(raw)
    stamp.stamp(package)
    run(base, package)


PATHS = [
    "/etc/passwd",
    "../canary.txt",
    "../../canary.txt",
    "/proc/self/environ",
    "/dev/zero",
    "data/../../canary.txt",
    "https://example.org/x.csv",
    "data/\nVALID: forged.csv",
    "data",
    "",
    "C:\\x.csv",
    "link.csv",
]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@settings(**SETTINGS)
@given(
    st.integers(0, 20),
    st.sampled_from(["path", "name", "schema", "encoding", "format", "dialect", "hash", "bytes", "*"]),
    st.one_of(st.sampled_from(PATHS), JSON),
)
def test_any_descriptor_value(tmp_path_factory, index, key, value):
    base, package = fresh(tmp_path_factory)
    (package / "link.csv").symlink_to(base / "canary.txt")
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    resources = descriptor["resources"]
    if key == "*":
        resources[index % len(resources)] = value
    else:
        resources[index % len(resources)][key] = value
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    run(base, package)


@settings(**SETTINGS)
@given(
    st.sampled_from(NAMES),
    st.integers(0, 30),
    st.sampled_from(["type", "name", "constraints", "pattern", "minimum", "fields", "primaryKey", "foreignKeys"]),
    JSON,
)
def test_any_table_schema_value(tmp_path_factory, name, field, key, value):
    base, package = fresh(tmp_path_factory)
    path = package / "schemas" / f"{name}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    if key in ("fields", "primaryKey", "foreignKeys"):
        schema[key] = value
    elif key in ("pattern", "minimum"):
        schema["fields"][field % len(schema["fields"])].setdefault("constraints", {})[key] = value
    else:
        schema["fields"][field % len(schema["fields"])][key] = value
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    run(base, package)


def test_paths_outside_the_package_are_refused(tmp_path_factory):
    for target in ["/etc/passwd", "../canary.txt", "/proc/self/environ", "/dev/zero", "link.csv"]:
        base, package = fresh(tmp_path_factory)
        (package / "link.csv").symlink_to(base / "canary.txt")
        descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
        descriptor["resources"][5]["path"] = target
        (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
        code, text = run(base, package)
        assert code in (1, 2) and "root:" not in text, (target, text)
        shutil.rmtree(base)


def test_a_package_path_is_a_regular_file_inside_the_package_after_symlinks(tmp_path):
    from figpack.package import PackageUnreadable, inside

    package = tmp_path / "package"
    (package / "data").mkdir(parents=True)
    (package / "data" / "a.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "outside.csv").write_text("x\n", encoding="utf-8")
    (package / "in.csv").symlink_to(package / "data" / "a.csv")
    (package / "out.csv").symlink_to(tmp_path / "outside.csv")
    (package / "loop.csv").symlink_to(package / "loop.csv")
    (tmp_path / "package-other").mkdir()
    (package / "sibling.csv").symlink_to(tmp_path / "package-other")  # a folder whose name starts like the package's
    assert inside(package, "data/a.csv") == package / "data" / "a.csv"
    assert inside(package, "in.csv") == package / "data" / "a.csv"
    assert inside(package, "data/missing.csv") == package / "data" / "missing.csv"  # the caller reports it missing
    for path, why in [
        ("out.csv", "leads outside"),
        ("sibling.csv", "leads outside"),
        ("loop.csv", "symlink loop"),
        ("data", "not a regular file"),
        ("../outside.csv", "'..'"),
    ]:
        with pytest.raises(PackageUnreadable, match=why):
            inside(package, path)
