import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { dateInZone } from '../../sync/cells/dates.ts';
import { type ForgetPlan, type OutputChange, applyForget, donationTotals, forgetInOutputs, planForget } from '../../sync/forget.ts';
import { e164Phone } from '../../reports/contacts.ts';
import { sha256 } from '../../reports/segments/export.ts';
import type { Dataset } from '../../sync/dataset.ts';
import { openSource } from '../../sync/sources/open.ts';
import { isWritable } from '../../sync/sources/source.ts';
import { UsageError } from '../../sync/errors.ts';
import { printableLines } from '../../sync/terminal.ts';
import { validateWorkbook } from '../../sync/validate.ts';
import { type DataOptions, withDataOptions } from '../options.ts';

export interface ForgetOptions extends Pick<DataOptions, 'source' | 'out'> {
  yes?: boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The confirmation text: everything forget will change, and what it keeps. */
export function describePlan(plan: ForgetPlan, outputs: OutputChange[], backupDir: string): string[] {
  const who = [...plan.contactIds, ...plan.names, ...plan.emails].join(', ');
  const lines = [`forget ${who}:`, `  contacts: delete ${plural(plan.contactIds.length, 'row')}`];
  if (plan.participants) lines.push(`  participants: delete ${plural(plan.participants, 'row')}`);
  if (plan.emailEvents) lines.push(`  email_events: delete ${plural(plan.emailEvents, 'row')}`);
  if (plan.donations.length || plan.recurring.length) {
    lines.push(`  contacts: add ${plan.anonId} (no name, no email, do not contact) to keep their gifts in the totals`);
    if (plan.donations.length) lines.push(`  donations: re-link ${plural(plan.donations.length, 'row')} to ${plan.anonId} (amounts unchanged)`);
    if (plan.recurring.length) lines.push(`  recurring: re-link ${plural(plan.recurring.length, 'plan')} to ${plan.anonId}`);
  }
  if (plan.donationsWithoutId.length) lines.push(`  donations: rows ${plan.donationsWithoutId.join(', ')} name them but have no donation_id, so they cannot be re-linked: give them ids and run forget again`);
  for (const c of outputs) lines.push(`  ${c.path}: ${c.action === 'delete-file' ? 'delete the file' : `delete ${plural(c.rows ?? 0, 'row')}`}`);
  if (plan.donationNotes.length) lines.push(`  donations: blank the notes of ${plural(plan.donationNotes.length, 'row')} (notes may be about them)`);
  if (plan.unsubscribes) lines.push(`  unsubscribes: delete ${plural(plan.unsubscribes, 'row')} with their email`);
  for (const [tab, n] of plan.toolTabRows) lines.push(`  ${tab}: delete ${plural(n, 'row')}`);
  if (plan.newSuppressions.length) lines.push(`  _suppressions: add ${plural(plan.newSuppressions.length, 'hashed address', 'hashed addresses')}, so no send or export reaches them again, even if they are added back`);
  lines.push(`  not changed: snapshots in ${backupDir}/ still hold them until they age out (the last 30 syncs are kept); delete that folder to remove them now`);
  return lines;
}

/** Their email and phone as the ad lists hash them (export --channel ads), so those rows can be found. */
function adListHashes(dataset: Dataset, plan: ForgetPlan): string[] {
  const phones = dataset.contacts.filter((c) => plan.contactIds.includes(c.contact_id)).map((c) => e164Phone(c, dataset)).filter((p) => p !== undefined);
  return [...plan.emails.map((e) => sha256(e)), ...phones.flatMap((p) => [sha256(p), sha256(p.slice(1))])];
}

async function confirmed(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^(y|yes|是)$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/**
 * Removes a contact everywhere (sheet and local outputs); their donations stay, re-linked to an
 * anonymous contact, and the totals are checked before and after. Returns whether it ran.
 */
export async function runForget(who: string, options: ForgetOptions, log: (line: string) => void = console.log, backupDir = 'backups'): Promise<boolean> {
  log = printableLines(log);
  const source = await openSource(options.source);
  if (!isWritable(source)) throw new UsageError(`${source.label} cannot be written: forget needs a CSV folder or a Google Sheet`);
  const workbook = await source.read();
  const before = validateWorkbook(workbook, source).dataset;
  const plan = planForget(workbook, who);
  if (!plan) throw new UsageError(`no contact has the contact_id or email "${who}" in ${source.label}: check the spelling (nothing was changed)`);
  const them = { ...plan, hashes: adListHashes(before, plan) };
  const outputs = await forgetInOutputs(options.out, them, false);
  for (const line of describePlan(plan, outputs, backupDir)) log(line);
  if (!options.yes && !(await confirmed('Type yes to forget them (this cannot be undone): '))) {
    log('forget: nothing was changed (run with --yes to skip the question)');
    return false;
  }
  const today = dateInZone(new Date(), before.settings.timezone);
  for (const line of await applyForget(source, workbook, plan, today)) log(`  ${line}`);
  await forgetInOutputs(options.out, them, true);
  const after = validateWorkbook(await source.read(), source).dataset;
  const [was, now] = [donationTotals(before), donationTotals(after)];
  const same = JSON.stringify(Object.entries(was).sort()) === JSON.stringify(Object.entries(now).sort());
  const shown = Object.entries(now).map(([currency, minor]) => `${currency} ${(minor / 100).toFixed(2)}`).join(', ');
  if (!same) throw new UsageError(`forget: donation totals changed (before ${JSON.stringify(was)}, after ${JSON.stringify(now)}): check the donations tab; a row may have an error now`);
  log(`forget: done; donation totals unchanged (${shown || 'no donations'})`);
  if (source.usage) log(`used: ${source.usage()}`);
  return true;
}

export const forgetCommand = withDataOptions(new Command('forget'))
  .argument('<contact>', 'the contact_id or email of the contact to remove')
  .option('--yes', 'do not ask for confirmation')
  .option('--backup-dir <dir>', 'the backup folder (named in the summary; snapshots are not changed)', 'backups')
  .action(async (who: string, options: ForgetOptions & { backupDir: string }) => {
    await runForget(who, options, console.log, options.backupDir);
  });
