-- Which figures have no period in the source at all?
SELECT obs_id, value_printed, unit_printed, note
FROM observations
WHERE period_status = 'unknown'
ORDER BY obs_id;
