-- How staff-typed cells are read, as DuckDB macros shared by segments.sql and load-all.sql.
-- The runner (bench/duckdb/run.ts) fills the table vocabulary(tab, word, status) from
-- sync/cells/enums.ts (the words, not the logic) before this file runs.

-- Cells ---------------------------------------------------------------------------------------

-- Full-width ASCII (what an IME in full-width mode types) and the ideographic space, as ASCII;
-- translate() builds its table on every call, so only cells that have such characters pay for it.
CREATE MACRO fw(s) AS CASE WHEN regexp_matches(s, '[\x{3000}\x{FF01}-\x{FF5E}]') THEN translate(s, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ ') ELSE s END;
-- A cell's text, trimmed; blank is NULL.
CREATE MACRO cell(s) AS nullif(trim(s), '');
CREATE MACRO enum_key(s) AS regexp_replace(lower(trim(fw(s))), '[\s\-]+', '_', 'g');

-- Dates: 2024-01-05, 2024/1/5, 2024.1.5, 20240105, ROC years (113/1/5, 民國113年1月5日), Sheets
-- serial numbers, and a wall-clock time after the date (the date is what counts).
CREATE MACRO ymd(y, m, d) AS CASE WHEN y BETWEEN 1000 AND 9999 THEN try_strptime(printf('%04d-%02d-%02d', y, m, d), '%Y-%m-%d')::DATE END;
CREATE MACRO roc(y) AS try_cast(y AS INT) + CASE WHEN length(y) <= 3 THEN 1911 ELSE 0 END;
CREATE MACRO serial_date(t) AS CASE WHEN try_cast(t AS DOUBLE) BETWEEN 1 AND 2958465 THEN DATE '1899-12-30' + floor(try_cast(t AS DOUBLE))::INT END;
CREATE MACRO date_of_text(t) AS CASE
  WHEN regexp_full_match(t, '\d{4}\d{2}\d{2}') THEN ymd(try_cast(t[1:4] AS INT), try_cast(t[5:6] AS INT), try_cast(t[7:8] AS INT))
  WHEN regexp_full_match(t, '\d{1,7}(\.\d+)?') THEN serial_date(t)
  WHEN regexp_matches(t, '^(?:民國\s*)?(\d{2,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(.*)$') THEN
    CASE WHEN trim(regexp_extract(t, '^(?:民國\s*)?(\d{2,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(.*)$', 4)) = '' OR regexp_matches(trim(regexp_extract(t, '^(?:民國\s*)?(\d{2,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(.*)$', 4)), '^(?:[T\s]\s*)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*$')
      THEN ymd(roc(regexp_extract(t, '^(?:民國\s*)?(\d{2,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(.*)$', 1)), try_cast(regexp_extract(t, '^(?:民國\s*)?(\d{2,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(.*)$', 2) AS INT), try_cast(regexp_extract(t, '^(?:民國\s*)?(\d{2,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(.*)$', 3) AS INT)) END
END;
-- Fast path first: most cells are already 2024-01-05 (ten characters, a four-digit year), which
-- try_strptime reads without a regex; only the others go through the forms above.
CREATE MACRO read_date(s) AS CASE
  WHEN length(s) = 10 AND s[1] BETWEEN '1' AND '9' AND try_strptime(s, '%Y-%m-%d') IS NOT NULL THEN try_strptime(s, '%Y-%m-%d')::DATE
  ELSE date_of_text(trim(fw(s))) END;
-- A cell that must be a date when it is filled: false when it is filled and unreadable.
CREATE MACRO date_ok(s) AS cell(s) IS NULL OR read_date(s) IS NOT NULL;

-- Amounts in minor units: NT$1,000, US$20, 1,000元, TWD 500, １，０００. Zero, negative or
-- unreadable is NULL (Tidings reports the row and leaves it out).
CREATE MACRO amount_text(s) AS regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
  trim(fw(s)),
  '^(?:(?:NT|US|HK|A|C|S)?\$|NTD|TWD|USD|¥|€|£)\s*', '', 'i'),
  '^[A-Z]{3}\s*(\d)', '\1', 'i'),
  '\s*(?:元|圓|塊|NTD|TWD|[A-Z]{3})$', '', 'i'),
  '[,\s]', '', 'g'),
  '^\((.*)\)$', '-\1');
CREATE MACRO minor_of(t) AS CASE WHEN regexp_full_match(t, '\+?\d+(\.\d{1,2})?')
  THEN try_cast(regexp_extract(t, '^\+?(\d+)', 1) AS HUGEINT) * 100 + try_cast(rpad(regexp_extract(t, '\.(\d{1,2})$', 1), 2, '0') AS INT) END;
-- Fast path first: a plain whole number (1000) is its own canonical text, so an integer cast that
-- prints back the same text is the amount; anything else (NT$1,000, 007, +5) takes the regexes.
CREATE MACRO read_amount(s) AS nullif(CASE WHEN try_cast(s AS UBIGINT)::VARCHAR = s THEN try_cast(s AS UBIGINT)::HUGEINT * 100
  ELSE minor_of(amount_text(s)) END, 0);
CREATE MACRO currency_ok(s) AS cell(s) IS NULL OR s IN ('TWD', 'USD') OR regexp_full_match(regexp_replace(upper(cell(s)), '^NT\$?$|^NTD$', 'TWD'), '[A-Z]{3}');
CREATE MACRO whole_ok(s) AS cell(s) IS NULL OR regexp_full_match(replace(trim(fw(s)), ',', ''), '\d+');
-- Status words as staff write them (In Progress, 進行中, paid), by their enum key.
SET VARIABLE status_words = (SELECT map(list(key), list(status)) FROM (
  SELECT DISTINCT tab || ' ' || enum_key(word) AS key, status FROM vocabulary));
-- The exact word first: a key is its own enum key, so a cell that is a key needs no normalising.
CREATE MACRO word(tab_name, s) AS coalesce(map_extract_value(getvariable('status_words'), tab_name || ' ' || s),
  map_extract_value(getvariable('status_words'), tab_name || ' ' || enum_key(s)));

-- A tab's rows as text, numbered in file order (rn: the first of a repeated id is the one kept).
CREATE MACRO raw_tab(name) AS TABLE
  SELECT row_number() OVER () AS rn, * FROM read_csv('{{dir}}/' || name || '.csv', header = true, all_varchar = true, null_padding = true);
-- The same for tabs whose cells hold line breaks (campaign and story bodies): DuckDB's parallel
-- reader refuses null_padding with quoted line breaks, so these small tabs are read serially.
CREATE MACRO raw_tab_serial(name) AS TABLE
  SELECT row_number() OVER () AS rn, * FROM read_csv('{{dir}}/' || name || '.csv', header = true, all_varchar = true, null_padding = true, parallel = false);
