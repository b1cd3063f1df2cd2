-- Which figures does the report state in more than one place?
SELECT o.obs_id, count(*) + 1 AS places
FROM observations o JOIN restatements r USING (obs_id)
GROUP BY o.obs_id
HAVING count(*) >= 1
ORDER BY places DESC, o.obs_id;
