"""The package as published: valid for frictionless, for the Data Package v2 profiles and for our validator."""

from __future__ import annotations

import hashlib
import json
import re

import jsonschema
import pytest
from frictionless import Package

from figpack import cli, validation
from tests.conftest import ROOT

SPEC = ROOT.parent / "shared" / "spec" / "datapackage-v2"
DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))


def table_schemas():
    return {r["name"]: json.loads((ROOT / r["schema"]).read_text(encoding="utf-8")) for r in DESCRIPTOR["resources"]}


def test_our_validator_finds_the_package_valid():
    result = validation.validate(ROOT)
    assert result["valid"], result["errors"][:5]
    assert not result["notes"] or "not at hand" in result["notes"][0]


def test_frictionless_validates_the_package():
    report = Package(str(ROOT / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def profile(name):
    path = SPEC / f"{name}.json"
    if not path.exists():
        pytest.skip(f"Data Package v2 profiles not found at {SPEC}")
    return json.loads(path.read_text(encoding="utf-8"))


def test_descriptor_conforms_to_the_v2_profile():
    jsonschema.Draft7Validator(profile("datapackage")).validate(DESCRIPTOR)
    for resource in DESCRIPTOR["resources"]:
        jsonschema.Draft7Validator(profile("dataresource")).validate(resource)


@pytest.mark.parametrize("name", [r["name"] for r in DESCRIPTOR["resources"]])
def test_table_schema_conforms_to_the_v2_profile(name):
    schema = table_schemas()[name]
    jsonschema.Draft7Validator(profile("tableschema")).validate(schema)
    assert schema["$schema"] == "https://datapackage.org/profiles/2.0/tableschema.json"
    # v2 style keys: lists, not v1 strings (frictionless accepts both, the profile's oneOf may not catch it)
    assert isinstance(schema["primaryKey"], list)
    for fk in schema.get("foreignKeys", []):
        assert isinstance(fk["fields"], list) and isinstance(fk["reference"]["fields"], list)


def test_descriptor_claims_v2_and_fetches_nothing():
    assert DESCRIPTOR["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert "profile" not in DESCRIPTOR and all("profile" not in r for r in DESCRIPTOR["resources"])


def test_package_metadata_is_complete():
    for key in (
        "name",
        "title",
        "description",
        "version",
        "created",
        "licenses",
        "sources",
        "contributors",
        "keywords",
    ):
        assert DESCRIPTOR.get(key), key
    assert re.fullmatch(r"\d+\.\d+\.\d+", DESCRIPTOR["version"])
    assert (
        re.search(r"[\u4e00-\u9fff]", DESCRIPTOR["description"])
        and len(re.findall(r"[A-Za-z]+", DESCRIPTOR["description"])) > 20
    )
    assert {lic["name"] for lic in DESCRIPTOR["licenses"]} == {"CC-BY-4.0", "MIT"}


@pytest.mark.parametrize("resource", DESCRIPTOR["resources"], ids=lambda r: r["name"])
def test_resource_is_stamped_and_utf8(resource):
    raw = (ROOT / resource["path"]).read_bytes()
    assert resource["encoding"] == "utf-8"
    assert resource["bytes"] == len(raw)
    assert resource["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize("name,schema", table_schemas().items())
def test_every_field_is_described(name, schema):
    for field in schema["fields"]:
        assert field.get("title") and field.get("description"), f"{name}.{field['name']}"


def test_data_folder_holds_only_described_files():
    described = {r["path"] for r in DESCRIPTOR["resources"]}
    assert {f"data/{p.name}" for p in (ROOT / "data").iterdir()} == described


def test_validation_changes_no_file(tmp_path):
    def digests():
        files = [
            ROOT / "datapackage.json",
            *sorted((ROOT / "data").iterdir()),
            *sorted((ROOT / "schemas").glob("*.json")),
        ]
        return {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}

    before = digests()
    cli.main(["validate", str(ROOT), "--format", "json"])
    assert digests() == before


def test_bench_packages_are_valid(tmp_path):
    """make bench times validation of a valid package: a synthetic one that failed would time the failure report."""
    from figpack import validation
    from scripts import bench

    package = bench.make_package(tmp_path / "bench", 130)
    result = validation.validate(package, None)
    assert result["valid"], result["errors"][:3]
