-- Which named projects are there, in what state, and with which figures?
SELECT p.name_zh, p.status, string_agg(o.value_printed || coalesce(o.unit_printed, ''), '; ' ORDER BY o.obs_id) AS figures
FROM projects p LEFT JOIN observations o USING (project_id)
GROUP BY p.name_zh, p.status
ORDER BY p.name_zh;
