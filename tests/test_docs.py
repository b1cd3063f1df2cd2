"""Docs generated from the code stay current, and the README's links resolve."""

import re

import pytest

from figpack.commands import docs
from tests.conftest import ROOT


@pytest.mark.parametrize("name", sorted(docs.README_SECTIONS))
def test_generated_sections_are_current(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    assert docs.render(text, docs.README_SECTIONS[name], ROOT) == text, f"{name} is stale: run 'make docs'"


def test_readme_is_for_researchers_and_short():
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 350


def test_data_dictionary_lists_every_field_of_every_resource():
    readme = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    import json

    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        schema = json.loads((ROOT / resource["schema"]).read_text(encoding="utf-8"))
        section = readme.split(f"### `{resource['path']}`", 1)[1].split("### ", 1)[0]
        assert [m for m in re.findall(r"^\| `([a-z_0-9]+)` \|", section, re.M)] == [f["name"] for f in schema["fields"]]


@pytest.mark.parametrize("name", ["README.md", "README.zh.md", *sorted(p.name for p in (ROOT / "docs").glob("*.md"))])
def test_local_links_resolve(name):
    path = ROOT / name if (ROOT / name).exists() else ROOT / "docs" / name
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8")):
        assert (path.parent / target).exists(), f"{name}: {target}"


def test_readmes_state_the_number_of_observations():
    import csv

    n = sum(1 for _ in csv.DictReader(open(ROOT / "data" / "observations.csv", encoding="utf-8")))
    assert f"({n} rows)" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"（共{n}行）" in (ROOT / "README.zh.md").read_text(encoding="utf-8")


def test_the_readme_quotes_the_benchmark_as_the_bench_wrote_it():
    """make bench --write puts its output in docs/benchmark.md and the README: never typed by hand."""
    pattern = re.compile(r"<!-- BEGIN GENERATED: bench -->\n(.*?)<!-- END GENERATED: bench -->", re.S)
    written = pattern.search((ROOT / "docs" / "benchmark.md").read_text(encoding="utf-8"))
    quoted = pattern.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert written and quoted and written.group(1) == quoted.group(1) and "| 1,000,000 |" in written.group(1)
