import { printable } from '../../sync/terminal.ts';

/** ok: nothing to do; warn: works, with a catch worth knowing; fail: breaks something; skip: could not be checked. */
export type Status = 'ok' | 'warn' | 'fail' | 'skip';

/** One finding of `tidings doctor`, in words staff can act on (never a secret or a person's data). */
export interface Check {
  status: Status;
  title: string;
  detail: string;
  /** What to do, where to click; empty when there is nothing to do. */
  fix: string;
}

export const ok = (title: string, detail: string): Check => ({ status: 'ok', title, detail, fix: '' });

const SYMBOL: Record<Status, string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };

/** One line per check with its symbol, then the fixes numbered in the same order. */
export function formatChecks(checks: readonly Check[]): string[] {
  const lines = checks.map((c) => printable(`${SYMBOL[c.status]} ${c.title}: ${c.detail}`));
  const fixes = checks.filter((c) => c.fix);
  if (fixes.length > 0) {
    lines.push('', 'What to fix:');
    fixes.forEach((c, i) => lines.push(printable(`${i + 1}. ${c.title} (${c.status}): ${c.fix}`)));
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  lines.push('', failed === 0 && warned === 0 ? 'Everything checked is ready.' : `${failed} to fix before sending, ${warned} to look at.`);
  return lines;
}
