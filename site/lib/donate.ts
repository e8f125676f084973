/** How the donate links address the campaign's payment page (any provider): plain query parameters. */
export type Frequency = 'once' | 'monthly';

/** Minor units as the amount a payment page expects: 50000 → "500", 1250 → "12.50". */
export const majorUnits = (minor: number) => `${Math.trunc(minor / 100)}${minor % 100 ? `.${String(Math.abs(minor % 100)).padStart(2, '0')}` : ''}`;

/**
 * payment_url with amount= (and frequency= when the campaign offers monthly gifts) added; the
 * payment page's own query (a form id) is kept.
 */
export function donateUrl(paymentUrl: string, amountMinor: number | undefined, frequency?: Frequency): string {
  const url = new URL(paymentUrl);
  if (amountMinor !== undefined) url.searchParams.set('amount', majorUnits(amountMinor));
  if (frequency) url.searchParams.set('frequency', frequency);
  return url.toString();
}
