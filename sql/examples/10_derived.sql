-- What does the report imply without printing it?
SELECT derived_id, value, unit, formula
FROM derived
ORDER BY derived_id;
