"""The revision trail: make diff lists figure-level changes between versions read from a git ref,
a release zip or a folder; the CHANGELOG's list for this release is that diff against 1.0.0; the
review log of the second reading covers every row."""

from __future__ import annotations

import csv
import re
import subprocess

import pytest

from figpack.commands import diff, dist
from tests.conftest import ROOT

RELEASE_1_0_0 = "9cd21ab49fd12e5441c62e8adb2a656cc7c42e1b"  # the commit of 1.0.0 (README, "Revision trail")
RELEASE_2_0_0 = "71523d321dd89aadd338574251475ee3e825a353"  # the commit of 2.0.0 (CHANGELOG)


def have_commit(ref: str) -> bool:
    found = subprocess.run(["git", "cat-file", "-e", f"{ref}^{{commit}}"], cwd=ROOT, capture_output=True)
    return found.returncode == 0


needs_1_0_0 = pytest.mark.skipif(
    not have_commit(RELEASE_1_0_0),
    reason=f"1.0.0's commit {RELEASE_1_0_0[:7]} is not in this clone (a shallow clone): the diff needs git history",
)
needs_2_0_0 = pytest.mark.skipif(
    not have_commit(RELEASE_2_0_0),
    reason=f"2.0.0's commit {RELEASE_2_0_0[:7]} is not in this clone (a shallow clone): the diff needs git history",
)


def changelog_list(version: str) -> str:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.search(rf"<!-- BEGIN GENERATED: diff from {version} -->\n(.*?)\n<!-- END", text, re.S).group(1)


@needs_1_0_0
def test_changelog_lists_exactly_the_changes_of_2_0_0():
    _, old = diff.observations(RELEASE_1_0_0)
    _, new = diff.observations(RELEASE_2_0_0)
    assert diff.render(diff.changes(old, new), "markdown") == changelog_list("1.0.0")


@needs_2_0_0
def test_changelog_lists_exactly_the_changes_since_2_0_0():
    _, old = diff.observations(RELEASE_2_0_0)
    _, new = diff.observations(str(ROOT))
    assert diff.render(diff.changes(old, new), "markdown") == changelog_list("2.0.0")


@needs_1_0_0
def test_diff_from_1_0_0_shows_the_corrections_of_the_second_reading():
    version, old = diff.observations(RELEASE_1_0_0)
    found = {(k, kind) for k, kind, _ in diff.changes(old, diff.observations(str(ROOT))[1])}
    assert version == "1.0.0" and len(old) == 53
    assert {
        ("provincial-leader-endorsements-2023", "changed period"),
        ("tertiary-va-growth-rank-2023q1q3", "changed evidence"),
        ("schools-built-2023", "changed evidence"),
        ("heavy-pollution-days-rank-2023", "changed value"),
        ("business-env-rank-trend", "added"),
        ("badao-base-praise-2023-10", "added"),
    } <= found


def test_a_version_against_itself_has_no_change(tmp_path):
    zipped = dist.dist(ROOT, tmp_path)
    _, from_zip = diff.observations(str(zipped))
    _, from_folder = diff.observations(str(ROOT))
    assert from_zip == from_folder and diff.changes(from_zip, from_folder) == []


def test_each_kind_of_change_is_named():
    old = {"a": {"value_printed": "5", "period_status": "year_only", "evidence": "第5位"}, "gone": {}}
    new = {"a": {"value_printed": "6", "period_status": "year_only", "evidence": "第6位", "inference": "order"}}
    new["new"] = {"value_printed": "7"}
    kinds = [(k, kind) for k, kind, _ in diff.changes(old, new)]
    assert kinds == [
        ("a", "changed value"),
        ("a", "changed status"),
        ("a", "changed evidence"),
        ("gone", "removed"),
        ("new", "added"),
    ]


@pytest.mark.parametrize("where", ["x;rm -rf", "--help", "main..other", "no-such-ref-anywhere"])
def test_a_bad_from_is_refused_in_one_line(where):
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "figpack.cli", "diff", "--", where],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_make_diff_passes_from_unexpanded():
    done = subprocess.run(
        ["make", "-s", "diff", "FROM=$(shell touch /tmp/owned)x"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 2 and "not a zip, a folder or a git ref" in done.stderr


def review_log() -> list[dict]:
    with open(ROOT / "review" / "second-reading.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_review_log_covers_every_row_once():
    def keys(name, key):
        with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
            return [key(r) for r in csv.DictReader(f)]

    expected = {
        "observations": keys("observations", lambda r: r["obs_id"]),
        "indicators": keys("indicators", lambda r: r["indicator_id"]),
        "restatements": keys("restatements", lambda r: f"{r['obs_id']}@{r['evidence_start']}"),
        "projects": keys("projects", lambda r: r["project_id"]),
        "glossary": keys("glossary", lambda r: r["term_id"]),
    }
    log = review_log()
    assert {r["outcome"] for r in log} <= {"confirmed", "corrected", "flagged", "added"}
    for table, ids in expected.items():
        assert sorted(r["row_id"] for r in log if r["table"] == table) == sorted(ids), table


@needs_1_0_0
def test_review_log_and_diff_agree_on_what_changed():
    _, old = diff.observations(RELEASE_1_0_0)
    changed = {k for k, _, _ in diff.changes(old, diff.observations(str(ROOT))[1])}
    touched = {r["row_id"] for r in review_log() if r["table"] == "observations" and r["outcome"] != "confirmed"}
    assert changed == touched
