import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printable } from '../../sync/terminal.ts';
import { TERMINAL } from '../fixtures/hostile/cells.ts';
import { tidings } from '../support/cli.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';
import { tempDir } from '../support/sheets.ts';

const AS_OF = '2026-11-22';
// What a terminal would act on: every control character but the line breaks between our own lines.
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const SHOWN = printable(TERMINAL);
// A cell is trimmed as it is read: a trailing CR goes.
const SHOWN_TRIMMED = printable(TERMINAL.trim());

let dir: string;
let out: string;
const cli = (...args: string[]) => tidings(...args, '--source', `csv:${dir}`, '--out', out, '--as-of', AS_OF);

beforeAll(async () => {
  out = await tempDir('terminal-out');
  dir = await writeCsvFolder({
    contacts: [
      { contact_id: 'C1', first_name: `Amy${TERMINAL}`, email: `amy${TERMINAL}@example.org` },
      { contact_id: 'C2', first_name: 'Ben', email: 'ben@example.org' },
    ],
    donations: [{ donation_id: 'D1', contact_id: 'C1', date: '2026-11-01', amount: '500' }],
    mailings: [{ mailing_id: 'M1', name: 'n', subject: 'Hello', segment: 'all', status: 'scheduled', template: `news${TERMINAL}` }],
  }, SETTINGS);
});

afterAll(() => Promise.all([dir, out].map((d) => rm(d, { recursive: true, force: true }))));

describe('the terminal: a cell with escape sequences cannot drive it', () => {
  it('shows each control character as its escape', () => {
    expect(SHOWN).toBe('\\u001b[2J\\u001b[H\\u001b]0;pwned\\u0007ok\\u009b31m\\r');
    expect(printable('名字\tline\nnext\u202eevil')).toBe('名字\\tline\\nnext\\u202eevil');
  });

  it('sync prints a problem value and message with the escapes visible', async () => {
    const { code, stdout, stderr } = await cli('sync', '--no-backup');
    expect(code, stderr).toBe(0);
    expect(stdout).not.toMatch(CONTROLS);
    expect(stdout).toContain(`warning: contacts, row 2, column C (email) [amy${SHOWN}@example.org]`);
  });

  it('segments prints a member name with the escapes visible', async () => {
    const { code, stdout, stderr } = await cli('segments', 'recent_donors');
    expect(code, stderr).toBe(0);
    expect(stdout).not.toMatch(CONTROLS);
    expect(stdout).toContain(`Amy${SHOWN_TRIMMED}  `);
  });

  it('an error that quotes a cell is printed with the escapes visible', async () => {
    const { code, stdout, stderr } = await cli('send', 'M1');
    expect(code).toBe(2);
    expect(stdout + stderr).not.toMatch(CONTROLS);
    expect(stderr).toContain(`"news${SHOWN_TRIMMED}" is not a template`);
  });
});
