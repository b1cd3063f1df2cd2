-- Which values or periods are inferences rather than printed, and why?
SELECT obs_id, status, period_status, coalesce(status_reason, note) AS why
FROM observations
WHERE status = 'inferred' OR period_status = 'inferred'
ORDER BY obs_id;
