import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type Check, ok } from './check.ts';

type Node = Record<string, any>;

const NEWSLETTER = '.github/workflows/newsletter.yml';
const SITE = '.github/workflows/site.yml';
/** What sync needs to pull tracking from the webhook receiver (emails/webhooks/pull.ts receiverFrom). */
const SYNC_ENV = ['TIDINGS_WEBHOOK_URL', 'TIDINGS_WEBHOOK_TOKEN'];
const SECRETS_PAGE = 'on GitHub open the repository → Settings → Secrets and variables → Actions → New repository secret';

async function load(root: string, path: string): Promise<Node | undefined> {
  const text = await readFile(join(root, path), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = parse(text) as unknown;
  return parsed && typeof parsed === 'object' ? (parsed as Node) : {};
}

const jobsOf = (wf: Node): Node[] => Object.values((wf.jobs ?? {}) as Record<string, Node>);
const stepsOf = (job: Node): Node[] => (Array.isArray(job.steps) ? job.steps : []);

/** Every `secrets.X` a workflow uses, anywhere in it. */
function secretsIn(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g)) into.add(m[1]);
  else if (Array.isArray(value)) for (const v of value) secretsIn(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) secretsIn(v, into);
  return into;
}

/** The env names a workflow fills from secrets (job or step env): what the commands read. */
function secretEnv(wf: Node): Set<string> {
  const names = new Set<string>();
  for (const job of jobsOf(wf)) {
    for (const env of [job.env, ...stepsOf(job).map((s) => s.env)]) {
      for (const [name, value] of Object.entries((env ?? {}) as Record<string, unknown>)) if (/\bsecrets\./.test(String(value))) names.add(name);
    }
  }
  return names;
}

/**
 * The daily Action (newsletter.yml): a daily schedule off the top of the hour (GitHub drops queued
 * scheduled runs at busy times, "the start of every hour"), the heartbeat job that re-enables the
 * schedule (GitHub disables scheduled workflows of a public repository after 60 days without
 * activity), and the webhook receiver's settings passed to sync.
 */
export async function checkSchedule(root: string): Promise<Check> {
  const title = 'Daily Action';
  const wf = await load(root, NEWSLETTER);
  if (!wf) return { status: 'fail', title, detail: `${NEWSLETTER} is missing, so nothing is ever sent on a schedule`, fix: `copy ${NEWSLETTER} from Tidings into your repository and push it` };
  const wrong: string[] = [];
  const fixes: string[] = [];
  const crons = (Array.isArray(wf.on?.schedule) ? wf.on.schedule : []).map((s: Node) => String(s?.cron ?? '').trim().split(/\s+/));
  const daily = crons.find((f: string[]) => f.length === 5 && /^\d+$/.test(f[0]) && /^\d+$/.test(f[1]) && f.slice(2).join(' ') === '* * *');
  if (!daily) {
    wrong.push('it has no daily schedule, so mailings are never sent by themselves');
    fixes.push(`under on: in ${NEWSLETTER} put schedule: - cron: '17 3 * * *' (every day at 03:17 UTC)`);
  } else if (Number(daily[0]) % 30 === 0) {
    wrong.push(`it runs at minute ${daily[0]}, the busiest time, when GitHub may drop scheduled runs`);
    fixes.push(`change the cron's first number to an odd minute such as 17`);
  }
  const heartbeat = jobsOf(wf).some((job) => stepsOf(job).some((s) => /actions\/workflows\/[^\s"]*\/enable/.test(String(s.run ?? ''))));
  if (!heartbeat) {
    wrong.push('it has no heartbeat job, and GitHub switches off a schedule after 60 days without a commit: the newsletter would stop in the third month');
    fixes.push(`add the heartbeat job from Tidings' ${NEWSLETTER}`);
  }
  const syncJob = jobsOf(wf).find((job) => stepsOf(job).some((s) => /tidings -- sync\b/.test(String(s.run ?? ''))));
  if (syncJob) {
    const step = stepsOf(syncJob).find((s) => /tidings -- sync\b/.test(String(s.run ?? '')))!;
    const env = { ...syncJob.env, ...step.env } as Record<string, unknown>;
    const missing = SYNC_ENV.filter((name) => !String(env[name] ?? '').includes(`secrets.${name}`));
    if (missing.length > 0) {
      wrong.push(`its sync step is not given ${missing.join(' and ')}, so sync never pulls the webhook receiver's events`);
      fixes.push(`in ${NEWSLETTER} add to the sync step's env: ${missing.map((n) => `${n}: \${{ secrets.${n} }}`).join(', ')}`);
    }
  } else {
    wrong.push('it never runs sync, so unsubscribes and tracking are not applied before sending');
    fixes.push(`add the Sync step from Tidings' ${NEWSLETTER} before the Send step`);
  }
  if (wrong.length === 0) return ok(title, `runs daily at ${daily![1].padStart(2, '0')}:${daily![0].padStart(2, '0')} UTC, with the heartbeat, and passes the webhook receiver to sync`);
  return { status: 'fail', title, detail: `${NEWSLETTER}: ${wrong.join('; ')}`, fix: fixes.join('; ') };
}

/**
 * The secrets the workflows use. Inside GitHub Actions (GITHUB_ACTIONS=true) the ones passed as
 * environment variables are checked non-empty (an unset secret reads as empty); from a laptop,
 * GitHub's secrets cannot be seen at all, so the list is what staff must check by hand.
 */
export async function checkSecrets(root: string, env: NodeJS.ProcessEnv): Promise<Check> {
  const title = 'Action secrets';
  const workflows = (await Promise.all([NEWSLETTER, SITE].map((p) => load(root, p)))).filter((wf): wf is Node => !!wf);
  if (workflows.length === 0) return { status: 'skip', title, detail: 'no workflow to read', fix: '' };
  const all = new Set<string>();
  const asEnv = new Set<string>();
  for (const wf of workflows) {
    secretsIn(wf, all);
    for (const name of secretEnv(wf)) asEnv.add(name);
  }
  const names = [...all].sort();
  if (env.GITHUB_ACTIONS === 'true') {
    const empty = [...asEnv].sort().filter((name) => !env[name]?.trim());
    if (empty.length > 0) return { status: 'fail', title, detail: `empty in this run: ${empty.join(', ')}`, fix: `${SECRETS_PAGE}, and add ${empty.join(', ')} (and pass them to doctor's step as env)` };
    return ok(title, `every secret passed as a variable is set (${[...asEnv].sort().join(', ')})`);
  }
  return { status: 'skip', title, detail: `doctor cannot see GitHub's secrets from this computer; the workflows use ${names.join(', ')}`, fix: `${SECRETS_PAGE}, and check that each of these is listed: ${names.join(', ')}` };
}
