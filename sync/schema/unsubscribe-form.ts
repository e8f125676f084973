/**
 * settings.unsubscribe_form_url: a Google Forms "pre-filled link" (or any form address of that
 * shape) whose token field holds the word TOKEN and, optionally, a reason field holding REASON.
 * The /unsubscribe/ page posts the visitor's token to the form's response address, so the answer
 * lands in the unsubscribes tab (timestamp, token, reason).
 */
export interface UnsubscribeForm {
  /** Where the form posts: Google's .../formResponse for a .../viewform link. */
  action: string;
  tokenField: string;
  reasonField?: string;
  /** Other pre-filled fields, sent as they are. */
  fixed: [string, string][];
}

export const TOKEN_PLACEHOLDER = 'TOKEN';
const REASON_PLACEHOLDER = 'REASON';

export function unsubscribeForm(link: string): UnsubscribeForm | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  const fields = [...url.searchParams].filter(([name]) => name !== 'usp');
  const tokenField = fields.find(([, value]) => value.toUpperCase() === TOKEN_PLACEHOLDER)?.[0];
  if (!tokenField) return undefined;
  const reasonField = fields.find(([, value]) => value.toUpperCase() === REASON_PLACEHOLDER)?.[0];
  const action = `${url.origin}${url.pathname.replace(/\/viewform$/, '/formResponse')}`;
  return { action, tokenField, reasonField, fixed: fields.filter(([name]) => name !== tokenField && name !== reasonField) };
}
