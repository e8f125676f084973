import { createHmac, timingSafeEqual } from 'node:crypto';
import { supersededBy } from '../reports/reachability.ts';
import type { Contact, Dataset } from '../sync/dataset.ts';

/**
 * Unsubscribe tokens, with no server of our own. A token is `<ref>.<sig>`: ref is an HMAC of the
 * contact id (opaque: it never reveals the id, and only the secret's holder can map it back by
 * recomputing it for every contact), sig is an HMAC of ref, so a forged token fails verification
 * before any lookup. Both are cut to 128 bits and base64url-encoded to keep the link short.
 */
const mac = (secret: string, purpose: string, value: string) =>
  createHmac('sha256', secret).update(`${purpose}\0${value}`).digest().subarray(0, 16).toString('base64url');

export const recipientRef = (secret: string, contactId: string) => mac(secret, 'tidings-recipient', contactId);

/** A link's purpose: a token made for one purpose never verifies for another. */
export type TokenPurpose = 'unsubscribe' | 'preferences';

const purposeKey = (purpose: TokenPurpose) => `tidings-${purpose}`;

/** A contact's signed token for one purpose (the unsubscribe link, the preference centre's link). */
export function contactToken(secret: string, contactId: string, purpose: TokenPurpose): string {
  const ref = recipientRef(secret, contactId);
  return `${ref}.${mac(secret, purposeKey(purpose), ref)}`;
}

export const unsubscribeToken = (secret: string, contactId: string) => contactToken(secret, contactId, 'unsubscribe');
export const preferencesToken = (secret: string, contactId: string) => contactToken(secret, contactId, 'preferences');

export type TokenCheck = { ok: true; contact_id: string } | { ok: false; reason: 'malformed' | 'forged' | 'unknown contact' };

/** Verifies one purpose's tokens against the contacts they could belong to (ref → contact id, built once). */
export function tokenVerifier(secret: string, contacts: readonly Pick<Contact, 'contact_id'>[], purpose: TokenPurpose = 'unsubscribe'): (token: string) => TokenCheck {
  const byRef = new Map(contacts.map((c) => [recipientRef(secret, c.contact_id), c.contact_id]));
  return (token) => {
    const m = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(token.trim());
    if (!m) return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(mac(secret, purposeKey(purpose), m[1]));
    if (!timingSafeEqual(expected, Buffer.from(m[2]))) return { ok: false, reason: 'forged' };
    const contactId = byRef.get(m[1]);
    return contactId ? { ok: true, contact_id: contactId } : { ok: false, reason: 'unknown contact' };
  };
}

type InvalidReason = Extract<TokenCheck, { ok: false }>['reason'];

export interface UnsubscribeCheck {
  /**
   * Contacts with a verified unsubscribe, each once however often their token was posted. An
   * unsubscribe older than the contact's consent_at does not count: the person signed up again
   * and confirmed it (double opt-in) after leaving (supersededBy).
   */
  contactIds: Set<string>;
  /**
   * The first LISTED_INVALID rows whose token did not verify: reported, never applied. The form is
   * public, so anyone can post junk by the hundred thousand: the rest are only counted.
   */
  invalid: { row: number; token: string; reason: InvalidReason }[];
  /** Every row whose token did not verify, by reason. */
  invalidCount: Record<InvalidReason, number>;
}

export const LISTED_INVALID = 20;

/** The unsubscribes tab (Google Form responses) checked token by token. */
export function checkUnsubscribes(dataset: Pick<Dataset, 'contacts' | 'unsubscribes'>, secret: string): UnsubscribeCheck {
  const verify = tokenVerifier(secret, dataset.contacts);
  const consentAt = new Map<string, string>();
  for (const c of dataset.contacts) if (c.consent_at) consentAt.set(c.contact_id, c.consent_at);
  const result: UnsubscribeCheck = { contactIds: new Set(), invalid: [], invalidCount: { malformed: 0, forged: 0, 'unknown contact': 0 } };
  for (const u of dataset.unsubscribes) {
    const token = u.token ?? '';
    const check = verify(token);
    if (check.ok) {
      if (!supersededBy(consentAt.get(check.contact_id), u.timestamp)) result.contactIds.add(check.contact_id);
    } else {
      result.invalidCount[check.reason]++;
      if (result.invalid.length < LISTED_INVALID) result.invalid.push({ row: u.row, token, reason: check.reason });
    }
  }
  return result;
}

/** The secret from the environment; never printed. */
export function unsubscribeSecret(env = process.env): string | undefined {
  const secret = env.TIDINGS_UNSUBSCRIBE_SECRET?.trim();
  return secret ? secret : undefined;
}
