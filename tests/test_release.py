"""The citable release: CITATION.cff valid (cffconvert, in its own environment), one version
everywhere, citations generated from CITATION.cff, licences stated, a reproducible zip that
validates on its own, and schema.org JSON-LD that parses."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import zipfile

import pytest
import yaml
from frictionless import Package
from pyld import jsonld

from figpack import validation
from figpack.commands import cite, dist
from tests.conftest import ROOT

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
VERSION = DESCRIPTOR["version"]
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
CFFCONVERT = ROOT / ".venv-cff" / "bin" / "cffconvert"


def test_cffconvert_validates_citation_cff():
    if not CFFCONVERT.exists():
        pytest.fail(f"{CFFCONVERT} is missing: 'make test' builds it (make cite-check)")
    done = subprocess.run(
        [str(CFFCONVERT), "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True, text=True
    )
    assert done.returncode == 0 and "valid" in done.stdout, done.stdout + done.stderr


def test_zenodo_metadata_is_generated_from_citation_cff():
    if not CFFCONVERT.exists():
        pytest.fail(f"{CFFCONVERT} is missing: 'make test' builds it (make cite-check)")
    done = subprocess.run(
        [str(CFFCONVERT), "-i", str(ROOT / "CITATION.cff"), "-f", "zenodo"], capture_output=True, text=True
    )
    committed = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert done.returncode == 0 and json.loads(done.stdout) == committed, "run 'make zenodo'"
    assert committed["version"] == CFF["version"] and "doi" not in json.dumps(committed).lower()


def test_citation_cff_cites_the_dataset_and_references_the_report():
    assert CFF["cff-version"] == "1.2.0" and CFF["type"] == "dataset"
    assert "preferred-citation" not in CFF
    (report,) = CFF["references"]
    assert report["type"] == "newspaper-article" and report["year"] == 2023 and report["month"] == 12
    assert [a["family-names"] + a["given-names"] for a in report["authors"]] == ["滑清泉", "杨森"]
    source = next(
        r
        for r in __import__("csv").DictReader(open(ROOT / "data" / "sources.csv", encoding="utf-8"))
        if r["source_id"] == "src-report"
    )
    assert report["title"] == source["title"] and source["sha256"] in report["notes"]


def test_one_version_everywhere():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", changelog, re.M)
    assert released[0] == (VERSION, str(CFF["date-released"]))
    assert str(CFF["version"]) == VERSION
    for readme in ("README.md", "README.zh.md"):
        text = (ROOT / readme).read_text(encoding="utf-8")
        assert f"Version **{VERSION}**" in text and set(
            re.findall(r"\b\d+\.\d+\.\d+\b", text.split("<!-- BEGIN GENERATED: citation -->")[1].split("<!-- END")[0])
        ) == {VERSION}


def test_changelog_keeps_a_changelog():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Changelog") and "## [Unreleased]" in changelog and "keepachangelog.com" in changelog


def test_readme_citations_come_from_citation_cff():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert (
        cite.section(ROOT) in readme
        and cite.package_bibtex(cite.citation(ROOT)) in readme
        and cite.report_bibtex(CFF["references"][0], cite.citation(ROOT)["keys"]) in readme
    )
    assert cite.section(ROOT) in (ROOT / "README.zh.md").read_text(encoding="utf-8")


def test_licences_are_stated_everywhere():
    assert {lic["name"] for lic in DESCRIPTOR["licenses"]} == {"CC-BY-4.0", "MIT"} and CFF["license"] == "CC-BY-4.0"
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "CC-BY-4.0" in (ROOT / "LICENSE-DATA").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "CC-BY-4.0" in readme and "MIT" in readme and "copyright stays with its publisher" in readme


def test_readme_zh_keeps_step_with_the_english_one():
    en, zh = ((ROOT / n).read_text(encoding="utf-8") for n in ("README.md", "README.zh.md"))
    files = lambda text: set(re.findall(r"`(data/[a-z_]+\.csv)`", text))
    assert files(en) == files(zh) == {r["path"] for r in DESCRIPTOR["resources"]}
    for command in ("make validate", "make test", "make query", "make dist"):
        assert command in en and command in zh


@pytest.fixture(scope="session")
def release(dist_dir):
    """The release zip of the session's `make dist` (conftest.dist_dir), beside its sums and JSON-LD."""
    return dist_dir / f"{DESCRIPTOR['name']}-{DESCRIPTOR['version']}.zip"


def test_release_zip_is_reproducible(release, tmp_path):
    first = hashlib.sha256(release.read_bytes()).hexdigest()
    again = dist.dist(ROOT, tmp_path)
    assert hashlib.sha256(again.read_bytes()).hexdigest() == first
    assert (release.parent / "SHA256SUMS").read_text(encoding="utf-8") == f"{first}  {release.name}\n"


def test_release_zip_holds_the_package_and_its_sums(release):
    with zipfile.ZipFile(release) as archive:
        names = {n.split("/", 1)[1] for n in archive.namelist()}
        folder = archive.namelist()[0].split("/", 1)[0]
        sums = archive.read(f"{folder}/SHA256SUMS").decode()
        for line in sums.splitlines():
            digest, name = line.split("  ")
            assert hashlib.sha256(archive.read(f"{folder}/{name}")).hexdigest() == digest
    assert folder == f"{DESCRIPTOR['name']}-{VERSION}"
    assert {"datapackage.json", "CITATION.cff", "LICENSE", "LICENSE-DATA", "README.md", "SHA256SUMS"} <= names
    assert {r["path"] for r in DESCRIPTOR["resources"]} <= names and {
        r["schema"] for r in DESCRIPTOR["resources"]
    } <= names


def test_unzipped_release_validates_on_its_own(release, tmp_path):
    with zipfile.ZipFile(release) as archive:
        archive.extractall(tmp_path)
    package = tmp_path / f"{DESCRIPTOR['name']}-{VERSION}"
    assert Package(str(package / "datapackage.json")).validate().valid
    result = validation.validate(package)
    assert result["valid"], result["errors"][:3]


def test_jsonld_parses_and_names_licence_version_creator_and_files(release):
    doc = json.loads((release.parent / "datapackage.jsonld").read_text(encoding="utf-8"))
    expanded = jsonld.expand(doc)  # inline @context: no network needed
    (dataset,) = expanded
    s = "https://schema.org/"
    assert dataset["@type"] == [s + "Dataset"]
    assert dataset[s + "version"][0]["@value"] == VERSION
    assert {lic[s + "name"][0]["@value"] for lic in dataset[s + "license"]} == {"CC-BY-4.0", "MIT"}
    assert dataset[s + "creator"][0][s + "name"][0]["@value"] == DESCRIPTOR["contributors"][0]["title"]
    urls = {d[s + "contentUrl"][0]["@value"] for d in dataset[s + "distribution"]}
    assert {r["path"] for r in DESCRIPTOR["resources"]} | {release.name} == urls
