-- In what was Zhumadian first among Henan's 18 units?
SELECT name_zh, name_en, status
FROM ranks
WHERE rank = 1 AND qualifier IS NULL
ORDER BY name_en;
