import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

describe('.github/workflows/newsletter.yml', async () => {
  const text = await readFile(join(import.meta.dirname, '../../.github/workflows/newsletter.yml'), 'utf8');
  const wf = parse(text) as Record<string, any>;
  const steps = wf.jobs.send.steps as Record<string, any>[];

  it('runs on the 15th at 03:00 UTC and by hand with an optional mailing id', () => {
    expect(wf.on.schedule).toEqual([{ cron: '0 3 15 * *' }]);
    expect(wf.on.workflow_dispatch.inputs.mailing_id.required).toBe(false);
  });

  it('never overlaps and never cancels a send in progress', () => {
    expect(wf.concurrency).toEqual({ group: 'newsletter', 'cancel-in-progress': false });
  });

  it('Node 24, npm install, sync then send --due --live (or the mailing id)', () => {
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with['node-version']).toBe(24);
    const runs = steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('npm install');
    expect(runs.indexOf('-- sync')).toBeLessThan(runs.indexOf('-- send'));
    expect(runs).toContain('send --due --live');
    expect(runs).toContain('send "$MAILING_ID" --live');
  });

  it('takes every secret from secrets, Google auth by Workload Identity Federation, and uploads nothing', () => {
    for (const name of ['TIDINGS_SHEET_ID', 'RESEND_API_KEY', 'TIDINGS_UNSUBSCRIBE_SECRET']) {
      expect(wf.jobs.send.env[name]).toBe(`\${{ secrets.${name} }}`);
    }
    const auth = steps.find((s) => s.uses?.startsWith('google-github-actions/auth'));
    expect(auth?.with.workload_identity_provider).toMatch(/secrets\./);
    expect(wf.permissions['id-token']).toBe('write');
    expect(steps.some((s) => s.uses?.includes('upload-artifact'))).toBe(false);
    expect(text).not.toMatch(/re_[A-Za-z0-9]{8,}/);
  });
});
