-- Which values, periods or readings are inferences rather than printed, and why?
SELECT obs_id, status, period_status, inference, coalesce(status_reason, note) AS why
FROM observations
WHERE status = 'inferred' OR period_status = 'inferred' OR inference IS NOT NULL
ORDER BY obs_id;
