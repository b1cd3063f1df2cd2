-- What does the report say about the business environment?
SELECT name_en, value_printed, unit_printed, period_status
FROM observations_labelled
WHERE topic = 'business_environment'
ORDER BY obs_id;
