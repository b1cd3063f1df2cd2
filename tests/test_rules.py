"""Each rule of engine/rules/ (and each kind of Table Schema constraint) rejects a crafted bad row,
and the report names the file, the CSV line, the field and the rule."""

from __future__ import annotations

import json
import threading

import pytest

import figpack.rules  # noqa: F401
from figpack.registry import RULES
from tests.conftest import SOURCE

OBS = "data/observations.csv"


def breaks(scratch, resource, key, **changes):
    line = scratch.edit(resource, key, **changes)
    return line, scratch.validate()


def assert_reported(result, rule, file, line, field):
    hits = [e for e in result["errors"] if e["rule"] == rule]
    assert hits, f"rule {rule} did not fire; got {[(e['rule'], e['line']) for e in result['errors']]}"
    assert any(e["file"] == file and e["line"] == line and e["field"] == field for e in hits), hits
    assert not result["valid"]


# (rule, resource, key of the row to break, changes, field the report must name)
CASES = [
    (
        "rank_within_universe",
        "observations",
        "gdp-level-rank-2023q1q3",
        dict(value=19, value_printed=19, value_base=19),
        "value",
    ),
    ("rank_has_universe", "observations", "gdp-level-rank-2023q1q3", dict(rank_direction=""), "rank_direction"),
    ("rank_has_universe", "observations", "new-enterprises-2023", dict(rank_universe="henan-18"), "rank_universe"),
    ("qualifier_matches_evidence", "observations", "air-quality-rank-2023", dict(qualifier=""), "qualifier"),
    ("qualifier_matches_evidence", "observations", "gdp-level-rank-2023q1q3", dict(qualifier="at_most"), "qualifier"),
    ("bounded_rank_within_universe", "observations", "air-quality-rank-2023", dict(value=18, value_base=18), "value"),
    (
        "value_within_measure_range",
        "observations",
        "no-meeting-approval-share-2023",
        dict(value="100.96", value_base="100.96"),
        "value",
    ),
    (
        "value_within_measure_range",
        "observations",
        "industrial-investment-growth-2023m1m11",
        dict(value="-127.2", value_base="-127.2"),
        "value",
    ),
    ("value_within_measure_range", "observations", "rd-coverage-change-2023", dict(value=150, value_base=150), "value"),
    (
        "unit_printed_matches_measure",
        "observations",
        "no-meeting-approval-share-2023",
        dict(unit_printed="个"),
        "unit_printed",
    ),
    (
        "universe_matches_code_list",
        "observations",
        "gdp-level-rank-2023q1q3",
        dict(rank_universe_source_id="src-report"),
        "rank_universe_source_id",
    ),
    (
        "foreign_keys_resolve",
        "observations",
        "gdp-level-rank-2023q1q3",
        dict(rank_universe="henan-17"),
        "rank_universe",
    ),
    (
        "value_base_comparable",
        "observations",
        "new-market-entities-2023",
        dict(value="1" * 28, value_printed="1" * 28, unit_multiplier=4, value_base="1" * 32),
        "value_base",
    ),
    ("type_boolean", "measures", "rank", dict(numeric="yes"), "numeric"),
    (
        "whole_number_counts",
        "observations",
        "schools-built-2023",
        dict(value="156.5", value_base="156.5"),
        "value_base",
    ),
    (
        "whole_number_counts",
        "observations",
        "tertiary-hospitals-2023",
        dict(value="-13", value_base="-13"),
        "value_base",
    ),
    ("value_matches_measure", "observations", "healthy-city-model-2023", dict(value=1), "value"),
    ("value_matches_measure", "observations", "schools-built-2023", dict(value_base=""), "value_base"),
    (
        "parts_within_whole",
        "observations",
        "new-enterprises-2023",
        dict(value="12.15", value_printed="12.15", value_base=121500),
        "value_base",
    ),
    (
        "parts_within_whole",
        "observations",
        "key-project-evaluation-seconds",
        dict(value=3, value_base=3, value_printed="三"),
        "value_base",
    ),
    (
        "addition_within_stock",
        "observations",
        "academicians-recruited-2023",
        dict(value=30, value_printed=30, value_base=30),
        "value_base",
    ),
    (
        "change_has_possible_base",
        "observations",
        "pharma-valley-projects-change-2023-11-30",
        dict(value=90, value_printed=90, value_base=90),
        "value_base",
    ),
    (
        "change_has_possible_base",
        "observations",
        "rd-coverage-change-2023",
        dict(value=85, value_printed=85, value_base=85),
        "value_base",
    ),
    (
        "total_covers_item_minimum",
        "observations",
        "signed-projects-investment-2023m1m11",
        dict(value=327, value_printed=327, value_base=32700000000),
        "value_base",
    ),
    ("relation_has_target", "indicators", "new_enterprises", dict(related_indicator_id=""), "related_indicator_id"),
    (
        "base_equals_value_times_multiplier",
        "observations",
        "new-market-entities-2023",
        dict(value_base=103000),
        "value_base",
    ),
    (
        "base_equals_value_times_multiplier",
        "observations",
        "signed-projects-investment-2023m1m11",
        dict(value_base="232700000001"),
        "value_base",
    ),
    (
        "unit_matches_multiplier",
        "observations",
        "new-market-entities-2023",
        dict(unit_multiplier=8, value_base=1038000000),
        "unit_multiplier",
    ),
    ("unit_matches_multiplier", "observations", "school-places-added-2023", dict(unit_base="户"), "unit_base"),
    (
        "unit_matches_indicator",
        "observations",
        "new-enterprises-2023",
        dict(unit_printed="万个", unit_base="个"),
        "unit_base",
    ),
    ("value_as_printed", "observations", "new-market-entities-2023", dict(value="10.380"), "value"),
    ("value_as_printed", "observations", "key-project-evaluations", dict(value=5, value_base=5), "value"),
    (
        "value_as_printed",
        "observations",
        "heavy-pollution-days-rank-2023",
        dict(status="reported", status_reason=""),
        "status",
    ),
    (
        "evidence_contains_value",
        "observations",
        "new-market-entities-2023",
        dict(value="10.39", value_printed="10.39", value_base=103900),
        "evidence",
    ),
    (
        "evidence_contains_value",
        "observations",
        "gdp-growth-rank-2023q1q3",
        dict(value=15, value_printed=15, value_base=15),
        "evidence",
    ),
    (
        "evidence_offsets_consistent",
        "observations",
        "new-market-entities-2023",
        dict(evidence_end=1456),
        "evidence_end",
    ),
    (
        "evidence_in_source",
        "observations",
        "new-market-entities-2023",
        dict(evidence_start=1440, evidence_end=1453),
        "evidence",
    ),
    ("reason_for_inference", "observations", "heavy-pollution-days-rank-2023", dict(status_reason=""), "status_reason"),
    ("reason_for_inference", "observations", "gdp-level-rank-2023q1q3", dict(status_reason="a guess"), "status_reason"),
    (
        "period_start_before_end",
        "observations",
        "gdp-level-rank-2023q1q3",
        dict(period_start="2023-10-01"),
        "period_end",
    ),
    (
        "period_matches_status",
        "observations",
        "new-market-entities-2023",
        dict(period_start="2023-01-01", period_end="2023-12-31"),
        "period_start",
    ),
    (
        "period_matches_status",
        "observations",
        "hqd-performance-rank-2023m1m11",
        dict(period_printed="", period_end=""),
        "period_end",
    ),
    (
        "period_matches_printed",
        "observations",
        "provincial-leader-endorsements-2023",
        dict(period_end="2023-12-31"),
        "period_end",
    ),
    ("period_matches_printed", "observations", "hqd-performance-rank-2023m1m11", dict(period_end=""), "period_end"),
    ("reason_for_inference", "observations", "rd-coverage-rank-2023", dict(note=""), "note"),
    (
        "rank_has_universe",
        "observations",
        "gdp-level-rank-2023q1q3",
        dict(rank_universe_status=""),
        "rank_universe_status",
    ),
    ("value_matches_measure", "observations", "gdp-level-rank-2023q1q3", dict(unit_printed=""), "unit_printed"),
    (
        "corroboration_found_or_not",
        "corroborations",
        "gdp-level-rank-2023q1q3-none",
        dict(value_printed="全省第 6"),
        "value_printed",
    ),
    (
        "corroboration_found_or_not",
        "corroborations",
        "business-env-rank-2023-committee-2023",
        dict(evidence=""),
        "evidence",
    ),
    (
        "corroboration_covers_every_figure",
        "corroborations",
        "gdp-level-rank-2023q1q3-none",
        dict(obs_id="business-env-rank-2023"),
        "verdict",
    ),
    (
        "corroboration_source_described",
        "corroborations",
        "business-env-rank-2023-committee-2023",
        dict(source_id="src-report"),
        "source_id",
    ),
    (
        "corroboration_source_described",
        "corroborations",
        "business-env-rank-2023-committee-2023",
        dict(source_id="src-henan-18"),
        "source_id",
    ),
    ("verdict_matches_figures", "corroborations", "business-env-rank-2023-committee-2023", dict(value=6), "verdict"),
    (
        "verdict_matches_figures",
        "corroborations",
        "business-env-rank-2023-committee-2023",
        dict(verdict="differs"),
        "verdict",
    ),
    (
        "verdict_matches_figures",
        "corroborations",
        "gdp-growth-rank-2023q1q3-committee-2023",
        dict(verdict="agrees"),
        "verdict",
    ),
    (
        "verdict_matches_figures",
        "corroborations",
        "business-env-rank-2023-committee-2023",
        dict(verdict="other_period"),
        "verdict",
    ),
    (
        "verdict_matches_figures",
        "corroborations",
        "provincial-leader-praise-2023-10-committee-2023",
        dict(value_printed="评价", evidence="给予高度评价"),
        "verdict",
    ),
    ("verdict_matches_figures", "corroborations", "business-env-rank-2023-committee-2023", dict(value=""), "value"),
    (
        "corroboration_period_and_span",
        "corroborations",
        "business-env-rank-2023-committee-2023",
        dict(evidence="营商环境评价全省第"),
        "evidence",
    ),
    (
        "corroboration_period_and_span",
        "corroborations",
        "provincial-leader-praise-2023-10-committee-2023",
        dict(period_start=""),
        "period_start",
    ),
    ("period_matches_status", "observations", "new-market-entities-2023", dict(reference_year=""), "reference_year"),
    (
        "period_within_report_year",
        "observations",
        "hqd-performance-rank-2023m1m11",
        dict(period_end="2024-01-31"),
        "period_end",
    ),
    (
        "period_within_report_year",
        "observations",
        "new-market-entities-2023",
        dict(reference_year=2022),
        "reference_year",
    ),
    (
        "foreign_keys_resolve",
        "observations",
        "new-market-entities-2023",
        dict(indicator_id="new_market_entity"),
        "indicator_id",
    ),
    (
        "foreign_keys_resolve",
        "observations",
        "hengdu-beef-4-total-investment",
        dict(project_id="hengdu-beef-5"),
        "project_id",
    ),
    (
        "foreign_keys_resolve",
        "glossary",
        "liangge-quebao",
        dict(definition_source_id="src-nowhere"),
        "definition_source_id",
    ),
    ("period_matches_printed", "observations", "gdp-level-rank-2023q1q3", dict(period_end="2023-10-31"), "period_end"),
    (
        "period_matches_printed",
        "observations",
        "hqd-performance-rank-2023m1m11",
        dict(period_start="2023-02-01"),
        "period_start",
    ),
    (
        "period_matches_printed",
        "observations",
        "hqd-performance-rank-2023m1m11",
        dict(period_status="year_only", period_start="", period_end=""),
        "period_status",
    ),
    (
        "period_matches_printed",
        "observations",
        "gdp-level-rank-2023q1q3",
        dict(period_printed="前两季度"),
        "period_printed",
    ),
    ("foreign_keys_resolve", "observations", "new-market-entities-2023", dict(area_code="411701"), "area_code"),
    ("area_name_matches_code", "observations", "new-market-entities-2023", dict(area_name="信阳市"), "area_name"),
    (
        "universe_matches_code_list",
        "observations",
        "gdp-level-rank-2023q1q3",
        dict(rank_universe_size=17),
        "rank_universe_size",
    ),
    (
        "rank_direction_matches_indicator",
        "observations",
        "heavy-pollution-days-rank-2023",
        dict(rank_direction="highest_first"),
        "rank_direction",
    ),
    ("project_status_as_printed", "projects", "pingmei-shenma-nmp", dict(status="in_production"), "status"),
    ("project_status_as_printed", "projects", "super-factory-1", dict(status_printed="投产"), "evidence"),
    ("outside_definition_cited", "glossary", "liangge-quebao", dict(definition_source_id=""), "definition_source_id"),
    ("outside_definition_cited", "glossary", "593460", dict(definition_source_id="src-report"), "definition_source_id"),
    ("term_in_evidence", "glossary", "sange-yipi", dict(term_zh="四个一批"), "evidence"),
    # Table Schema constraints, enforced by pandera schemas built from the Table Schemas
    ("type_number", "observations", "new-market-entities-2023", dict(value="ten"), "value"),
    ("type_integer", "observations", "new-market-entities-2023", dict(evidence_start="1455.5"), "evidence_start"),
    ("type_date", "observations", "hqd-performance-rank-2023m1m11", dict(period_end="2023-11-31"), "period_end"),
    ("required", "observations", "new-market-entities-2023", dict(status=""), "status"),
    ("enum", "observations", "new-market-entities-2023", dict(period_status="guessed"), "period_status"),
    ("enum", "observations", "new-market-entities-2023", dict(unit_multiplier=3), "unit_multiplier"),
    ("pattern", "observations", "new-market-entities-2023", dict(area_code="4117"), "area_code"),
    ("pattern", "observations", "new-market-entities-2023", dict(obs_id="New Market"), "obs_id"),
    ("length", "observations", "new-market-entities-2023", dict(evidence="新设经营主体10.38万户" * 4), "evidence"),
    ("unique", "observations", "new-market-entities-2023", dict(obs_id="new-enterprises-2023"), "obs_id"),
    ("minimum", "observations", "new-market-entities-2023", dict(evidence_start=-1), "evidence_start"),
    # official statistics: each rank beside the rank recomputed from official figures
    (
        "rank_check_for_every_rank",
        "rank_checks",
        "gdp-level-rank-2023q1q3",
        dict(obs_id="new-market-entities-2023"),
        "obs_id",
    ),
    ("rank_check_shape", "rank_checks", "gdp-level-rank-2023q1q3", dict(recomputed_rank=""), "recomputed_rank"),
    ("rank_check_shape", "rank_checks", "business-env-rank-2023", dict(verdict="differs"), "verdict"),
    (
        "recomputed_rank_from_official_figures",
        "rank_checks",
        "gdp-level-rank-2023q1q3",
        dict(recomputed_rank=6),
        "recomputed_rank",
    ),
    (
        "recomputed_rank_from_official_figures",
        "rank_checks",
        "gdp-level-rank-2023q1q3",
        dict(units_ranked=18),
        "units_ranked",
    ),
    (
        "recomputed_rank_from_official_figures",
        "rank_checks",
        "air-quality-rank-2023",
        dict(official_indicator_id="pm25_mean"),
        "tied_with",
    ),
    ("rank_check_verdict", "rank_checks", "gdp-level-rank-2023q1q3", dict(verdict="differs"), "verdict"),
    ("rank_check_verdict", "rank_checks", "air-quality-rank-2023", dict(verdict="agrees"), "verdict"),
    ("official_area_name_matches_code", "official_figures", "gdp-411700-2023", dict(area_name="周口市"), "area_name"),
    (
        "unique_key",
        "official_figures",
        "gdp-411700-2023",
        dict(area_code="411600", area_name="周口市"),
        "indicator_id,area_code,period_start,period_end",
    ),
]


def keep_only_what_the_rule_reads(scratch, rule: str, resource: str) -> None:
    """The package less every resource but the ones the rule needs, the one it reports on and
    sources (which vouches for the source text). A rule sees the tables it declares: one that read
    another would stop there (rule_cannot_run) and its case would fail. A rule over every table
    (foreign keys) keeps them all."""
    needs = next((r.needs for r in RULES if r.name == rule), ())  # a Table Schema check: its own table
    if rule in {r.name for r in RULES} and not needs:
        return
    path = scratch.root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    kept = {resource, "sources", *needs}
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in kept]
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("rule,resource,key,changes,field", CASES, ids=[f"{c[0]}:{c[2]}" for c in CASES])
def test_rule_rejects_crafted_row(scratch, rule, resource, key, changes, field):
    """Each case on its own, in the smallest package its rule runs on: the rule sees there what it
    sees in the whole package, for a quarter of the validation (every case broken in the whole
    package at once: the test below)."""
    if rule == "evidence_in_source" and not SOURCE.exists():
        pytest.skip(
            f"source transcription not found at {SOURCE}: evidence_in_source needs ../shared/source/ beside the project"
        )
    line = scratch.edit(resource, key, **changes)
    keep_only_what_the_rule_reads(scratch, rule, resource)
    assert_reported(scratch.validate(), rule, f"data/{resource}.csv", line, field)


def test_every_rule_has_a_crafted_case():
    crafted = {c[0] for c in CASES} | {
        "every_indicator_used",
        "one_row_per_figure",
        "restatement_agrees",
        "primary_key_unique",
        "number_precision",  # tests/test_hostile.py
        "official_figure_in_table",  # below: it needs the yearbook's tables
    }
    assert {r.name for r in RULES} <= crafted


def test_unused_indicator_is_an_orphan(scratch):
    header, rows = scratch.rows("indicators")
    rows.append(dict(rows[0], indicator_id="orphan_indicator"))
    scratch.write("indicators", header, rows)
    assert_reported(scratch.validate(), "every_indicator_used", "data/indicators.csv", len(rows) + 1, "indicator_id")


def test_same_figure_twice_is_one_row_too_many(scratch):
    header, rows = scratch.rows("observations")
    copy = dict(
        next(r for r in rows if r["obs_id"] == "new-market-entities-2023"), obs_id="new-market-entities-2023-again"
    )
    rows.append(copy)
    scratch.write("observations", header, rows)
    assert_reported(scratch.validate(), "one_row_per_figure", OBS, len(rows) + 1, "obs_id")


def test_restatement_must_print_the_same_value(scratch):
    header, rows = scratch.rows("restatements")
    index = next(i for i, r in enumerate(rows) if r["obs_id"] == "academicians-total-2023")
    rows[index]["obs_id"] = "academicians-recruited-2023"  # that place prints 29, not 6
    scratch.write("restatements", header, rows)
    assert_reported(scratch.validate(), "restatement_agrees", "data/restatements.csv", index + 2, "evidence")


def test_composite_primary_key_is_unique(scratch):
    header, rows = scratch.rows("restatements")
    rows.append(dict(rows[0]))
    scratch.write("restatements", header, rows)
    result = scratch.validate()
    assert any(e["rule"] == "primary_key_unique" and e["file"] == "data/restatements.csv" for e in result["errors"])


def test_every_failure_is_reported_in_one_run(scratch):
    scratch.edit("observations", "new-market-entities-2023", value_base=103000)
    scratch.edit("observations", "academicians-recruited-2023", value=30, value_printed=30, value_base=30)
    scratch.edit("indicators", "new_enterprises", related_indicator_id="")
    rules = {e["rule"] for e in scratch.validate()["errors"]}
    assert {"base_equals_value_times_multiplier", "addition_within_stock", "relation_has_target"} <= rules


def test_line_numbers_count_quoted_line_breaks(scratch):
    # projects.csv has a span with a page break inside quotes, so rows after it start lower down
    header, rows = scratch.rows("projects")
    last = rows[-1]["project_id"]
    line = scratch.edit("projects", last, status="finished")
    assert line > len(rows) + 1
    assert_reported(scratch.validate(), "enum", "data/projects.csv", line, "status")


YEARBOOK = SOURCE.parent / "city-yearbook-2024"


def test_an_official_figure_not_in_its_table_copy_is_reported(scratch):
    """The copies are looked for beside the package, as the transcription is: here a copy of them."""
    import shutil

    if not YEARBOOK.is_dir():
        pytest.skip(f"yearbook tables not found at {YEARBOOK}: official figures cannot be checked against them here")
    shutil.copytree(YEARBOOK, scratch.root.parent / "shared" / "source" / YEARBOOK.name)
    assert scratch.validate(None)["valid"]
    line = scratch.edit("official_figures", "gdp_growth-411700-2023", value_printed="4.5", value="4.5")
    assert_reported(
        scratch.validate(None), "official_figure_in_table", "data/official_figures.csv", line, "value_printed"
    )
    (scratch.root.parent / "shared" / "source" / YEARBOOK.name / "t2-05-air-water-waste.csv").write_text("edited")
    errors = scratch.validate(None)["errors"]
    assert {(e["rule"], e["file"]) for e in errors} >= {("copy_hash_matches", "data/sources.csv")}


def test_a_package_edited_between_two_validations_in_one_process_is_checked_again(scratch):
    """Rule failures of a small package are remembered by its bytes: an edit is seen, and undoing it is too."""
    assert scratch.validate()["valid"]
    header, rows = scratch.rows("observations")
    line = scratch.edit("observations", "no-meeting-approval-share-2023", unit_printed="个")
    assert_reported(scratch.validate(), "unit_printed_matches_measure", OBS, line, "unit_printed")
    scratch.write("observations", header, rows)
    assert scratch.validate()["valid"]


def test_every_crafted_failure_at_once_is_reported_alike_on_the_paths_for_large_tables(scratch, monkeypatch):
    """Every case above broken in one package, validated as it is (small tables: Python sets and
    dicts, remembered readings) and with every path for large tables forced (files read in blocks
    while scanned, keys numbered by pyarrow part by part, rules grouped by integer codes, field
    checks beside the rules or after them): the same report, failure for failure."""
    from figpack import fields, files, frames, validation

    for _, resource, key, changes, _ in CASES:
        try:
            scratch.edit(resource, key, **changes)
        except KeyError:
            pass  # an earlier case changed the key: that row is broken enough
    _, rows = scratch.rows("observations")
    scratch.edit("observations", rows[-1]["obs_id"], obs_id=rows[-2]["obs_id"])
    small = scratch.validate()
    fired = {e["rule"] for e in small["errors"]}
    assert len(fired) >= 40, sorted(fired)
    assert "unique" in fired  # a repeated id: counted by its key's numbering on the large paths
    for memo in (files._READ, validation._CHECKED, validation._RULED):
        memo.clear()  # nothing read, checked or ruled on before is reused
    monkeypatch.setattr(files, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(files, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(frames, "SMALL_ROWS", -1)
    monkeypatch.setattr(frames, "PARTITIONED_ROWS", 0)
    assert scratch.validate() == small
    # files past 512 bytes taken as large: their field checks beside the rules, then after them
    on_main, checked = [], fields._checked
    monkeypatch.setattr(
        fields,
        "_checked",
        lambda *a: on_main.append(threading.current_thread() is threading.main_thread()) or checked(*a),
    )
    monkeypatch.setattr(files, "HEAD_BYTES", 512)
    assert scratch.validate() == small
    assert False in on_main  # some field checks ran beside the rules
    on_main.clear()
    monkeypatch.setattr(validation, "OVERLAP_BYTES", 0)
    assert scratch.validate() == small
    assert on_main and all(on_main)
