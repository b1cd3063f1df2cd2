-- GENERATED from datapackage.json and schemas/*.schema.json by `make sql-schema`: do not edit.
-- One typed table per resource, read from its CSV (run from the package's folder).

CREATE OR REPLACE TABLE "observations" AS SELECT * FROM read_csv('data/observations.csv', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', columns = {'obs_id': 'VARCHAR', 'indicator_id': 'VARCHAR', 'area_code': 'VARCHAR', 'area_name': 'VARCHAR', 'period_printed': 'VARCHAR', 'period_start': 'DATE', 'period_end': 'DATE', 'period_status': 'VARCHAR', 'reference_year': 'BIGINT', 'value_printed': 'VARCHAR', 'unit_printed': 'VARCHAR', 'value': 'DECIMAL(38,10)', 'unit_multiplier': 'BIGINT', 'value_base': 'DECIMAL(38,10)', 'unit_base': 'VARCHAR', 'qualifier': 'VARCHAR', 'rank_universe': 'VARCHAR', 'rank_universe_size': 'BIGINT', 'rank_universe_source_id': 'VARCHAR', 'rank_direction': 'VARCHAR', 'project_id': 'VARCHAR', 'status': 'VARCHAR', 'status_reason': 'VARCHAR', 'evidence': 'VARCHAR', 'evidence_start': 'BIGINT', 'evidence_end': 'BIGINT', 'evidence_location': 'VARCHAR', 'note': 'VARCHAR'});
COMMENT ON TABLE "observations" IS 'Observations: One row per figure of the report (a figure stated in several places is one row; the other places are in restatements): indicator, area, period, value as printed and in base units, rank universe and direction, qualifier, status and evidence span with its offsets in the source.';
COMMENT ON COLUMN "observations"."obs_id" IS 'Stable identifier of the observation: indicator, then period.';
COMMENT ON COLUMN "observations"."indicator_id" IS 'The indicator measured (indicators.indicator_id).';
COMMENT ON COLUMN "observations"."area_code" IS 'Administrative division code of the area (GB/T 2260): a code of areas.csv.';
COMMENT ON COLUMN "observations"."area_name" IS 'Name of the area in Chinese.';
COMMENT ON COLUMN "observations"."period_printed" IS 'The words of the source that give the period (e.g. 前三季度, 1-11月, 至11月底); empty where the source prints none.';
COMMENT ON COLUMN "observations"."period_start" IS 'First day of the period (ISO 8601); empty unless period_status is stated or inferred.';
COMMENT ON COLUMN "observations"."period_end" IS 'Last day of the period (ISO 8601); equal to period_start for a stock at a date; empty unless period_status is stated or inferred.';
COMMENT ON COLUMN "observations"."period_status" IS 'stated: the source gives the period; inferred: read from context, reason in note; year_only: the source presents the figure as part of the reference year''s results without its span; unknown: the source gives no period.';
COMMENT ON COLUMN "observations"."reference_year" IS 'The calendar year the figure belongs to; empty where the source does not place it in a year.';
COMMENT ON COLUMN "observations"."value_printed" IS 'The number exactly as printed (Arabic digits, or a Chinese numeral such as 四 or 两, or a word such as 首位); for a claim without a number, the words that state it.';
COMMENT ON COLUMN "observations"."unit_printed" IS 'The unit exactly as printed, with its multiplier prefix (万, 亿); empty for a claim without a number.';
COMMENT ON COLUMN "observations"."value" IS 'The printed value as a number, in the printed unit (10.38 for 10.38万户); never more precise than printed. Empty for a claim without a number.';
COMMENT ON COLUMN "observations"."unit_multiplier" IS 'Power of ten of the printed unit''s prefix (SDMX UNIT_MULT): 0 none, 4 for 万, 8 for 亿.';
COMMENT ON COLUMN "observations"."value_base" IS 'value x 10^unit_multiplier, exactly: 103800 for 10.38万户.';
COMMENT ON COLUMN "observations"."unit_base" IS 'The unit of value_base: the printed unit without its multiplier prefix (户, 元, 个, % ...); equals the indicator''s unit_short.';
COMMENT ON COLUMN "observations"."qualifier" IS 'A bound the source gives instead of an exact value: at_most (前2位: rank <= 2), at_least (千亿级: >= 1000亿). Empty: the value is exact as printed.';
COMMENT ON COLUMN "observations"."rank_universe" IS 'For ranks: the set ranked, a code of rank_universes.csv (which gives its size, members and source).';
COMMENT ON COLUMN "observations"."rank_universe_size" IS 'For ranks: number of units ranked (18 for Henan, from an outside source).';
COMMENT ON COLUMN "observations"."rank_universe_source_id" IS 'For ranks: the outside source for the universe (sources.source_id).';
COMMENT ON COLUMN "observations"."rank_direction" IS 'For ranks: what ranks first. highest_first: the highest value; lowest_first: the lowest value (fewest days); best_first: the best evaluation or score.';
COMMENT ON COLUMN "observations"."project_id" IS 'The named project the figure belongs to (projects.project_id); empty for city-wide figures.';
COMMENT ON COLUMN "observations"."status" IS 'reported: the value is printed in the source; inferred: the value is read from words (e.g. 全省最少 as rank 1), reason in status_reason.';
COMMENT ON COLUMN "observations"."status_reason" IS 'Why an inferred value was read as it was; required when status is inferred.';
COMMENT ON COLUMN "observations"."evidence" IS 'The few characters of the source that state this item, copied exactly (at most 40 characters, never a whole sentence). A page break of the transcription inside a span is kept as it stands.';
COMMENT ON COLUMN "observations"."evidence_start" IS 'Offset of the first character of the evidence span in the source transcription, counted in Unicode characters from 0.';
COMMENT ON COLUMN "observations"."evidence_end" IS 'Offset just past the last character of the evidence span (exclusive): evidence_end - evidence_start is the span''s length.';
COMMENT ON COLUMN "observations"."evidence_location" IS 'Where the span stands: running_text (the article) or sidebar (the boxed summaries that repeat figures).';
COMMENT ON COLUMN "observations"."note" IS 'What the source leaves open or ambiguous about this figure.';

CREATE OR REPLACE TABLE "indicators" AS SELECT * FROM read_csv('data/indicators.csv', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', columns = {'indicator_id': 'VARCHAR', 'name_zh': 'VARCHAR', 'name_en': 'VARCHAR', 'definition': 'VARCHAR', 'measure': 'VARCHAR', 'unit': 'VARCHAR', 'unit_short': 'VARCHAR', 'rank_direction': 'VARCHAR', 'topic': 'VARCHAR', 'relation': 'VARCHAR', 'related_indicator_id': 'VARCHAR', 'item_min_base': 'DECIMAL(38,10)'});
COMMENT ON TABLE "indicators" IS 'Indicators: Code list of the indicators: names in Chinese and English, definition, kind of measure, unit, topic, and the relations between indicators that validation checks.';
COMMENT ON COLUMN "indicators"."indicator_id" IS 'Stable identifier of the indicator.';
COMMENT ON COLUMN "indicators"."name_zh" IS 'Name of the indicator in Chinese, after the source''s wording.';
COMMENT ON COLUMN "indicators"."name_en" IS 'Name of the indicator in English.';
COMMENT ON COLUMN "indicators"."definition" IS 'One-sentence English definition.';
COMMENT ON COLUMN "indicators"."measure" IS 'Kind of measure: a code of measures.csv, which defines each kind and its range.';
COMMENT ON COLUMN "indicators"."unit" IS 'The base unit in English; empty for distinctions and claims.';
COMMENT ON COLUMN "indicators"."unit_short" IS 'The base unit as the source writes it (户, 元, %, 位 ...); empty for distinctions and claims.';
COMMENT ON COLUMN "indicators"."rank_direction" IS 'For ranks: what ranks first (highest_first, lowest_first, best_first); each rank observation repeats it.';
COMMENT ON COLUMN "indicators"."topic" IS 'Topic: a code of topics.csv.';
COMMENT ON COLUMN "indicators"."relation" IS 'How this indicator''s values bind another''s (checked by validation): part_of (sum of parts <= whole), addition_to (this period''s addition <= the cumulative stock), change_of (level - change >= 0), total_over_items (a total >= count x the items'' minimum).';
COMMENT ON COLUMN "indicators"."related_indicator_id" IS 'The indicator named by relation (indicators.indicator_id).';
COMMENT ON COLUMN "indicators"."item_min_base" IS 'For counts of items above a threshold (亿元以上): each item''s minimum, in base units.';

CREATE OR REPLACE TABLE "restatements" AS SELECT * FROM read_csv('data/restatements.csv', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', columns = {'obs_id': 'VARCHAR', 'evidence': 'VARCHAR', 'evidence_start': 'BIGINT', 'evidence_end': 'BIGINT', 'evidence_location': 'VARCHAR'});
COMMENT ON TABLE "restatements" IS 'Restatements: Every further place in the source that states an observation''s figure again (mostly the sidebars), with its evidence span and offsets; each must agree with the observation.';
COMMENT ON COLUMN "restatements"."obs_id" IS 'The observation this place restates (observations.obs_id).';
COMMENT ON COLUMN "restatements"."evidence" IS 'The few characters of the source that state this item, copied exactly (at most 40 characters, never a whole sentence). A page break of the transcription inside a span is kept as it stands.';
COMMENT ON COLUMN "restatements"."evidence_start" IS 'Offset of the first character of the evidence span in the source transcription, counted in Unicode characters from 0.';
COMMENT ON COLUMN "restatements"."evidence_end" IS 'Offset just past the last character of the evidence span (exclusive): evidence_end - evidence_start is the span''s length.';
COMMENT ON COLUMN "restatements"."evidence_location" IS 'Where the span stands: running_text (the article) or sidebar (the boxed summaries that repeat figures).';

CREATE OR REPLACE TABLE "projects" AS SELECT * FROM read_csv('data/projects.csv', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', columns = {'project_id': 'VARCHAR', 'name_zh': 'VARCHAR', 'name_en': 'VARCHAR', 'sector': 'VARCHAR', 'county': 'VARCHAR', 'status_printed': 'VARCHAR', 'status': 'VARCHAR', 'evidence': 'VARCHAR', 'evidence_start': 'BIGINT', 'evidence_end': 'BIGINT', 'note': 'VARCHAR'});
COMMENT ON TABLE "projects" IS 'Projects: The named projects and institutions of the report with their status as printed; their figures are observations linked by project_id.';
COMMENT ON COLUMN "projects"."project_id" IS 'Stable identifier of the project.';
COMMENT ON COLUMN "projects"."name_zh" IS 'Name of the project as the source gives it.';
COMMENT ON COLUMN "projects"."name_en" IS 'English rendering of the name.';
COMMENT ON COLUMN "projects"."sector" IS 'Industry of the project, in English.';
COMMENT ON COLUMN "projects"."county" IS 'County of the project where the source names it.';
COMMENT ON COLUMN "projects"."status_printed" IS 'The words of the source that give the project''s status.';
COMMENT ON COLUMN "projects"."status" IS 'The status as a code: in_production, in_operation, opened, under_construction, or not_stated.';
COMMENT ON COLUMN "projects"."evidence" IS 'The few characters of the source that state this item, copied exactly (at most 40 characters, never a whole sentence). A page break of the transcription inside a span is kept as it stands.';
COMMENT ON COLUMN "projects"."evidence_start" IS 'Offset of the first character of the evidence span in the source transcription, counted in Unicode characters from 0.';
COMMENT ON COLUMN "projects"."evidence_end" IS 'Offset just past the last character of the evidence span (exclusive): evidence_end - evidence_start is the span''s length.';
COMMENT ON COLUMN "projects"."note" IS 'What else the source says, or leaves open.';

CREATE OR REPLACE TABLE "glossary" AS SELECT * FROM read_csv('data/glossary.csv', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', columns = {'term_id': 'VARCHAR', 'term_zh': 'VARCHAR', 'term_en': 'VARCHAR', 'category': 'VARCHAR', 'source_says': 'VARCHAR', 'definition': 'VARCHAR', 'definition_source_id': 'VARCHAR', 'evidence': 'VARCHAR', 'evidence_start': 'BIGINT', 'evidence_end': 'BIGINT', 'note': 'VARCHAR'});
COMMENT ON TABLE "glossary" IS 'Glossary: Policy terms, programmes and names of the report: English rendering, what the source says, and an outside definition only with its cited source.';
COMMENT ON COLUMN "glossary"."term_id" IS 'Stable identifier of the term.';
COMMENT ON COLUMN "glossary"."term_zh" IS 'The term as printed.';
COMMENT ON COLUMN "glossary"."term_en" IS 'English rendering.';
COMMENT ON COLUMN "glossary"."category" IS 'What kind of term it is.';
COMMENT ON COLUMN "glossary"."source_says" IS 'What the report says of the term, in English (paraphrased, not quoted).';
COMMENT ON COLUMN "glossary"."definition" IS 'An outside definition with its source in definition_source_id, or ''not defined in the source''.';
COMMENT ON COLUMN "glossary"."definition_source_id" IS 'The outside source of the definition (sources.source_id).';
COMMENT ON COLUMN "glossary"."evidence" IS 'The few characters of the source that state this item, copied exactly (at most 40 characters, never a whole sentence). A page break of the transcription inside a span is kept as it stands.';
COMMENT ON COLUMN "glossary"."evidence_start" IS 'Offset of the first character of the evidence span in the source transcription, counted in Unicode characters from 0.';
COMMENT ON COLUMN "glossary"."evidence_end" IS 'Offset just past the last character of the evidence span (exclusive): evidence_end - evidence_start is the span''s length.';
COMMENT ON COLUMN "glossary"."note" IS 'What is open about the term.';

CREATE OR REPLACE TABLE "sources" AS SELECT * FROM read_csv('data/sources.csv', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', columns = {'source_id': 'VARCHAR', 'kind': 'VARCHAR', 'title': 'VARCHAR', 'author': 'VARCHAR', 'publisher': 'VARCHAR', 'date': 'VARCHAR', 'url': 'VARCHAR', 'sha256': 'VARCHAR', 'note': 'VARCHAR', 'used_for': 'VARCHAR'});
COMMENT ON TABLE "sources" IS 'Sources: The bibliographic record of the report and every outside source the package cites.';
COMMENT ON COLUMN "sources"."source_id" IS 'Stable identifier of the source.';
COMMENT ON COLUMN "sources"."kind" IS 'newspaper_article (the report) or web_page (an outside source).';
COMMENT ON COLUMN "sources"."title" IS 'Title of the work.';
COMMENT ON COLUMN "sources"."author" IS 'Author(s) as given.';
COMMENT ON COLUMN "sources"."publisher" IS 'Publisher or site, as far as known.';
COMMENT ON COLUMN "sources"."date" IS 'Publication date as far as known (ISO 8601, possibly only year and month).';
COMMENT ON COLUMN "sources"."url" IS 'Address of the work, where it has one.';
COMMENT ON COLUMN "sources"."sha256" IS 'SHA-256 of the transcription the offsets refer to (the report only).';
COMMENT ON COLUMN "sources"."note" IS 'What the source states that the package uses, and what is not known of it.';
COMMENT ON COLUMN "sources"."used_for" IS 'Which fields or rows rest on this source.';

CREATE OR REPLACE TABLE "areas" AS SELECT * FROM read_csv('data/areas.csv', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', columns = {'area_code': 'VARCHAR', 'name_zh': 'VARCHAR', 'name_en': 'VARCHAR', 'source_id': 'VARCHAR'});
COMMENT ON TABLE "areas" IS 'Areas: Code list of the areas the report speaks of: administrative division code, names and the source of the code.';
COMMENT ON COLUMN "areas"."area_code" IS 'Administrative division code (GB/T 2260) of an area the report speaks of.';
COMMENT ON COLUMN "areas"."name_zh" IS 'The area''s name as the observations write it.';
COMMENT ON COLUMN "areas"."name_en" IS 'The area''s name in English.';
COMMENT ON COLUMN "areas"."source_id" IS 'The source of the code (sources.csv).';

CREATE OR REPLACE TABLE "rank_universes" AS SELECT * FROM read_csv('data/rank_universes.csv', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', columns = {'universe_id': 'VARCHAR', 'size': 'BIGINT', 'name_en': 'VARCHAR', 'name_zh': 'VARCHAR', 'source_id': 'VARCHAR'});
COMMENT ON TABLE "rank_universes" IS 'Ranking universes: Code list of the sets of units a rank is among: size, members and outside source.';
COMMENT ON COLUMN "rank_universes"."universe_id" IS 'Code of a ranking universe, as observations.csv uses it.';
COMMENT ON COLUMN "rank_universes"."size" IS 'How many units the universe ranks.';
COMMENT ON COLUMN "rank_universes"."name_en" IS 'What units the universe ranks.';
COMMENT ON COLUMN "rank_universes"."name_zh" IS 'What units the universe ranks, in Chinese.';
COMMENT ON COLUMN "rank_universes"."source_id" IS 'The outside source for the universe (sources.csv).';

CREATE OR REPLACE TABLE "measures" AS SELECT * FROM read_csv('data/measures.csv', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', columns = {'measure': 'VARCHAR', 'name_en': 'VARCHAR', 'definition': 'VARCHAR', 'numeric': 'BOOLEAN', 'whole_number': 'BOOLEAN', 'minimum': 'DECIMAL(38,10)', 'exclusive_minimum': 'BOOLEAN', 'maximum': 'DECIMAL(38,10)', 'unit_printed': 'VARCHAR'});
COMMENT ON TABLE "measures" IS 'Measures: Code list of the kinds of measure: whether a figure has a number, whether it is whole, its range and fixed unit (validation reads its bounds from here).';
COMMENT ON COLUMN "measures"."measure" IS 'Kind of measure: the code indicators.csv uses.';
COMMENT ON COLUMN "measures"."name_en" IS 'Name of the kind of measure.';
COMMENT ON COLUMN "measures"."definition" IS 'What a figure of this kind is.';
COMMENT ON COLUMN "measures"."numeric" IS 'true: a figure of this kind has a number, unit and base value; false: it has none (a claim or distinction).';
COMMENT ON COLUMN "measures"."whole_number" IS 'true: the base value is a whole number (ranks, counts, stocks, changes of counts, durations).';
COMMENT ON COLUMN "measures"."minimum" IS 'The least value a figure of this kind may take; empty: no bound.';
COMMENT ON COLUMN "measures"."exclusive_minimum" IS 'true: the value must be above the minimum, not equal to it (a growth rate above -100).';
COMMENT ON COLUMN "measures"."maximum" IS 'The greatest value a figure of this kind may take; empty: no bound.';
COMMENT ON COLUMN "measures"."unit_printed" IS 'The unit every figure of this kind prints (% for shares and growth rates); empty: any unit.';

CREATE OR REPLACE TABLE "topics" AS SELECT * FROM read_csv('data/topics.csv', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', columns = {'topic_id': 'VARCHAR', 'name_en': 'VARCHAR', 'name_zh': 'VARCHAR'});
COMMENT ON TABLE "topics" IS 'Topics: Code list of the topics that group the indicators, in English and Chinese.';
COMMENT ON COLUMN "topics"."topic_id" IS 'Code of the topic, as indicators.csv uses it.';
COMMENT ON COLUMN "topics"."name_en" IS 'Name of the topic in English.';
COMMENT ON COLUMN "topics"."name_zh" IS 'Name of the topic in Chinese.';

CREATE OR REPLACE TABLE "period_words" AS SELECT * FROM read_csv('data/period_words.csv', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', columns = {'word': 'VARCHAR', 'start_day': 'VARCHAR', 'end_day': 'VARCHAR', 'meaning_en': 'VARCHAR'});
COMMENT ON TABLE "period_words" IS 'Period words: The words of the source that state a period, with the days they stand for in the reference year.';
COMMENT ON COLUMN "period_words"."word" IS 'Words of the source that state a period, as period_printed writes them.';
COMMENT ON COLUMN "period_words"."start_day" IS 'First day of the period in the reference year, as MM-DD.';
COMMENT ON COLUMN "period_words"."end_day" IS 'Last day of the period in the reference year, as MM-DD.';
COMMENT ON COLUMN "period_words"."meaning_en" IS 'What the words mean, in English.';

CREATE OR REPLACE TABLE "word_readings" AS SELECT * FROM read_csv('data/word_readings.csv', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', columns = {'kind': 'VARCHAR', 'word': 'VARCHAR', 'reading': 'VARCHAR', 'meaning_en': 'VARCHAR'});
COMMENT ON TABLE "word_readings" IS 'Word readings: How the source''s words are read: Chinese numerals, rank words, unit prefixes (powers of ten) and project status words.';
COMMENT ON COLUMN "word_readings"."kind" IS 'What kind of word: numeral, rank_word (a rank by the word itself), inferred_rank_word (a rank only by inference), unit_prefix (reading: the power of ten), project_status (reading: the status code).';
COMMENT ON COLUMN "word_readings"."word" IS 'The word as the source prints it.';
COMMENT ON COLUMN "word_readings"."reading" IS 'What the word stands for: a number, a power of ten or a status code.';
COMMENT ON COLUMN "word_readings"."meaning_en" IS 'The word in English.';
