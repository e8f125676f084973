import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, tidings } from '../support/cli.ts';

type Workflow = Record<string, any>;
type Step = Record<string, any>;

const load = async (name: string) => {
  const text = await readFile(join(ROOT, '.github/workflows', name), 'utf8');
  return { text, wf: parse(text) as Workflow };
};
const jobsOf = (wf: Workflow) => Object.entries(wf.jobs as Record<string, Workflow>);
const stepsOf = (wf: Workflow) => jobsOf(wf).flatMap(([, job]) => job.steps as Step[]);
const runsOf = (wf: Workflow) => stepsOf(wf).map((s) => String(s.run ?? '')).join('\n');

describe('.github/workflows', async () => {
  const newsletter = await load('newsletter.yml');
  const site = await load('site.yml');
  const signups = await load('signups.yml');
  const send = newsletter.wf.jobs.send as Workflow;

  it('the newsletter runs daily, off the top of the hour, and by hand with an optional mailing id', () => {
    const [{ cron }] = newsletter.wf.on.schedule;
    const [minute, hour, ...rest] = cron.split(' ');
    expect(Number(minute)).toBeGreaterThan(0);
    expect(Number(minute)).not.toBe(30);
    expect(Number(hour)).toBeGreaterThanOrEqual(0);
    expect(rest).toEqual(['*', '*', '*']);
    expect(newsletter.wf.on.workflow_dispatch.inputs.mailing_id.required).toBe(false);
  });

  it('never overlaps and never cancels a send or a deployment in progress', () => {
    expect(newsletter.wf.concurrency).toEqual({ group: 'newsletter', 'cancel-in-progress': false });
    expect(site.wf.concurrency['cancel-in-progress']).toBe(false);
  });

  it('installs production dependencies only, and everything the CLI runs with is one', async () => {
    for (const { wf } of [newsletter, site, signups]) {
      const installs = runsOf(wf).split('\n').filter((l) => /\bnpm (ci|install|i)\b/.test(l));
      expect(installs.length).toBeGreaterThan(0);
      for (const line of installs) expect(line).toMatch(/^\s*npm ci --omit=dev\b/);
      expect(stepsOf(wf).find((s) => s.uses?.startsWith('actions/setup-node'))?.with['node-version']).toBe(24);
    }
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.tidings).toContain('node bin/tidings.js');
    // The compiled CLI is rebuilt when a source changes (scripts/build-cli.js), also on the runner.
    expect(pkg.dependencies.esbuild).toBeDefined();
    expect(pkg.dependencies.tsx).toBeDefined();
    expect(pkg.devDependencies.tsx).toBeUndefined();
  });

  it('asks for the least permissions: none by default, each job only what it uses', () => {
    for (const { wf } of [newsletter, site, signups]) expect(wf.permissions).toEqual({});
    expect(signups.wf.jobs.sync.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(send.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(newsletter.wf.jobs.heartbeat.permissions).toEqual({ actions: 'write', contents: 'read' });
    expect(site.wf.jobs.build.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(site.wf.jobs.deploy.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
  });

  it('syncs then sends --due --live (or the mailing id), with secrets from secrets, and uploads nothing', () => {
    const runs = send.steps.map((s: Step) => s.run ?? '').join('\n');
    expect(runs.indexOf('-- sync')).toBeLessThan(runs.indexOf('-- send'));
    expect(runs).toContain('send --due --live');
    expect(runs).toContain('send "$MAILING_ID" --live');
    for (const name of ['TIDINGS_SHEET_ID', 'RESEND_API_KEY', 'TIDINGS_UNSUBSCRIBE_SECRET', 'TIDINGS_WEBHOOK_URL', 'TIDINGS_WEBHOOK_TOKEN']) expect(send.env[name]).toBe(`\${{ secrets.${name} }}`);
    expect(send.steps.find((s: Step) => s.uses?.startsWith('google-github-actions/auth'))?.with.workload_identity_provider).toMatch(/secrets\./);
    // Sync pulls the webhook receiver's events only when it is given the receiver's address and token.
    const sync = send.steps.find((s: Step) => String(s.run ?? '').includes('-- sync')) as Step;
    for (const name of ['TIDINGS_WEBHOOK_URL', 'TIDINGS_WEBHOOK_TOKEN']) expect({ ...send.env, ...sync.env }[name]).toBe(`\${{ secrets.${name} }}`);
    expect(stepsOf(newsletter.wf).some((s) => s.uses?.includes('upload'))).toBe(false);
    expect(newsletter.text + site.text).not.toMatch(/re_[A-Za-z0-9]{8,}/);
  });

  it("the sync step's log shows the cell-budget line only, as a warning annotation past 70%", () => {
    const step = send.steps.find((s: Step) => String(s.run ?? '').includes('-- sync')) as Step;
    const filter = String(step.run).slice(String(step.run).indexOf('|') + 1);
    const syncOutput = ['sync: sheets:abc, as of 2026-12-03', '  donations row 7 amount: "ann@example.org" is not an amount',
      'cells: 7,200,000 of 10,000,000 (72.0%): past 70%, run `tidings compact` (README, The cell budget)', 'problems: 1 errors, 1 warnings'];
    const log = execFileSync('bash', ['-eo', 'pipefail', '-c', `printf '%s\\n' "$@" | ${filter}`, 'filter', ...syncOutput], { encoding: 'utf8' });
    expect(log.trim().split('\n')).toEqual([syncOutput[2], `::warning title=Cell budget::${syncOutput[2]}`]);
    const quiet = execFileSync('bash', ['-eo', 'pipefail', '-c', `printf '%s\\n' "$@" | ${filter}`, 'filter', 'cells: 10 of 10,000,000 (0.0%)', 'ann@example.org'], { encoding: 'utf8' });
    expect(quiet).toBe('cells: 10 of 10,000,000 (0.0%)\n');
  });

  it('a failing sync fails its step, though sed filters its output', () => {
    const step = send.steps.find((s: Step) => String(s.run ?? '').includes('-- sync')) as Step;
    // The runner's command for the step's shell (docs.github.com, workflow syntax, steps[*].shell).
    const shell = step.shell === 'bash' ? ['--noprofile', '--norc', '-eo', 'pipefail'] : ['-e'];
    const script = String(step.run).replace(/npm run tidings -- sync[^|]*/, '(echo "cells: 10 of 10,000,000 (0.0%)"; exit 3) ');
    expect(() => execFileSync('bash', [...shell, '-c', script], { encoding: 'utf8' })).toThrow();
  });

  it('keeps the schedule alive with a heartbeat that re-enables it through the API once the last commit is 45 days old', () => {
    const heartbeat = newsletter.wf.jobs.heartbeat as Workflow;
    expect(heartbeat.if).toContain("github.event_name == 'schedule'");
    const run = heartbeat.steps.map((s: Step) => s.run ?? '').join('\n');
    expect(run).toContain('gh api -X PUT "repos/$GITHUB_REPOSITORY/actions/workflows/newsletter.yml/enable"');
    expect(run).toContain('gh api -X PUT "repos/$GITHUB_REPOSITORY/actions/workflows/signups.yml/enable"');
    expect(run).toMatch(/-ge 45/);
    expect(heartbeat.steps[0].env.GH_TOKEN).toBe('${{ github.token }}');
    expect(run).not.toMatch(/git (commit|push)/);
  });

  it('syncs sign-ups every hour, off the top of the hour and away from the newsletter, never at the same time as it, and sends no newsletter', () => {
    const [{ cron }] = signups.wf.on.schedule;
    const [minute, hour, ...rest] = cron.split(' ');
    const [newsletterMinute] = newsletter.wf.on.schedule[0].cron.split(' ');
    expect(hour).toBe('*');
    expect(rest).toEqual(['*', '*', '*']);
    expect(Number(minute)).toBeGreaterThan(0);
    // Half an hour from the newsletter's minute: neither waits behind the other.
    expect(Math.abs(Number(minute) - Number(newsletterMinute))).toBe(30);
    expect(signups.wf.concurrency).toEqual(newsletter.wf.concurrency);
    expect(signups.wf.jobs.sync['timeout-minutes']).toBeLessThan(30);
    const runs = runsOf(signups.wf);
    expect(runs).toContain('-- sync');
    expect(runs).not.toContain('-- send');
    for (const name of ['TIDINGS_SHEET_ID', 'RESEND_API_KEY', 'TIDINGS_UNSUBSCRIBE_SECRET']) expect(signups.wf.jobs.sync.env[name]).toBe(`\${{ secrets.${name} }}`);
    // The site deploys after newsletter runs only: an hourly deploy would spend the Actions minutes.
    expect(site.wf.on.workflow_run.workflows).not.toContain(signups.wf.name);
  });

  it("the hourly sync's log shows the cell-budget line and the sign-up counts, nothing of a person", () => {
    const step = (signups.wf.jobs.sync.steps as Step[]).find((s) => String(s.run ?? '').includes('-- sync')) as Step;
    expect(step.shell).toBe('bash');
    const filter = String(step.run).slice(String(step.run).indexOf('|') + 1);
    const syncOutput = ['sync: sheets:abc, as of 2026-12-03', '  signups row 7 email: "ann@example" is not a valid email address', 'cells: 10 of 10,000,000 (0.0%)',
      'sign-ups: 3 new, 2 pending, 1 confirmed, 0 expired, 1 junk; confirmation emails: not sent this time (to ann@example.org)'];
    const log = execFileSync('bash', ['-eo', 'pipefail', '-c', `printf '%s\\n' "$@" | ${filter}`, 'filter', ...syncOutput], { encoding: 'utf8' });
    expect(log.trim().split('\n')).toEqual(['cells: 10 of 10,000,000 (0.0%)', 'sign-ups: 3 new, 2 pending, 1 confirmed, 0 expired, 1 junk']);
  });

  it('deploys the site to GitHub Pages after every newsletter run and on push to main', () => {
    expect(site.wf.on.workflow_run).toEqual({ workflows: [newsletter.wf.name], types: ['completed'] });
    expect(site.wf.on.push.branches).toEqual(['main']);
    const build = site.wf.jobs.build as Workflow;
    const upload = build.steps.find((s: Step) => s.uses?.startsWith('actions/upload-pages-artifact'));
    expect(upload?.with.path).toBe('dist');
    expect(runsOf(site.wf)).toMatch(/-- run .*--dist dist .*--no-write-back/);
    const deploy = site.wf.jobs.deploy as Workflow;
    expect(deploy.needs).toBe('build');
    expect(deploy.environment.name).toBe('github-pages');
    expect(deploy.steps.some((s: Step) => s.uses?.startsWith('actions/deploy-pages'))).toBe(true);
  });

  it('every `npm run tidings -- <command> --option` the workflows use exists in the CLI', async () => {
    const used = new Map<string, Set<string>>();
    for (const { wf } of [newsletter, site]) {
      for (const match of runsOf(wf).replaceAll('\\\n', ' ').matchAll(/npm run tidings -- (\S+)([^\n|>]*)/g)) {
        const options = used.get(match[1]) ?? new Set<string>();
        for (const option of match[2].matchAll(/(--[a-z-]+)/g)) options.add(option[1]);
        used.set(match[1], options);
      }
    }
    expect([...used.keys()].sort()).toEqual(['run', 'send', 'sync']);
    const helps = await Promise.all([...used.keys()].map((command) => tidings(command, '--help')));
    [...used].forEach(([command, options], i) => {
      expect(helps[i].code, `${command}: ${helps[i].stderr}`).toBe(0);
      for (const option of options) expect(helps[i].stdout, `${command} ${option}`).toContain(option);
    });
  }, 180_000);
});
