import { createHash } from 'node:crypto';
import { dateInZone } from '../../sync/cells/dates.ts';
import type { Contact, Dataset } from '../../sync/dataset.ts';
import { displayName, e164Phone } from '../contacts.ts';
import type { SegmentMember } from './segment.ts';

export const CHANNELS = ['email', 'sms', 'post', 'ads'] as const;
export type Channel = (typeof CHANNELS)[number];

/** One file of an export: `platform` names the ad platform when a channel writes one file per platform. */
export interface ExportFile {
  platform?: 'google' | 'meta';
  columns: string[];
  rows: Record<string, string>[];
  /** Ad platforms read the header as plain UTF-8: a byte-order mark would hide the first column's name. */
  bom: boolean;
}

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
/** Both platforms: trim and lowercase an email before hashing. */
export const normalEmail = (email: string) => email.trim().toLowerCase();

/** Emails on the unsubscribes tab as of D (lowercase). */
function unsubscribed(dataset: Dataset, asOf: string): Set<string> {
  return new Set(
    dataset.unsubscribes
      .filter((u) => u.email && (!u.timestamp || dateInZone(new Date(u.timestamp), dataset.settings.timezone) <= asOf))
      .map((u) => normalEmail(u.email!)),
  );
}

/**
 * A segment's members as a list for one channel. Nobody marked do_not_contact is ever exported.
 * email: name and email, leaving out unsubscribed addresses. sms: name and phone (E.164 when it
 * reads as a valid number), only with sms_opt_in. post: name and the postal fields the contacts
 * tab has. ads: a customer list for Google Ads Customer Match (columns Email, Phone; phone hashed
 * in E.164 with its +) and one for Meta custom audiences (columns email, phone; phone hashed as
 * the E.164 digits without +, as Meta normalises it), each value SHA-256 hashed after trimming and
 * lowercasing, only for contacts with email_opt_in who have not unsubscribed.
 */
export function exportFiles(dataset: Dataset, asOf: string, members: SegmentMember[], channel: Channel): ExportFile[] {
  const byId = new Map(dataset.contacts.map((c) => [c.contact_id, c]));
  const gone = unsubscribed(dataset, asOf);
  const reachable = members.map((m) => byId.get(m.contact_id)).filter((c): c is Contact => !!c && !c.do_not_contact);
  const emailOk = (c: Contact) => !!c.email && !gone.has(normalEmail(c.email));
  switch (channel) {
    case 'email':
      return [{ bom: true, columns: ['name', 'email'], rows: reachable.filter(emailOk).map((c) => ({ name: displayName(c), email: c.email! })) }];
    case 'sms':
      return [{
        bom: true,
        columns: ['name', 'phone'],
        rows: reachable.filter((c) => c.sms_opt_in && c.phone).map((c) => ({ name: displayName(c), phone: e164Phone(c, dataset) ?? c.phone! })),
      }];
    case 'post':
      return [{
        bom: true,
        columns: ['name', 'postal_code', 'country', 'region', 'city'],
        rows: reachable
          .filter((c) => c.postal_code || c.city)
          .map((c) => ({ name: displayName(c), postal_code: c.postal_code ?? '', country: c.country ?? '', region: c.region ?? '', city: c.city ?? '' })),
      }];
    case 'ads': {
      const people = reachable
        .filter((c) => c.email_opt_in && !(c.email && gone.has(normalEmail(c.email))))
        .map((c) => ({ email: c.email ? normalEmail(c.email) : undefined, phone: e164Phone(c, dataset) }))
        .filter((p) => p.email || p.phone);
      const hash = (v: string | undefined) => (v ? sha256(v) : '');
      return [
        { platform: 'google', bom: false, columns: ['Email', 'Phone'], rows: people.map((p) => ({ Email: hash(p.email), Phone: hash(p.phone) })) },
        { platform: 'meta', bom: false, columns: ['email', 'phone'], rows: people.map((p) => ({ email: hash(p.email), phone: hash(p.phone?.slice(1)) })) },
      ];
    }
  }
}
