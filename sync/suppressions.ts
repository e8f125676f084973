import { createHash } from 'node:crypto';

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
