/** Every link in a sent email carries the mailing's UTM tags, so the site's analytics can credit it. */
export function withUtm(url: string, mailingId: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url; // relative or malformed: left as staff wrote it
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return url;
  parsed.searchParams.set('utm_source', 'newsletter');
  parsed.searchParams.set('utm_medium', 'email');
  parsed.searchParams.set('utm_campaign', mailingId);
  return parsed.toString();
}
