import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The sign-up confirmation token. It names a sign-up, not a contact (there may be none yet), so it
 * is not a contactToken: `<signup_id>.<sig>`, where signup_id is an HMAC of the sign-up row's
 * answers (opaque: it reveals nothing of them) and sig an HMAC of signup_id under this purpose's
 * own key, with the same secret as the unsubscribe links (TIDINGS_UNSUBSCRIBE_SECRET). URL-safe.
 */
const mac = (secret: string, purpose: string, value: string) => createHmac('sha256', secret).update(`${purpose}\0${value}`).digest();

/** The sign-up's id, from its row's answers (the same answers always give the same id, so a re-run finds it again). */
export const signupId = (secret: string, answers: string) => mac(secret, 'tidings-signup-id', answers).subarray(0, 10).toString('hex');

export const confirmToken = (secret: string, id: string) => `${id}.${mac(secret, 'tidings-signup-confirm', id).subarray(0, 16).toString('base64url')}`;

export type ConfirmCheck = { ok: true; signup_id: string } | { ok: false; reason: 'malformed' | 'forged' };

/** Checks a posted token's form and signature; which sign-up it names (and whether it is still pending) is the planner's to say. */
export function checkConfirmToken(secret: string, token: string): ConfirmCheck {
  const m = /^([0-9a-f]{20})\.([A-Za-z0-9_-]{22})$/.exec(token.trim());
  if (!m) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(confirmToken(secret, m[1]));
  const given = Buffer.from(`${m[1]}.${m[2]}`);
  return timingSafeEqual(expected, given) ? { ok: true, signup_id: m[1] } : { ok: false, reason: 'forged' };
}
