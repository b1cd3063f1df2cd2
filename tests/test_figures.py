"""The figures themselves, checked against a list kept by hand from the report (an oracle independent of the CSVs)."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from tests.conftest import ROOT

Q3, M11, NOV = ("2023-01-01", "2023-09-30"), ("2023-01-01", "2023-11-30"), ("2023-11-30", "2023-11-30")
# indicator: (value in base units, base unit, (start, end) or period status)
EXPECTED = {
    "gdp_level_rank": ("6", "位", Q3),
    "gdp_growth_rank": ("5", "位", Q3),
    "tertiary_va_growth_rank": ("1", "位", Q3),
    "hqd_performance_rank": ("4", "位", M11),
    "rd_coverage_rate": ("81.9", "%", "year_only"),
    "rd_coverage_change": ("15", "个百分点", "year_only"),
    "rd_coverage_rank": ("3", "位", "year_only"),
    "academicians_recruited": ("6", "名", "year_only"),
    "academicians_total": ("29", "名", "year_only"),
    "no_meeting_approval_share": ("99.96", "%", "year_only"),
    "no_meeting_approval_rank": ("1", "位", "year_only"),
    "enterprise_issue_resolution_rate": ("99.9", "%", "year_only"),
    "new_market_entities": ("103800", "户", "year_only"),
    "new_enterprises": ("21500", "户", "year_only"),
    "new_enterprises_growth": ("15.55", "%", "year_only"),
    "signed_projects_100m": ("401", "个", M11),
    "signed_projects_investment": ("232700000000", "元", M11),
    "out_of_province_funds_growth": ("8.79", "%", M11),
    "out_of_province_funds_growth_rank": ("5", "位", M11),
    "schools_built": ("156", "所", "year_only"),
    "school_places_added": ("114600", "个", "year_only"),
    "large_class_elimination_rank": ("1", "位", "year_only"),
    "tertiary_hospitals": ("13", "所", "year_only"),
    "air_quality_rank": ("2", "位", "year_only"),
    "heavy_pollution_days_rank": ("1", "位", "year_only"),
    "soil_water_conservation_rank": ("1", "位", "year_only"),
    "sangeyipi_rounds": ("10", "期", "unknown"),
    "sangeyipi_projects": ("383", "个", "unknown"),
    "sangeyipi_start_rate": ("100", "%", "unknown"),
    "key_project_evaluations": ("4", "次", "unknown"),
    "key_project_evaluation_firsts": ("2", "次", "unknown"),
    "key_project_evaluation_seconds": ("2", "次", "unknown"),
    "provincial_key_projects_rank": ("4", "位", "year_only"),
    "provincial_key_projects_investment_rank": ("4", "位", "year_only"),
    "industrial_investment_growth": ("27.2", "%", M11),
    "industrial_investment_growth_rank": ("3", "位", M11),
    "pharma_valley_projects": ("85", "个", NOV),
    "pharma_valley_projects_change": ("34", "个", NOV),
    "project_months_to_production": ("2", "个月", "year_only"),
    "project_total_investment": ("1600000000", "元", "unknown"),
    "project_annual_output_capacity": ("12000000000", "元", "unknown"),
    "biomedicine_cluster_target": ("100000000000", "元", "unknown"),
    "key_industrial_chains": ("15", "个", "unknown"),
}
BUSINESS_ENV_RANKS = {"7": "unknown", "6": "unknown", "5": "year_only"}  # 三年来: 7th, then 6th, then 5th (2023)
WORDS = {
    "academician_economy_promoted",
    "healthy_city_model",
    "sangeyipi_production",
    "project_claim",
    "provincial_leader_praise",
    "provincial_leader_endorsements",
    "business_env_rank_trend",
    "project_practice_praise",
}


def observations():
    with open(ROOT / "data" / "observations.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


OBS = observations()


@pytest.mark.parametrize("indicator", EXPECTED)
def test_figure_has_the_reported_value_unit_and_period(indicator):
    (row,) = [r for r in OBS if r["indicator_id"] == indicator]
    value, unit, period = EXPECTED[indicator]
    assert Decimal(row["value_base"]) == Decimal(value) and row["value_base"] == value
    assert row["unit_base"] == unit
    if isinstance(period, tuple):
        assert (row["period_start"], row["period_end"]) == period and row["period_status"] in ("stated", "inferred")
    else:
        assert row["period_status"] == period and not row["period_start"] and not row["period_end"]


def test_business_environment_ranks_rise_from_7th_to_5th():
    ranks = {r["value"]: r["period_status"] for r in OBS if r["indicator_id"] == "business_env_rank"}
    assert ranks == BUSINESS_ENV_RANKS


def test_claims_without_a_number_are_kept():
    kept = {r["indicator_id"] for r in OBS if not r["value"]}
    assert kept == WORDS


def test_every_figure_is_there_and_nothing_else():
    assert {r["indicator_id"] for r in OBS} == set(EXPECTED) | WORDS | {"business_env_rank"}
    claims = {r["obs_id"] for r in OBS if r["indicator_id"] == "project_claim"}
    assert claims == {"hengdu-beef-4-scale-claim", "zhongqiao-ic-claim"}
    assert len(OBS) == len(EXPECTED) + len(WORDS) + len(BUSINESS_ENV_RANKS) + 1 > 40


def test_bounds_the_source_prints_are_qualifiers():
    qualified = {r["indicator_id"]: r["qualifier"] for r in OBS if r["qualifier"]}
    assert qualified == {"air_quality_rank": "at_most", "biomedicine_cluster_target": "at_least"}


def test_inferences_are_flagged_with_reasons():
    inferred = {r["indicator_id"] for r in OBS if r["status"] == "inferred"}
    assert inferred == {"heavy_pollution_days_rank", "biomedicine_cluster_target"}
    assert all(r["status_reason"] for r in OBS if r["status"] == "inferred")
    inferred_periods = {r["indicator_id"] for r in OBS if r["period_status"] == "inferred"}
    assert inferred_periods == {"tertiary_va_growth_rank", "out_of_province_funds_growth"}


def test_endorsements_since_september_have_a_start_and_no_end():
    (row,) = [r for r in OBS if r["obs_id"] == "provincial-leader-endorsements-2023"]
    assert (row["period_printed"], row["period_start"], row["period_end"], row["period_status"]) == (
        "9月以来",
        "2023-09-01",
        "",
        "stated",
    )


def test_readings_beyond_the_words_are_flagged():
    flagged = {r["obs_id"]: r["inference"] for r in OBS if r["inference"]}
    assert flagged == {
        "rd-coverage-rank-2023": "attribution",
        "new-enterprises-growth-2023": "attribution",
        "hengdu-beef-4-annual-output-capacity": "attribution",
        "hengdu-beef-4-scale-claim": "attribution",
        "business-env-rank-series-1": "order",
        "business-env-rank-series-2": "order",
        "sangeyipi-rounds": "context",
        "sangeyipi-projects": "context",
        "sangeyipi-start-rate": "context",
        "sangeyipi-production": "context",
    }


def test_every_provincial_rank_says_its_universe_is_assumed():
    ranks = [r for r in OBS if r["rank_universe"]]
    assert len(ranks) == 17 and {r["rank_universe_status"] for r in ranks} == {"assumed"}


def test_a_rank_printed_as_a_word_keeps_no_unit_the_source_does_not_print():
    (row,) = [r for r in OBS if r["obs_id"] == "heavy-pollution-days-rank-2023"]
    assert (row["value_printed"], row["unit_printed"], row["value"], row["unit_base"]) == ("最少", "", "1", "位")
