import { describe, expect, it } from 'vitest';
import { runForget } from '../../cli/commands/forget.ts';
import { printable } from '../../sync/terminal.ts';
import { TERMINAL } from '../fixtures/hostile/cells.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';
import { tempDir } from '../support/sheets.ts';

// What a terminal would act on: any control character (each printed line is one line, without breaks).
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('the terminal: forget prints names and emails with the escapes visible', () => {
  it('the plan and what was done show a name holding escape sequences as text', async () => {
    const dir = await writeCsvFolder({
      contacts: [
        { contact_id: 'C1', first_name: `Amy${TERMINAL}x`, email: `amy${TERMINAL}x@example.org` },
        { contact_id: 'C2', first_name: 'Ben', email: 'ben@example.org' },
      ],
      donations: [{ donation_id: 'D1', contact_id: 'C1', date: '2026-11-01', amount: '500' }],
    }, SETTINGS);
    const lines: string[] = [];

    expect(await runForget('C1', { source: `csv:${dir}`, out: await tempDir('terminal-forget-out'), yes: true }, (l) => lines.push(l), `${dir}/backups`)).toBe(true);

    for (const line of lines) expect(line).not.toMatch(CONTROLS);
    const shown = printable(TERMINAL);
    expect(lines[0]).toContain(`Amy${shown}x`);
    // Emails are matched and shown lower-cased.
    expect(lines[0]).toContain(printable(`amy${TERMINAL}x@example.org`.toLowerCase()));
    expect(lines.at(-1)).toMatch(/donation totals unchanged/);
  });
});
