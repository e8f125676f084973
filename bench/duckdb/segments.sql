-- The saved segments of reports/segments/*.ts (issue 3), written again as SQL for DuckDB: a
-- second, independent implementation that bench/duckdb/segments.ts runs on the same raw CSV files
-- Tidings syncs. DuckDB reads the cells as text and normalises the staff-typed forms itself
-- (NT$1,000, 1,000元, ROC dates, full-width digits, zh-TW status words), and keeps only the rows
-- Tidings keeps (required cells, readable values, references to kept rows, first of a repeated id).
--
-- The runner runs bench/duckdb/cells.sql first (the cell macros), replaces {{dir}} with the CSV
-- folder and sets the variable as_of. The result is the table members(segment, contact_id).

-- Settings --------------------------------------------------------------------------------------

CREATE TABLE settings AS
  SELECT lower(trim(key)) AS key, trim(value) AS value FROM read_csv('{{dir}}/settings.csv', header = true, all_varchar = true);
CREATE TABLE cfg AS SELECT
  coalesce((SELECT nullif(value, '') FROM settings WHERE key = 'fiscal_year_start'), '01-01') AS fiscal_year_start,
  list_filter(list_transform(regexp_split_to_array(coalesce((SELECT nullif(value, '') FROM settings WHERE key = 'non_donation_types'), 'membership, event fee'), '[,;，、]'), t -> lower(trim(t))), t -> t <> '') AS non_donation_types,
  getvariable('as_of')::DATE AS d;

-- Rows Tidings keeps ----------------------------------------------------------------------------

CREATE TABLE contacts AS
  WITH parsed AS (
    SELECT rn, cell(contact_id) AS contact_id, read_date(birth_date) AS birth_date, read_date(created_at) AS created_at
    FROM raw_tab('contacts')
    WHERE cell(contact_id) IS NOT NULL AND date_ok(birth_date) AND date_ok(created_at)
      AND coalesce(cell(first_name), cell(last_name), cell(organization), cell(email)) IS NOT NULL)
  SELECT * EXCLUDE (rn) FROM parsed QUALIFY row_number() OVER (PARTITION BY contact_id ORDER BY rn) = 1;

CREATE TABLE recurring AS
  WITH parsed AS (
    SELECT rn, cell(recurring_id) AS recurring_id, cell(contact_id) AS contact_id, read_date(start_date) AS start_date,
      read_date(end_date) AS end_date, try_cast(replace(trim(fw(installments)), ',', '') AS BIGINT) AS installments, word('recurring', status) AS status
    FROM raw_tab('recurring')
    WHERE cell(recurring_id) IS NOT NULL AND cell(contact_id) IS NOT NULL AND read_amount(amount) IS NOT NULL AND currency_ok(currency)
      AND read_date(start_date) IS NOT NULL AND date_ok(end_date) AND whole_ok(installments)
      AND (cell(frequency) IS NULL OR word('frequency', frequency) IS NOT NULL) AND word('recurring', status) IS NOT NULL)
  SELECT * EXCLUDE (rn) FROM parsed
  QUALIFY row_number() OVER (PARTITION BY recurring_id ORDER BY rn) = 1 AND contact_id IN (SELECT contact_id FROM contacts);

CREATE TABLE donations AS
  WITH parsed AS (
    SELECT rn, cell(donation_id) AS donation_id, cell(contact_id) AS contact_id, read_date(date) AS date,
      coalesce(word('donation', status), 'completed') AS status, cell(recurring_id) AS recurring_id,
      lower(coalesce(cell(financial_type), '')) AS financial_type
    FROM raw_tab('donations')
    WHERE cell(donation_id) IS NOT NULL AND cell(contact_id) IS NOT NULL AND read_date(date) IS NOT NULL
      AND read_amount(amount) IS NOT NULL AND currency_ok(currency) AND (cell(status) IS NULL OR word('donation', status) IS NOT NULL))
  SELECT * EXCLUDE (rn) FROM parsed
  QUALIFY row_number() OVER (PARTITION BY donation_id ORDER BY rn) = 1
    AND contact_id IN (SELECT contact_id FROM contacts)
    AND (recurring_id IS NULL OR recurring_id IN (SELECT recurring_id FROM recurring));

CREATE TABLE events AS
  WITH parsed AS (
    SELECT rn, cell(event_id) AS event_id, read_date(date) AS date FROM raw_tab('events')
    WHERE cell(event_id) IS NOT NULL AND cell(title) IS NOT NULL AND read_date(date) IS NOT NULL)
  SELECT * EXCLUDE (rn) FROM parsed QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY rn) = 1;

-- registered_at is a wall-clock time in the org's time zone: the date it falls on is its date part.
CREATE TABLE participants AS
  SELECT cell(event_id) AS event_id, cell(contact_id) AS contact_id, coalesce(word('participant', status), 'registered') AS status,
    read_date(registered_at) AS registered_on
  FROM raw_tab('participants')
  WHERE cell(event_id) IN (SELECT event_id FROM events) AND cell(contact_id) IN (SELECT contact_id FROM contacts)
    AND (cell(status) IS NULL OR word('participant', status) IS NOT NULL) AND date_ok(registered_at);

-- Derivations as of D ---------------------------------------------------------------------------

-- A gift: completed, dated on or before D, not a non-donation type; failed attempts likewise.
CREATE TABLE gifts AS SELECT d.* FROM donations d, cfg
  WHERE d.status = 'completed' AND d.date <= cfg.d AND NOT list_contains(cfg.non_donation_types, trim(d.financial_type));
CREATE TABLE failures AS SELECT d.* FROM donations d, cfg
  WHERE d.status = 'failed' AND d.date <= cfg.d AND NOT list_contains(cfg.non_donation_types, trim(d.financial_type));
CREATE TABLE donors AS SELECT contact_id, min(date) AS first_gift, max(date) AS last_gift, count(*) AS gifts,
  count(*) FILTER (WHERE recurring_id IS NULL) AS single_gifts, count(*) FILTER (WHERE recurring_id IS NOT NULL) AS recurring_gifts
  FROM gifts GROUP BY contact_id;

-- Plans started by D; counted when a gift references them; current (in progress) or past.
CREATE TABLE plans AS
  SELECT r.*, coalesce(p.paid, 0) AS paid,
    CASE WHEN coalesce(p.paid, 0) = 0 THEN NULL WHEN r.status = 'in_progress' THEN 'current'
         WHEN r.status IN ('completed', 'cancelled', 'overdue', 'paused') THEN 'past' END AS state
  FROM recurring r CROSS JOIN cfg
  LEFT JOIN (SELECT recurring_id, count(*) AS paid FROM gifts GROUP BY recurring_id) p USING (recurring_id)
  WHERE r.start_date <= cfg.d;
CREATE TABLE plan_history AS SELECT contact_id, bool_or(state = 'current') AS has_current, bool_or(state = 'past') AS has_past
  FROM plans WHERE state IS NOT NULL GROUP BY contact_id;

-- Fiscal years: "this year" is the one containing D; the years before it are whole.
CREATE MACRO fy_start_of(day) AS (SELECT CASE WHEN strftime(day, '%m-%d') >= fiscal_year_start
  THEN strptime(strftime(day, '%Y') || '-' || fiscal_year_start, '%Y-%m-%d')::DATE
  ELSE strptime((year(day) - 1)::VARCHAR || '-' || fiscal_year_start, '%Y-%m-%d')::DATE END FROM cfg);
CREATE TABLE years AS SELECT n, (fy_start_of(cfg.d) - to_years(n::INT))::DATE AS start,
  (fy_start_of(cfg.d) - to_years(n::INT - 1) - INTERVAL 1 DAY)::DATE AS "end" FROM cfg, range(0, 4) t(n);
CREATE MACRO fy(k) AS (SELECT start FROM years WHERE n = k);
CREATE MACRO last_months_start(m) AS (SELECT (d - to_months(m::INT) + INTERVAL 1 DAY)::DATE FROM cfg);

-- Segments --------------------------------------------------------------------------------------

CREATE TABLE members AS
  SELECT 'first_time_donors' AS segment, contact_id FROM donors, cfg WHERE first_gift >= cfg.d - 89
  UNION ALL SELECT 'recent_donors', contact_id FROM donors WHERE last_gift >= last_months_start(6)
  UNION ALL SELECT DISTINCT 'failed_no_retry', f.contact_id FROM failures f, cfg
    WHERE f.date >= cfg.d - 89 AND f.date + 7 <= cfg.d
      AND NOT EXISTS (SELECT 1 FROM gifts g WHERE g.contact_id = f.contact_id AND g.date BETWEEN f.date AND f.date + 7)
  UNION ALL SELECT 'recurring_new', contact_id FROM plan_history WHERE has_current AND NOT has_past
  UNION ALL SELECT 'recurring_lapsed', contact_id FROM plan_history WHERE has_past AND NOT has_current
  UNION ALL SELECT 'recurring_loyal', contact_id FROM plan_history WHERE has_current AND has_past
  UNION ALL SELECT 'recurring_any', contact_id FROM plan_history
  UNION ALL SELECT 'recurring_never', contact_id FROM contacts, cfg
    WHERE (created_at IS NULL OR created_at <= cfg.d) AND contact_id NOT IN (SELECT contact_id FROM plan_history)
  UNION ALL SELECT 'birthdays', contact_id FROM contacts, cfg
    WHERE (created_at IS NULL OR created_at <= cfg.d) AND month(birth_date) = month(cfg.d)
  UNION ALL SELECT 'lybunt', contact_id FROM donors WHERE last_gift >= fy(1) AND last_gift < fy(0)
  UNION ALL SELECT 'sybunt', contact_id FROM donors WHERE last_gift < fy(1)
  UNION ALL SELECT 'repeat_single_donors', contact_id FROM donors
    WHERE single_gifts >= 3 AND recurring_gifts = 0
      AND contact_id NOT IN (SELECT contact_id FROM plans WHERE status = 'in_progress')
  UNION ALL SELECT DISTINCT 'recurring_ending', contact_id FROM plans, cfg
    WHERE status = 'in_progress' AND ((installments > 0 AND installments - paid <= 1) OR end_date BETWEEN cfg.d AND cfg.d + 60)
  UNION ALL SELECT DISTINCT 'attendees_not_donors', p.contact_id FROM participants p JOIN events e USING (event_id), cfg
    WHERE p.status IN ('registered', 'attended') AND coalesce(p.registered_on, e.date) <= cfg.d
      AND p.contact_id NOT IN (SELECT contact_id FROM donors)
  UNION ALL SELECT 'lapsed_3m', contact_id FROM donors WHERE last_gift < last_months_start(3)
  UNION ALL SELECT 'long_term_donors', contact_id FROM gifts
    WHERE date >= fy(3) AND date < fy(0) GROUP BY contact_id HAVING count(DISTINCT CASE WHEN date < fy(2) THEN 3 WHEN date < fy(1) THEN 2 ELSE 1 END) = 3
  UNION SELECT 'long_term_donors', contact_id FROM plans WHERE status = 'in_progress' AND paid >= 12;
