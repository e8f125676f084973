import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSend } from '../../cli/commands/send.ts';
import { outboxDir } from '../../emails/send/outbox.ts';
import { tokenVerifier } from '../../emails/unsubscribe.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';

const SECRET = 'outbox-secret';

describe('dry run: the outbox', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.TIDINGS_UNSUBSCRIBE_SECRET;
    process.env.TIDINGS_UNSUBSCRIBE_SECRET = SECRET;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TIDINGS_UNSUBSCRIBE_SECRET;
    else process.env.TIDINGS_UNSUBSCRIBE_SECRET = saved;
  });

  it('writes one parseable .eml per recipient with text, HTML, headers, address, UTM and web link', async () => {
    const dir = await writeCsvFolder(
      {
        contacts: [
          { contact_id: 'C1', first_name: '小明', last_name: '王', email: 'ming@example.org', email_opt_in: 'yes' },
          { contact_id: 'C2', email: 'friend@example.org', email_opt_in: 'yes' },
          { contact_id: 'C3', email: 'no@example.org', email_opt_in: 'no' },
        ],
        mailings: [{ mailing_id: 'M-2026-11', name: '十一月電子報', subject: '十一月的消息', preview_text: '大家都寫一點點', template: 'newsletter', segment: 'all', status: 'scheduled', scheduled_for: '2026-11-15 11:00', public: 'yes' }],
        stories: [{ mailing_id: 'M-2026-11', position: '1', title: '課輔開學', body: '見 [照片](https://example.org/p)', link_url: 'https://example.org/s/1' }],
      },
      SETTINGS,
    );
    const out = join(dir, 'out');
    const lines: string[] = [];
    await runSend('M-2026-11', { source: `csv:${dir}`, out, asOf: '2026-11-15' }, (l) => lines.push(l));
    expect(lines.join('\n')).toContain('M-2026-11: 2 recipients (segment: 3)');
    expect(lines.join('\n')).toContain('left out, no email opt in: 1');

    const outbox = outboxDir(out, 'M-2026-11');
    const files = (await readdir(outbox)).sort();
    expect(files.filter((f) => f.endsWith('.eml'))).toEqual(['0001-C1.eml', '0002-C2.eml']);
    const index = await readFile(join(outbox, 'index.html'), 'utf8');
    expect(index).toContain('ming@example.org');
    expect(index).toContain('0002-C2.html');

    const mail = await simpleParser(await readFile(join(outbox, '0001-C1.eml')));
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(mail.subject).toBe('十一月的消息');
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('ming@example.org');
    expect(mail.replyTo?.text).toBe('hello@example.org');
    expect(mail.text).toContain('王小明');
    expect(mail.text).toContain('100 臺北市中正區範例路 1 號');
    expect(mail.html).toContain('https://example.org/newsletters/M-2026-11/?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=M-2026-11');
    expect(mail.html).toContain('https://example.org/p?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=M-2026-11');

    // List-Unsubscribe points at the Google Form with a token that verifies for this contact only.
    const list = mail.headers.get('list') as { unsubscribe: { url: string }; 'unsubscribe-post': { name: string } };
    expect(list['unsubscribe-post'].name).toBe('List-Unsubscribe=One-Click');
    const header = list.unsubscribe.url;
    const url = new URL(header);
    expect(url.origin + url.pathname).toBe('https://docs.google.com/forms/d/e/FORMID/formResponse');
    const token = url.searchParams.get('entry.1234')!;
    const verify = tokenVerifier(SECRET, [{ contact_id: 'C1' }, { contact_id: 'C2' }]);
    expect(verify(token)).toEqual({ ok: true, contact_id: 'C1' });
    expect(token).not.toContain('C1');
    // The body's unsubscribe link goes to the site's page with the same token.
    expect(mail.text).toContain(`https://example.org/unsubscribe/?t=${token}`);
  });
});
