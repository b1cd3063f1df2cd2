-- Which growth rates does the report give, and for which period?
SELECT name_en, value AS growth_percent, period_printed, period_status
FROM observations_labelled
WHERE measure = 'growth_rate'
ORDER BY value DESC;
