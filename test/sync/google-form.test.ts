import { describe, expect, it } from 'vitest';
import { PREFERENCE_FIELDS, PREFERENCE_REQUIRED, SIGNUP_FIELDS, SIGNUP_REQUIRED, readPrefilledLink, readTopics } from '../../sync/schema/google-form.ts';
import type { RawWorkbook } from '../../sync/sources/source.ts';
import { validateWorkbook } from '../../sync/validate.ts';

const FORM = 'https://docs.google.com/forms/d/e/1FAIpQLSd3xAmPlE_form-id/';
/** A pre-filled link as Google's ⋮ → Get pre-filled link makes it: usp=pp_url, then entry.N=answer per answered question. */
const prefilled = (page: string, answers: [string, string][], base = FORM) =>
  `${base}${page}?usp=pp_url&${answers.map(([entry, answer]) => `${entry}=${encodeURIComponent(answer)}`).join('&')}`;
const signupAnswers = SIGNUP_FIELDS.map((f, i): [string, string] => [`entry.${1000 + i}`, f]);
const signup = (link: string) => readPrefilledLink(link, SIGNUP_FIELDS, SIGNUP_REQUIRED);
const preferences = (link: string) => readPrefilledLink(link, PREFERENCE_FIELDS, PREFERENCE_REQUIRED);

describe('reading a pre-filled link', () => {
  it('maps each field to the entry whose answer names it, and posts to formResponse', () => {
    const read = signup(prefilled('viewform', signupAnswers));
    expect(read).toEqual({
      ok: true,
      form: { action: `${FORM}formResponse`, fields: Object.fromEntries(SIGNUP_FIELDS.map((f, i) => [f, `entry.${1000 + i}`])) },
    });
  });

  it('takes the formResponse address as well as viewform, answers in any case and with spaces', () => {
    const read = preferences(prefilled('formResponse', [['entry.7', ' Token '], ['entry.8', 'CHANNELS'], ['entry.9', 'topics'], ['entry.10', 'frequency']]));
    expect(read).toEqual({ ok: true, form: { action: `${FORM}formResponse`, fields: { token: 'entry.7', channels: 'entry.8', topics: 'entry.9', frequency: 'entry.10' } } });
  });

  it('drops the signed-in account (/u/0/) from the address visitors post to', () => {
    const read = preferences(prefilled('viewform', [['entry.1', 'token'], ['entry.2', 'channels'], ['entry.3', 'topics'], ['entry.4', 'frequency']], 'https://docs.google.com/forms/u/1/d/e/1FAIpQLSd3xAmPlE_form-id/'));
    expect(read.ok && read.form.action).toBe(`${FORM}formResponse`);
  });

  it('needs only the required questions; optional ones left out are simply not posted', () => {
    const read = signup(prefilled('viewform', [['entry.1', 'email'], ['entry.2', 'consent_version'], ['entry.3', 'source'], ['entry.4', 'confirm']]));
    expect(read.ok && read.form.fields).toEqual({ email: 'entry.1', consent_version: 'entry.2', source: 'entry.3', confirm: 'entry.4' });
  });

  it('names the required questions the link does not answer', () => {
    const read = signup(prefilled('viewform', [['entry.1', 'email'], ['entry.2', 'first_name']]));
    expect(read).toEqual({ ok: false, message: expect.stringContaining('does not name the question(s) consent_version, source, confirm') });
  });

  it('names a stray answer that is not a field name (a real answer typed instead of the field name)', () => {
    const read = preferences(prefilled('viewform', [['entry.1', 'token'], ['entry.2', 'channels'], ['entry.3', 'topics'], ['entry.4', 'frequency'], ['entry.5', '每月']]));
    expect(read).toEqual({ ok: false, message: expect.stringContaining('"每月" are not field names') });
  });

  it('refuses one field name typed into two questions', () => {
    const read = preferences(prefilled('viewform', [['entry.1', 'token'], ['entry.2', 'channels'], ['entry.3', 'topics'], ['entry.4', 'frequency'], ['entry.5', 'topics']]));
    expect(read).toEqual({ ok: false, message: expect.stringContaining('more than one question has the answer topics') });
  });

  it('ignores Google\'s own parameters (usp, checkbox sentinels) that are not entry.N', () => {
    const link = `${prefilled('viewform', [['entry.1', 'token'], ['entry.2', 'channels'], ['entry.3', 'topics'], ['entry.4', 'frequency']])}&entry.9_sentinel=&fbzx=123`;
    expect(preferences(link).ok).toBe(true);
  });

  it.each([
    ['not a link at all', 'entry.1=email', 'paste the form\'s pre-filled link'],
    ['another host', 'https://docs.example.com/forms/d/e/abc/viewform?entry.1=token', 'this is not a Google Form link'],
    ['a look-alike host', 'https://docs.google.com.evil.test/forms/d/e/abc/viewform?entry.1=token', 'this is not a Google Form link'],
    ['plain http', 'http://docs.google.com/forms/d/e/abc/viewform?entry.1=token', 'this is not a Google Form link'],
    ['the short forms.gle link', 'https://forms.gle/AbCdEf123', 'this is not a Google Form link'],
    ['a Google Doc', 'https://docs.google.com/document/d/e/abc/viewform?entry.1=token', 'this is not a Google Form link'],
    ['the editor\'s link', 'https://docs.google.com/forms/d/1AbCdEfGh/edit', 'this is the link for editing the form'],
  ])('refuses %s', (_what, link, message) => {
    expect(preferences(link)).toEqual({ ok: false, message: expect.stringContaining(message) });
  });
});

describe('reading topics', () => {
  it('reads ids with optional labels, in order, lowercasing ids and keeping labels as written', () => {
    expect(readTopics('newsletter, Appeals=緊急募款; events＝活動與講座、volunteering=Volunteer = help')).toEqual({
      ok: true,
      topics: [{ id: 'newsletter' }, { id: 'appeals', label: '緊急募款' }, { id: 'events', label: '活動與講座' }, { id: 'volunteering', label: 'Volunteer = help' }],
    });
  });

  it.each([
    ['newsletter, events, Newsletter', 'the topic newsletter is listed twice'],
    ['newsletter, 活動', '"活動" is not a topic id'],
    ['news letter', '"news letter" is not a topic id'],
    ['=label only', '"" is not a topic id'],
    [' , ;', 'list at least one topic'],
  ])('refuses %j', (text, message) => {
    expect(readTopics(text)).toEqual({ ok: false, message: expect.stringContaining(message) });
  });
});

describe('the settings rows', () => {
  /** The settings tab with these key/value rows, through the real validator. */
  function settings(rows: [string, string][]) {
    const workbook: RawWorkbook = new Map([
      ['settings', { name: 'settings', header: ['key', 'value'], rows }],
      ['contacts', { name: 'contacts', header: ['contact_id', 'first_name'], rows: [] }],
      ['donations', { name: 'donations', header: ['donation_id', 'contact_id', 'date', 'amount'], rows: [] }],
    ]);
    const { dataset, problems } = validateWorkbook(workbook);
    return { settings: dataset.settings, problems: problems.map((p) => `${p.tab}!${p.column_letter}${p.row} ${p.severity}: ${p.message}`) };
  }

  it('reads both forms and the topics into settings', () => {
    const { settings: s, problems } = settings([
      ['signup_form', prefilled('viewform', signupAnswers)],
      ['preferences_form', prefilled('viewform', [['entry.1', 'token'], ['entry.2', 'channels'], ['entry.3', 'topics'], ['entry.4', 'frequency']])],
      ['topics', 'newsletter, events=活動'],
    ]);
    expect(problems).toEqual([]);
    expect(s.signup_form?.fields.confirm).toBe('entry.1012');
    expect(s.preferences_form).toEqual({ action: `${FORM}formResponse`, fields: { token: 'entry.1', channels: 'entry.2', topics: 'entry.3', frequency: 'entry.4' } });
    expect(s.topics).toEqual([{ id: 'newsletter' }, { id: 'events', label: '活動' }]);
  });

  it('without them: no forms (the pages say the form is not set up) and the four default topics', () => {
    const { settings: s, problems } = settings([]);
    expect(problems).toEqual([]);
    expect(s.signup_form).toBeUndefined();
    expect(s.preferences_form).toBeUndefined();
    expect(s.topics.map((t) => t.id)).toEqual(['newsletter', 'appeals', 'events', 'volunteering']);
  });

  it('names the settings row and column of a bad form link or topic list, and falls back to the default', () => {
    const { settings: s, problems } = settings([
      ['org_name', 'Warm Corner'],
      ['signup_form', prefilled('viewform', [['entry.1', 'email']])],
      ['preferences_form', 'https://forms.gle/AbCdEf123'],
      ['topics', 'newsletter, newsletter'],
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/^settings!B3 error: signup_form: the link does not name the question\(s\) consent_version, source, confirm.*; the default is used until this is fixed$/),
      expect.stringMatching(/^settings!B4 error: preferences_form: this is not a Google Form link/),
      expect.stringMatching(/^settings!B5 error: topics: the topic newsletter is listed twice/),
    ]);
    expect(s.signup_form).toBeUndefined();
    expect(s.preferences_form).toBeUndefined();
    expect(s.topics.map((t) => t.id)).toEqual(['newsletter', 'appeals', 'events', 'volunteering']);
  });
});
