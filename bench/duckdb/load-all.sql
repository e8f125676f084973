-- The whole load: every tab of the workbook read and normalised as Tidings' sync must (each
-- column by its type in sync/schema/tabs.ts, a row flag for required and readable cells, repeated
-- ids and references to rows that exist), with the macros of cells.sql. No segments: this is the
-- DuckDB side of "whole sync". Kinder to DuckDB than sync is: it writes no problem messages, and a
-- date-time is read as a UTC instant or as its date (Tidings converts wall-clock times by zone).
-- The result is one table per tab; the runner counts their rows.

CREATE MACRO yes_no(s) AS CASE WHEN cell(s) IS NULL THEN false
  WHEN s IN ('yes', 'TRUE', 'true', '1') THEN true WHEN s IN ('no', 'FALSE', 'false', '0') THEN false
  WHEN lower(trim(fw(s))) IN ('yes', 'y', 'true', '1', '是', '有', '要', '同意', '✓', '✔', '☑', 'v', 'x', 'on', 'checked') THEN true
  WHEN lower(trim(fw(s))) IN ('no', 'n', 'false', '0', '否', '無', '不', '不要', '不同意', '✗', '☐', 'off') THEN false END;
CREATE MACRO yes_no_ok(s) AS yes_no(s) IS NOT NULL;
CREATE MACRO email_of(s) AS CASE WHEN cell(s) IS NOT NULL THEN regexp_replace(trim(fw(s)), '^mailto:', '', 'i') END;
CREATE MACRO email_ok(s) AS cell(s) IS NULL OR regexp_full_match(email_of(s), '[^@\s]+@[^@\s]+\.[^@\s.]+');
CREATE MACRO read_instant(s) AS CASE WHEN length(s) = 24 AND s[11] = 'T' AND try_cast(s AS TIMESTAMPTZ) IS NOT NULL THEN try_cast(s AS TIMESTAMPTZ)
  ELSE read_date(s)::TIMESTAMPTZ END;
CREATE MACRO instant_ok(s) AS cell(s) IS NULL OR read_instant(s) IS NOT NULL;
CREATE MACRO read_number(s) AS coalesce(try_cast(s AS DOUBLE), try_cast(regexp_replace(replace(trim(fw(s)), ',', ''), '%$', '') AS DOUBLE));
CREATE MACRO number_ok(s) AS cell(s) IS NULL OR read_number(s) IS NOT NULL;
CREATE MACRO url_ok(s) AS cell(s) IS NULL OR regexp_full_match(trim(s), 'https?://[^\s/]+\S*');
CREATE MACRO list_of(s) AS list_filter(list_transform(regexp_split_to_array(coalesce(s, ''), '[,;，；、\n]'), t -> trim(t)), t -> t <> '');
CREATE MACRO whole(s) AS try_cast(replace(trim(fw(s)), ',', '') AS BIGINT);
CREATE MACRO amount_ok(s) AS cell(s) IS NULL OR read_amount(s) IS NOT NULL;
CREATE MACRO repeated(id) AS count(*) OVER (PARTITION BY id) > 1 AND id IS NOT NULL;

CREATE TABLE settings AS
  SELECT lower(trim(key)) AS key, trim(value) AS value FROM read_csv('{{dir}}/settings.csv', header = true, all_varchar = true);

CREATE TABLE contacts AS SELECT rn, cell(contact_id) AS contact_id, cell(first_name) AS first_name, cell(last_name) AS last_name,
    cell(organization) AS organization, email_of(email) AS email, email_ok(email) AS email_ok, cell(phone) AS phone,
    read_date(birth_date) AS birth_date, cell(country) AS country, cell(region) AS region, cell(city) AS city,
    cell(postal_code) AS postal_code, cell(language) AS language, yes_no(email_opt_in) AS email_opt_in, yes_no(sms_opt_in) AS sms_opt_in,
    yes_no(map_opt_in) AS map_opt_in, yes_no(do_not_contact) AS do_not_contact, list_of(tags) AS tags, cell(source) AS source,
    read_date(created_at) AS created_at, cell(notes) AS notes,
    cell(contact_id) IS NOT NULL AND date_ok(birth_date) AND date_ok(created_at) AND yes_no_ok(email_opt_in) AND yes_no_ok(sms_opt_in)
      AND yes_no_ok(map_opt_in) AND yes_no_ok(do_not_contact)
      AND coalesce(cell(first_name), cell(last_name), cell(organization), cell(email)) IS NOT NULL AS ok,
    repeated(cell(contact_id)) AS repeated
  FROM raw_tab('contacts');

CREATE TABLE recurring AS SELECT rn, cell(recurring_id) AS recurring_id, cell(contact_id) AS contact_id, read_amount(amount) AS amount,
    upper(cell(currency)) AS currency, word('frequency', frequency) AS frequency, read_date(start_date) AS start_date,
    read_date(end_date) AS end_date, whole(installments) AS installments, word('recurring', status) AS status,
    cell(financial_type) AS financial_type, cell(campaign) AS campaign, cell(payment_method) AS payment_method,
    cell(recurring_id) IS NOT NULL AND cell(contact_id) IS NOT NULL AND read_amount(amount) IS NOT NULL AND currency_ok(currency)
      AND read_date(start_date) IS NOT NULL AND date_ok(end_date) AND whole_ok(installments)
      AND (cell(frequency) IS NULL OR word('frequency', frequency) IS NOT NULL) AND word('recurring', status) IS NOT NULL AS ok,
    repeated(cell(recurring_id)) AS repeated, cell(contact_id) IN (SELECT contact_id FROM contacts) AS known_contact
  FROM raw_tab('recurring');

CREATE TABLE donations AS SELECT rn, cell(donation_id) AS donation_id, cell(contact_id) AS contact_id, read_date(date) AS date,
    read_amount(amount) AS amount, upper(cell(currency)) AS currency, coalesce(word('donation', status), 'completed') AS status,
    cell(recurring_id) AS recurring_id, cell(financial_type) AS financial_type, cell(campaign) AS campaign,
    cell(payment_method) AS payment_method, cell(receipt_no) AS receipt_no, cell(utm_source) AS utm_source, cell(utm_medium) AS utm_medium,
    cell(utm_campaign) AS utm_campaign, cell(utm_content) AS utm_content, cell(utm_term) AS utm_term, cell(notes) AS notes,
    cell(donation_id) IS NOT NULL AND cell(contact_id) IS NOT NULL AND read_date(date) IS NOT NULL AND read_amount(amount) IS NOT NULL
      AND currency_ok(currency) AND (cell(status) IS NULL OR word('donation', status) IS NOT NULL) AS ok,
    repeated(cell(donation_id)) AS repeated, cell(contact_id) IN (SELECT contact_id FROM contacts) AS known_contact,
    cell(recurring_id) IS NULL OR cell(recurring_id) IN (SELECT recurring_id FROM recurring) AS known_plan
  FROM raw_tab('donations');

CREATE TABLE events AS SELECT rn, cell(event_id) AS event_id, cell(title) AS title, read_date(date) AS date, cell(location) AS location,
    cell(campaign) AS campaign, cell(event_id) IS NOT NULL AND cell(title) IS NOT NULL AND read_date(date) IS NOT NULL AS ok,
    repeated(cell(event_id)) AS repeated
  FROM raw_tab('events');

CREATE TABLE participants AS SELECT rn, cell(event_id) AS event_id, cell(contact_id) AS contact_id,
    coalesce(word('participant', status), 'registered') AS status, read_instant(registered_at) AS registered_at,
    cell(event_id) IS NOT NULL AND cell(contact_id) IS NOT NULL AND (cell(status) IS NULL OR word('participant', status) IS NOT NULL)
      AND instant_ok(registered_at) AS ok,
    cell(event_id) IN (SELECT event_id FROM events) AND cell(contact_id) IN (SELECT contact_id FROM contacts) AS known
  FROM raw_tab('participants');

CREATE TABLE campaigns AS SELECT rn, lower(cell(slug)) AS slug, cell(title) AS title, read_amount(goal) AS goal, upper(cell(currency)) AS currency,
    read_date(start_date) AS start_date, read_date(end_date) AS end_date, cell(payment_url) AS payment_url,
    list_transform(list_of(suggested_amounts), a -> read_amount(a)) AS suggested_amounts, yes_no(allow_recurring) AS allow_recurring,
    cell(summary) AS summary, cell(body) AS body, cell(image_url) AS image_url, yes_no(published) AS published,
    regexp_full_match(lower(cell(slug)), '[a-z0-9][a-z0-9-]*') AND cell(title) IS NOT NULL AND amount_ok(goal) AND currency_ok(currency)
      AND date_ok(start_date) AND date_ok(end_date) AND url_ok(payment_url) AND url_ok(image_url)
      AND yes_no_ok(allow_recurring) AND yes_no_ok(published) AS ok,
    repeated(lower(cell(slug))) AS repeated
  FROM raw_tab_serial('campaigns');

CREATE TABLE mailings AS SELECT rn, cell(mailing_id) AS mailing_id, cell(name) AS name, cell(subject) AS subject,
    cell(preview_text) AS preview_text, cell(template) AS template, cell(segment) AS segment, cell(exclude_segment) AS exclude_segment,
    cell(locale) AS locale, read_instant(scheduled_for) AS scheduled_for, coalesce(word('mailing', status), 'draft') AS status,
    read_instant(sent_at) AS sent_at, cell(created_by) AS created_by, yes_no(public) AS public,
    cell(mailing_id) IS NOT NULL AND cell(name) IS NOT NULL AND cell(subject) IS NOT NULL AND instant_ok(scheduled_for)
      AND instant_ok(sent_at) AND (cell(status) IS NULL OR word('mailing', status) IS NOT NULL) AND yes_no_ok(public) AS ok,
    repeated(cell(mailing_id)) AS repeated
  FROM raw_tab_serial('mailings');

CREATE TABLE stories AS SELECT rn, cell(mailing_id) AS mailing_id, read_number(position) AS position, cell(title) AS title,
    cell(body) AS body, cell(link_url) AS link_url, cell(image_url) AS image_url, cell(author) AS author,
    cell(mailing_id) IN (SELECT mailing_id FROM mailings) AND number_ok(position) AND cell(title) IS NOT NULL
      AND url_ok(link_url) AND url_ok(image_url) AS ok
  FROM raw_tab_serial('stories');

CREATE TABLE email_events AS SELECT rn, cell(message_id) AS message_id, cell(mailing_id) AS mailing_id, cell(contact_id) AS contact_id,
    cell(email) AS email, read_instant(sent_at) AS sent_at, word('email_event', last_event) AS last_event,
    read_instant(opened_at) AS opened_at, read_instant(clicked_at) AS clicked_at, read_instant(updated_at) AS updated_at,
    word('bounce', bounce_type) AS bounce_type,
    cell(message_id) IS NOT NULL AND instant_ok(sent_at) AND instant_ok(opened_at) AND instant_ok(clicked_at) AND instant_ok(updated_at)
      AND (cell(last_event) IS NULL OR word('email_event', last_event) IS NOT NULL)
      AND (cell(bounce_type) IS NULL OR word('bounce', bounce_type) IS NOT NULL) AS ok,
    repeated(cell(message_id)) AS repeated,
    (cell(contact_id) IS NULL OR cell(contact_id) IN (SELECT contact_id FROM contacts))
      AND (cell(mailing_id) IS NULL OR cell(mailing_id) IN (SELECT mailing_id FROM mailings)) AS known
  FROM raw_tab('email_events');

CREATE TABLE impact AS SELECT rn, cell(period) AS period, cell(metric) AS metric, read_number(value) AS value, cell(unit) AS unit,
    cell(note) AS note, yes_no(public) AS public,
    cell(period) IS NOT NULL AND cell(metric) IS NOT NULL AND read_number(value) IS NOT NULL AND yes_no_ok(public) AS ok
  FROM raw_tab_serial('impact');

CREATE TABLE unsubscribes AS SELECT rn, read_instant(timestamp) AS timestamp, cell(token) AS token, cell(email) AS email,
    cell(reason) AS reason, instant_ok(timestamp) AS ok
  FROM raw_tab_serial('unsubscribes');

CREATE TABLE goals AS SELECT rn, lower(cell(metric)) AS metric, read_number(replace(target, '%', '')) AS target,
    try_cast(regexp_extract(trim(fw(fiscal_year)), '^(\d{4})', 1) AS INT) AS fiscal_year, cell(note) AS note,
    cell(metric) IS NOT NULL AND read_number(replace(target, '%', '')) IS NOT NULL AS ok
  FROM raw_tab_serial('goals');
