"""Validation fails closed: what it cannot check is a failure, never a note beside VALID; what it
accepts, every loader accepts; nothing outside the package is read; no command shows a traceback."""

from __future__ import annotations

import json
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from figpack import cli
from figpack.commands import build, stamp
from tests.conftest import ROOT, run_cli


def descriptor(scratch) -> dict:
    return json.loads((scratch.root / "datapackage.json").read_text(encoding="utf-8"))


def save(scratch, d: dict) -> None:
    (scratch.root / "datapackage.json").write_text(json.dumps(d, ensure_ascii=False, indent=2), encoding="utf-8")


def rules_of(result) -> set[str]:
    return {e["rule"] for e in result["errors"]}


def test_a_removed_resource_is_a_failure_not_a_note(scratch):
    d = descriptor(scratch)
    d["resources"] = [r for r in d["resources"] if r["name"] != "indicators"]
    save(scratch, d)
    result = scratch.validate()
    assert not result["valid"] and {"required_resources", "rule_cannot_run"} <= rules_of(result)


def test_no_resources_at_all_is_invalid(scratch):
    d = descriptor(scratch)
    d["resources"] = []
    save(scratch, d)
    assert not scratch.validate()["valid"]


def test_a_renamed_resource_is_invalid(scratch):
    d = descriptor(scratch)
    d["resources"][0]["name"] = "observation"
    save(scratch, d)
    assert "required_resources" in rules_of(scratch.validate())


def test_a_foreign_key_to_an_absent_resource_is_a_failure(scratch):
    path = scratch.root / "schemas" / "glossary.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["foreignKeys"][0]["reference"]["resource"] = "nowhere"
    path.write_text(json.dumps(schema), encoding="utf-8")
    hits = [e for e in scratch.validate()["errors"] if e["rule"] == "foreign_keys_resolve"]
    assert hits and "nowhere" in hits[0]["message"]


def test_every_field_of_a_composite_foreign_key_is_checked(scratch):
    path = scratch.root / "schemas" / "observations.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["foreignKeys"].append(
        {
            "fields": ["indicator_id", "unit_base"],
            "reference": {"resource": "indicators", "fields": ["indicator_id", "unit_short"]},
        }
    )
    path.write_text(json.dumps(schema), encoding="utf-8")
    assert scratch.validate()["valid"]
    line = scratch.edit("observations", "schools-built-2023", unit_base="个")  # only the second field is wrong
    hits = [e for e in scratch.validate()["errors"] if e["rule"] == "foreign_keys_resolve"]
    assert [(e["line"], e["field"]) for e in hits] == [(line, "unit_base")]


@pytest.mark.parametrize("value", ["inf", "Infinity", "NaN", "１３", "٣", " 13", "13 ", "+13", "1e3", "1.", "1" * 29])
def test_a_number_any_loader_would_read_differently_is_refused(scratch, value):
    line = scratch.edit("observations", "schools-built-2023", value=value)
    hits = [e for e in scratch.validate()["errors"] if e["rule"] == "type_number"]
    assert any(e["line"] == line and e["field"] == "value" for e in hits), hits


@pytest.mark.parametrize(
    "key,value",
    [
        ("encoding", "latin-1"),
        ("format", "xlsx"),
        ("dialect", {"delimiter": ";"}),
        ("compression", "gz"),
        ("path", ["data/a.csv", "data/b.csv"]),
    ],
)
def test_a_feature_the_validator_does_not_read_is_refused(scratch, key, value):
    d = descriptor(scratch)
    d["resources"][5][key] = value
    save(scratch, d)
    assert "unsupported_feature" in rules_of(scratch.validate())


@pytest.mark.parametrize("kind", ["datetime", "year", "time"])
def test_a_field_type_the_validator_does_not_check_is_refused(scratch, kind):
    path = scratch.root / "schemas" / "sources.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"][5]["type"] = kind
    schema["fields"][5].pop("constraints", None)
    schema["fields"][5].pop("x-pattern", None)
    path.write_text(json.dumps(schema), encoding="utf-8")
    assert "unsupported_feature" in rules_of(scratch.validate())


@pytest.mark.parametrize(
    "text,where",
    [
        ('{"resources": [1]}', "resources[0]"),
        ('{"resources": [], "x": NaN}', "NaN"),
        ("[" * 1000 + "]" * 1000, "deeper"),
    ],
)
def test_an_unreadable_descriptor_exits_2_with_one_line(scratch, text, where):
    (scratch.root / "datapackage.json").write_text(text, encoding="utf-8")
    done = run_cli("validate", str(scratch.root))
    assert done.returncode == 2 and where in done.stdout and len(done.stdout.strip().splitlines()) == 1


def depth_char_by_char(text: str) -> int:
    """The reference: every character read, a string's escapes followed one by one."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(['"', "\\", "[", "]", "{", "}", "a", "n", ",", ":", "万"]), max_size=60).map("".join))
def test_json_nesting_is_measured_as_a_reading_of_every_character_measures_it(text):
    from figpack.package import _depth

    assert _depth(text) == depth_char_by_char(text)


def test_an_unknown_field_type_names_the_schema_and_place(scratch):
    path = scratch.root / "schemas" / "sources.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"][3]["type"] = "banana"
    path.write_text(json.dumps(schema), encoding="utf-8")
    done = run_cli("validate", str(scratch.root))
    assert (
        done.returncode == 2
        and 'schemas/sources.schema.json: fields[3].type: "banana" is not a Table Schema type' in done.stdout
    )


def test_a_path_outside_the_package_is_never_read(scratch, tmp_path):
    (tmp_path / "secret.txt").write_text("SECRET-CANARY", encoding="utf-8")
    d = descriptor(scratch)
    for path in ("../secret.txt", str(tmp_path / "secret.txt"), "/etc/passwd"):
        d["resources"][5]["path"] = path
        save(scratch, d)
        done = run_cli("validate", str(scratch.root))
        assert done.returncode == 1 and "SECRET-CANARY" not in done.stdout and "root:" not in done.stdout


def test_a_newline_in_a_path_cannot_forge_a_verdict(scratch):
    d = descriptor(scratch)
    d["resources"][5]["path"] = "data/x\nVALID: all good"
    save(scratch, d)
    done = run_cli("validate", str(scratch.root))
    assert not any(line.startswith("VALID") for line in done.stdout.splitlines())


def test_build_refuses_an_invalid_package_and_writes_nothing(scratch, tmp_path):
    scratch.edit("observations", "schools-built-2023", value="inf")
    done = run_cli("build", "--package", str(scratch.root), "--out", str(tmp_path / "out"))
    assert done.returncode == 1 and "type_number" in done.stderr and not (tmp_path / "out").exists()


def test_stamp_changes_only_bytes_and_hash(scratch):
    d = descriptor(scratch)
    text = json.dumps(d, ensure_ascii=False, indent=4)  # another indentation than ours
    (scratch.root / "datapackage.json").write_text(text, encoding="utf-8")
    scratch.edit("observations", "schools-built-2023", note="edited")  # restamps
    after = (scratch.root / "datapackage.json").read_text(encoding="utf-8")
    changed = [a for a, b in zip(text.splitlines(), after.splitlines()) if a != b]
    assert len(text.splitlines()) == len(after.splitlines()) and len(changed) == 2
    assert all('"bytes"' in line or '"hash"' in line for line in changed)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=8,
)


@given(JSON_VALUES, st.text(" \t\r\n", max_size=3), st.text(" \t\r\n", max_size=3))
def test_stamp_finds_every_value_of_a_descriptor_wherever_white_space_stands(value, before, after):
    text = before + json.dumps(value, separators=(after + "," + before, before + ":" + after)) + after

    def values(v, path=()):
        yield path, v
        items = v.items() if isinstance(v, dict) else enumerate(v) if isinstance(v, list) else ()
        for key, inner in items:
            yield from values(inner, path + (key,))

    where = stamp.spans(text)
    assert {path: json.loads(text[start:end]) for path, (start, end) in where.items()} == dict(values(value))


def test_make_query_passes_the_sql_unexpanded():
    done = subprocess.run(
        ["make", "-s", "query", "SQL=SELECT 'a$HOME' AS x", "FORMAT=csv"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0 and done.stdout.splitlines()[-1] == "a$HOME", done.stderr


def test_a_query_can_be_stopped_by_its_timeout():
    sql = "SELECT count(*) FROM range(100000000000) a"  # a minute of work or more
    done = run_cli("query", "--package", str(ROOT), "--timeout", "0.2", sql)
    assert done.returncode == 1 and "--timeout" in done.stderr


def test_stamp_on_an_unreadable_descriptor_exits_2(scratch):
    raw = (scratch.root / "datapackage.json").read_text(encoding="utf-8").encode("gb18030")
    (scratch.root / "datapackage.json").write_bytes(raw)
    assert cli.main(["stamp", str(scratch.root)]) == 2 and (scratch.root / "datapackage.json").read_bytes() == raw


def test_build_writes_only_inside_its_output_folder(tmp_path):
    written = build.build(ROOT, tmp_path / "out")
    assert all((tmp_path / "out") in p.parents for p in written)
    assert not list((tmp_path / "out").rglob("*.tmp"))


def test_a_remote_profile_is_refused_not_downloaded(scratch):
    d = descriptor(scratch)
    d["profile"] = "https://example.org/my-profile.json"
    save(scratch, d)
    hits = [e for e in scratch.validate()["errors"] if e["rule"] == "unsupported_feature"]
    assert hits and "not downloaded" in hits[0]["message"]


def test_a_schema_outside_the_package_is_never_opened(scratch, tmp_path):
    (tmp_path / "evil.schema.json").write_text('{"fields": [{"name": "SECRET-CANARY"}]}', encoding="utf-8")
    d = descriptor(scratch)
    d["resources"][5]["schema"] = "../evil.schema.json"
    save(scratch, d)
    done = run_cli("validate", str(scratch.root))
    assert done.returncode == 2 and "SECRET-CANARY" not in done.stdout + done.stderr


@pytest.mark.parametrize("cell", ['"Eco"nomy', '"Economy" ', ' "Economy"', 'Eco"no"my', '"Economy'])
def test_quoting_two_readers_would_read_differently_is_refused(scratch, cell):
    path = scratch.root / "data" / "topics.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("economy,Economy,", f"economy,{cell},", 1), encoding="utf-8"
    )
    stamp.stamp(scratch.root)
    hits = [e for e in scratch.validate()["errors"] if e["rule"] == "csv_well_formed"]
    assert [(e["file"], e["line"]) for e in hits] == [("data/topics.csv", 2)]


def test_doubled_quotes_inside_a_quoted_value_are_fine(scratch):
    path = scratch.root / "data" / "topics.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("economy,Economy,", 'economy,"Eco""nomy",', 1), encoding="utf-8"
    )
    stamp.stamp(scratch.root)
    assert scratch.validate()["valid"]


@pytest.mark.parametrize("key", ["title", "created", "licenses", "keywords", "contributors", "sources"])
def test_a_property_the_exports_read_is_required(scratch, key):
    d = descriptor(scratch)
    d.pop(key)
    save(scratch, d)
    assert "package_property" in rules_of(scratch.validate())


def test_a_resource_may_not_take_a_view_name(scratch):
    d = descriptor(scratch)
    extra = dict(d["resources"][9], name="ranks")
    d["resources"].append(extra)
    save(scratch, d)
    assert "resource_name" in rules_of(scratch.validate())


def test_a_field_the_views_read_is_required(scratch):
    path = scratch.root / "schemas" / "indicators.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "unit"]
    path.write_text(json.dumps(schema), encoding="utf-8")
    header, rows = scratch.rows("indicators")
    scratch.write(
        "indicators", [h for h in header if h != "unit"], [{k: v for k, v in r.items() if k != "unit"} for r in rows]
    )
    hits = [e for e in scratch.validate()["errors"] if e["rule"] == "required_field"]
    assert [(e["file"], e["field"]) for e in hits] == [("schemas/indicators.schema.json", "unit")]


def test_frictionless_judges_a_descriptor_by_its_text_not_by_the_files_it_names(scratch):
    """figpack.descriptor keeps one verdict per descriptor text, wherever the package lies: that
    holds while frictionless opens no schema or dialect file to check a descriptor."""
    from frictionless import Package

    (scratch.root / "schemas" / "broken.json").write_text('{"fields": [{"name": 1, "type": "nonsense"}', "utf-8")
    variants = [descriptor(scratch)]
    for key, path in (
        ("schema", "schemas/broken.json"),
        ("dialect", "schemas/broken.json"),
        ("schema", "missing.json"),
    ):
        variants.append(descriptor(scratch))
        variants[-1]["resources"][0][key] = path
    for variant in variants:
        here = Package.validate_descriptor(json.loads(json.dumps(variant)), basepath=str(scratch.root))
        nowhere = Package.validate_descriptor(json.loads(json.dumps(variant)))
        assert [e.message for e in here.errors] == [e.message for e in nowhere.errors]
