-- Views over the tables of sql/tables.sql. Reported figures and derived ones are never mixed:
-- `derived` holds only values computed here, each with its formula and inputs.

-- Every observation with its indicator's names, measure, topic and unit.
CREATE OR REPLACE VIEW observations_labelled AS
SELECT o.obs_id, o.indicator_id, i.name_zh, i.name_en, i.topic, i.measure,
       o.period_printed, o.period_start, o.period_end, o.period_status, o.reference_year,
       o.value_printed, o.unit_printed, o.value, o.unit_multiplier, o.value_base, o.unit_base,
       i.unit AS unit_en, o.qualifier, o.project_id, o.status, o.status_reason, o.evidence, o.note
FROM observations o JOIN indicators i USING (indicator_id);

-- Every provincial rank of Zhumadian, with its universe and what ranks first.
CREATE OR REPLACE VIEW ranks AS
SELECT o.obs_id, o.indicator_id, i.name_zh, i.name_en, i.topic,
       CAST(o.value AS INTEGER) AS rank, o.qualifier, o.value_printed,
       o.rank_universe, o.rank_universe_size, o.rank_direction,
       o.period_printed, o.period_start, o.period_end, o.period_status, o.reference_year,
       o.status, o.evidence, o.note
FROM observations o JOIN indicators i USING (indicator_id)
WHERE i.measure = 'rank';

-- Figures the source implies but does not print. status is always 'derived'.
-- Divisions run in DOUBLE; every value is then rounded to 2 decimals as DECIMAL(38,2).
CREATE OR REPLACE VIEW derived AS
WITH v AS (SELECT obs_id, value, value_base FROM observations), d AS (
SELECT 'rd-coverage-rate-2022' AS derived_id,
       'R&D coverage of industry above designated size, previous year (2022)' AS title,
       'rd-coverage-rate-2023 - rd-coverage-change-2023 (81.9% - 15 percentage points)' AS formula,
       CAST((SELECT value FROM v WHERE obs_id = 'rd-coverage-rate-2023') - (SELECT value FROM v WHERE obs_id = 'rd-coverage-change-2023') AS DECIMAL(38,10)) AS value,
       '%' AS unit, 'derived' AS status,
       'Exact: the change is stated against 去年.' AS note
UNION ALL
SELECT 'pharma-valley-projects-previous-year',
       'China Pharmaceutical Valley “three batches” projects, previous year',
       'pharma-valley-projects-2023-11-30 - pharma-valley-projects-change-2023-11-30 (85 - 34)',
       (SELECT value FROM v WHERE obs_id = 'pharma-valley-projects-2023-11-30') - (SELECT value FROM v WHERE obs_id = 'pharma-valley-projects-change-2023-11-30'),
       '个', 'derived', 'The date of the previous year''s count is not stated.'
UNION ALL
SELECT 'academicians-before-2023',
       'Academicians recruited flexibly before 2023',
       'academicians-total-2023 - academicians-recruited-2023 (29 - 6)',
       (SELECT value FROM v WHERE obs_id = 'academicians-total-2023') - (SELECT value FROM v WHERE obs_id = 'academicians-recruited-2023'),
       '名', 'derived', 'The start of the cumulative count is not stated.'
UNION ALL
SELECT 'average-investment-per-signed-project-2023m1m11',
       'Average total investment per signed project of 100 million yuan or more, Jan-Nov 2023',
       'signed-projects-investment-2023m1m11 / signed-projects-100m-2023m1m11 (2327亿元 / 401), in 亿元 to 2 decimals',
       ROUND(CAST((SELECT value_base FROM v WHERE obs_id = 'signed-projects-investment-2023m1m11') AS HUGEINT) / 100000000 / CAST((SELECT value FROM v WHERE obs_id = 'signed-projects-100m-2023m1m11') AS DECIMAL(38,10)), 2),
       '亿元', 'derived', 'Rounded: 2327 has four significant figures.'
UNION ALL
SELECT 'enterprise-share-of-new-market-entities-2023',
       'Share of enterprises among newly registered market entities',
       'new-enterprises-2023 / new-market-entities-2023 x 100 (2.15万 / 10.38万), to 2 decimals',
       ROUND((SELECT value_base FROM v WHERE obs_id = 'new-enterprises-2023') * 100 / (SELECT value_base FROM v WHERE obs_id = 'new-market-entities-2023'), 2),
       '%', 'derived', 'Rounded to 2 decimals.'
UNION ALL
SELECT 'new-enterprises-previous-year',
       'Newly registered enterprises, previous year',
       'new-enterprises-2023 / (1 + new-enterprises-growth-2023 / 100) (21500 / 1.1555), to the nearest entity',
       ROUND((SELECT value_base FROM v WHERE obs_id = 'new-enterprises-2023') / (1 + (SELECT value FROM v WHERE obs_id = 'new-enterprises-growth-2023') / 100), 0),
       '户', 'derived', 'Assumes the 15.55% growth is that of new enterprises, which the source implies but does not say outright.'
)
SELECT derived_id, title, formula, CAST(ROUND(value, 2) AS DECIMAL(38,2)) AS value, unit, status, note FROM d;
