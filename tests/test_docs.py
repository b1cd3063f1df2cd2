"""Docs generated from the code stay current, and the README's links resolve."""

import re

from figpack.commands import docs
from tests.conftest import ROOT


def test_readme_generated_sections_are_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert docs.render(readme, docs.README_SECTIONS["README.md"], ROOT) == readme, "README.md is stale: run 'make docs'"


def test_readme_dictionary_lists_every_field_of_every_resource():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    import json

    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        schema = json.loads((ROOT / resource["schema"]).read_text(encoding="utf-8"))
        section = readme.split(f"### `{resource['path']}`", 1)[1].split("### ", 1)[0]
        assert [m for m in re.findall(r"^\| `([a-z_0-9]+)` \|", section, re.M)] == [f["name"] for f in schema["fields"]]


def test_readme_local_links_resolve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:]+)\)", readme):
        assert (ROOT / target).exists(), target


def test_readmes_state_the_number_of_observations():
    import csv

    n = sum(1 for _ in csv.DictReader(open(ROOT / "data" / "observations.csv", encoding="utf-8")))
    assert f"({n} rows)" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"（共{n}行）" in (ROOT / "README.zh.md").read_text(encoding="utf-8")
