-- Which amounts of money does the report give, in yuan?
SELECT obs_id, value_printed || unit_printed AS as_printed, CAST(value_base AS HUGEINT) AS yuan, qualifier
FROM observations_labelled
WHERE unit_base = '元'
ORDER BY yuan DESC;
