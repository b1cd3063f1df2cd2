-- Views over the tables of sql/tables.sql. Reported figures and derived ones are never mixed:
-- `derived` holds only values computed here, each with its formula and inputs.

-- Every observation with its indicator's names, measure, topic and unit.
CREATE OR REPLACE VIEW observations_labelled AS
SELECT o.obs_id, o.indicator_id, i.name_zh, i.name_en, i.topic, i.measure,
       o.period_printed, o.period_start, o.period_end, o.period_status, o.reference_year,
       o.value_printed, o.unit_printed, o.value, o.unit_multiplier, o.value_base, o.unit_base,
       i.unit AS unit_en, o.qualifier, o.project_id, o.status, o.status_reason, o.evidence, o.note
FROM observations o JOIN indicators i USING (indicator_id);

-- Every rank, with its universe and what ranks first.
CREATE OR REPLACE VIEW ranks AS
SELECT o.obs_id, o.indicator_id, i.name_zh, i.name_en, i.topic,
       CAST(o.value AS INTEGER) AS rank, o.qualifier, o.value_printed,
       o.rank_universe, o.rank_universe_size, o.rank_direction,
       o.period_printed, o.period_start, o.period_end, o.period_status, o.reference_year,
       o.status, o.evidence, o.note
FROM observations o JOIN indicators i USING (indicator_id)
WHERE i.measure = 'rank';

-- Figures the source implies but does not print, one per relation that indicators.csv declares
-- between two observations of the same area and period. status is always 'derived'; each row
-- names its formula and inputs. Nothing here is particular to one report.
--   change_of / addition_to: the level before = level - change (or stock - addition)
--   part_of: the part's share of its whole, in percent, to 2 decimals
--   total_over_items: the average per item, in the total's base unit, to 2 decimals
CREATE OR REPLACE VIEW derived AS
WITH pairs AS (
  SELECT l.obs_id AS left_id, i.relation, i.name_en AS left_name, l.value_base AS left_base, l.unit_base AS left_unit,
         r.obs_id AS right_id, j.name_en AS right_name, r.value_base AS right_base, r.unit_base AS right_unit
  FROM observations l
  JOIN indicators i ON i.indicator_id = l.indicator_id
  JOIN observations r ON r.indicator_id = i.related_indicator_id AND r.area_code = l.area_code
   AND r.period_start IS NOT DISTINCT FROM l.period_start AND r.period_end IS NOT DISTINCT FROM l.period_end
   AND r.reference_year IS NOT DISTINCT FROM l.reference_year
  JOIN indicators j ON j.indicator_id = r.indicator_id
  WHERE l.value_base IS NOT NULL AND r.value_base IS NOT NULL
)
SELECT left_id || '-' || CASE relation WHEN 'part_of' THEN 'share-of-whole' WHEN 'total_over_items' THEN 'average-per-item'
                          ELSE 'level-before' END AS derived_id,
       CASE relation WHEN 'part_of' THEN left_name || ', as a share of ' || right_name
                     WHEN 'total_over_items' THEN left_name || ', average per item of ' || right_name
                     ELSE right_name || ', before ' || left_name END AS title,
       CASE relation WHEN 'part_of' THEN left_id || ' / ' || right_id || ' x 100'
                     WHEN 'total_over_items' THEN left_id || ' / ' || right_id
                     ELSE right_id || ' - ' || left_id END AS formula,
       CAST(ROUND(CASE relation WHEN 'part_of' THEN CAST(left_base AS DOUBLE) * 100 / NULLIF(CAST(right_base AS DOUBLE), 0)
                                WHEN 'total_over_items' THEN CAST(left_base AS DOUBLE) / NULLIF(CAST(right_base AS DOUBLE), 0)
                                ELSE right_base - left_base END, 2) AS DECIMAL(38,2)) AS value,
       CASE relation WHEN 'part_of' THEN '%' WHEN 'total_over_items' THEN left_unit ELSE right_unit END AS unit,
       'derived' AS status,
       CASE relation WHEN 'part_of' THEN 'Rounded to 2 decimals; as precise as the printed inputs.'
                     WHEN 'total_over_items' THEN 'Rounded to 2 decimals; as precise as the printed inputs.'
                     ELSE 'Computed from two printed figures, each possibly rounded as printed, so the result is not exact: it carries both roundings. For when the earlier level was taken, see the notes of the inputs.' END AS note
FROM pairs
ORDER BY derived_id;

-- Each figure of the report beside what another public document says of it (corroborations.csv),
-- or nothing_found. The documents are the same authorities' own: agreement is not independence.
CREATE OR REPLACE VIEW corroborated AS
SELECT c.corroboration_id, o.obs_id, i.name_en, i.name_zh,
       o.value_printed AS report_value_printed, o.unit_printed AS report_unit_printed, o.value AS report_value,
       o.period_printed AS report_period_printed, o.period_start AS report_period_start,
       o.period_end AS report_period_end, o.period_status AS report_period_status,
       c.verdict, c.source_id, s.title AS document_title, s.url AS document_url, s.date_seen AS document_seen,
       c.value_printed AS document_value_printed, c.value AS document_value,
       c.period_printed AS document_period_printed, c.period_start AS document_period_start,
       c.period_end AS document_period_end, c.period_status AS document_period_status,
       c.reference_year AS document_reference_year, c.evidence AS document_evidence, c.note
FROM corroborations c
JOIN observations o USING (obs_id)
JOIN indicators i ON i.indicator_id = o.indicator_id
LEFT JOIN sources s ON s.source_id = c.source_id
ORDER BY c.verdict = 'nothing_found', o.obs_id, c.corroboration_id;

-- Every provincial rank of the report beside the rank recomputed from official figures
-- (rank_checks.csv): the claim, its period and universe, then the official indicator, its period,
-- the units it ranks, the recomputed place, ties and the verdict.
CREATE OR REPLACE VIEW rank_checked AS
SELECT r.obs_id, r.name_en, r.name_zh, r.rank AS claimed_rank, r.qualifier, r.period_printed,
       r.period_start, r.period_end, r.period_status, r.rank_universe, r.rank_universe_size,
       c.official_indicator_id, oi.name_en AS official_indicator_en, oi.name_zh AS official_indicator_zh,
       c.official_period_start, c.official_period_end, c.units_ranked, c.recomputed_rank, c.tied_with,
       c.verdict, c.note
FROM ranks r JOIN rank_checks c USING (obs_id)
LEFT JOIN official_indicators oi ON oi.indicator_id = c.official_indicator_id;
