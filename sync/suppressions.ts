import { createHash } from 'node:crypto';
import { type Problem, columnLetter, rawText } from './problems.ts';
import { type RawTab, normalizeName } from './sources/source.ts';

/**
 * The suppression list: addresses that must never be mailed again (forgotten people, hard
 * bounces, complaints), kept as SHA-256 hashes of the normalised address so the list itself holds
 * no readable personal data. A tool-owned tab (leading _), appended to, never rewritten by staff.
 */
export const SUPPRESSIONS_TAB = '_suppressions';
export const SUPPRESSION_COLUMNS = ['email_sha256', 'reason', 'added_at'] as const;
export type SuppressionReason = 'forgotten' | 'hard_bounce' | 'complaint';

/** How an address is compared everywhere: NFKC (full-width letters typed by staff), trimmed, lowercase. */
export const normaliseEmail = (email: string): string => email.normalize('NFKC').trim().toLowerCase();

/** The hex SHA-256 of the normalised address: what the suppression list keeps. */
export const emailHash = (email: string): string => createHash('sha256').update(normaliseEmail(email)).digest('hex');

/**
 * The hashes on the list as read (a tab gathered whole: it holds one short row per address).
 * A row whose email_sha256 is not 64 hex digits is reported and skipped: it could never match.
 */
export function readSuppressions(tab: RawTab | undefined, report: (p: Problem) => void): Set<string> {
  const hashes = new Set<string>();
  if (!tab) return hashes;
  const column = tab.header.findIndex((h) => normalizeName(rawText(h)) === 'email_sha256');
  tab.rows.forEach((cells, i) => {
    if (cells.every((c) => rawText(c).trim() === '')) return;
    const value = column < 0 ? '' : rawText(cells[column]).trim().toLowerCase();
    if (/^[0-9a-f]{64}$/.test(value)) hashes.add(value);
    else {
      report({
        severity: 'warning', tab: tab.name, row: i + 2, column: 'email_sha256', column_letter: column < 0 ? undefined : columnLetter(column), value,
        message: 'not a SHA-256 hash (64 hex digits), so this row suppresses nobody: this tab is written by Tidings; restore the row from a backup rather than editing it',
      });
    }
  });
  return hashes;
}
