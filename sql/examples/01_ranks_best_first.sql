-- Where does Zhumadian stand in Henan? Every provincial rank, best first.
SELECT rank, qualifier, name_en, period_printed, reference_year
FROM ranks
ORDER BY rank, name_en;
