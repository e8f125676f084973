import { createHash } from 'node:crypto';
import type { Contact, Dataset } from '../../sync/dataset.ts';
import { displayName, e164Phone } from '../contacts.ts';
import { type Channel, type ReachContext, type ReachReason, noReasons, reachRule } from '../reachability.ts';
import type { SegmentMember } from './segment.ts';

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
const normalEmail = (email: string) => email.trim().toLowerCase();

/** An export: its files, and how many members were left out for each reason (the first that applies). */
export interface Export {
  files: ExportFile[];
  excluded: Record<ReachReason, number>;
}

/**
 * A segment's members as a list for one channel, leaving out everyone the channel's rule
 * (reports/reachability.ts, the same rule mailings use) says may not be reached. email: name and
 * email. sms: name and phone in E.164. post: name and the postal fields the contacts tab has.
 * Each of these starts with contact_id, so `forget` can find the row later. ads: a customer list
 * for Google Ads Customer Match (columns Email, Phone; phone hashed in E.164 with its +) and one
 * for Meta custom audiences (columns email, phone; phone hashed as the E.164 digits without +, as
 * Meta normalises it), each value SHA-256 hashed after trimming and lowercasing.
 */
export function exportFiles(dataset: Dataset, members: SegmentMember[], channel: Channel, context: ReachContext): Export {
  const byId = new Map(dataset.contacts.map((c) => [c.contact_id, c]));
  const unreachable = reachRule(dataset, channel, context);
  const excluded = noReasons();
  const reachable: Contact[] = [];
  for (const m of members) {
    const c = byId.get(m.contact_id);
    if (!c) continue;
    const reason = unreachable(c);
    if (reason) excluded[reason]++;
    else reachable.push(c);
  }
  const files = ((): ExportFile[] => {
    switch (channel) {
      case 'email':
        return [{ bom: true, columns: ['contact_id', 'name', 'email'], rows: reachable.map((c) => ({ contact_id: c.contact_id, name: displayName(c), email: c.email! })) }];
      case 'sms':
        return [{
          bom: true,
          columns: ['contact_id', 'name', 'phone'],
          rows: reachable.map((c) => ({ contact_id: c.contact_id, name: displayName(c), phone: e164Phone(c, dataset)! })),
        }];
      case 'post':
        return [{
          bom: true,
          columns: ['contact_id', 'name', 'postal_code', 'country', 'region', 'city'],
          rows: reachable.map((c) => ({
            contact_id: c.contact_id, name: displayName(c), postal_code: c.postal_code ?? '', country: c.country ?? '', region: c.region ?? '', city: c.city ?? '',
          })),
        }];
      case 'ads': {
        const people = reachable.map((c) => ({ email: c.email ? normalEmail(c.email) : undefined, phone: e164Phone(c, dataset) }));
        const hash = (v: string | undefined) => (v ? sha256(v) : '');
        return [
          { platform: 'google', bom: false, columns: ['Email', 'Phone'], rows: people.map((p) => ({ Email: hash(p.email), Phone: hash(p.phone) })) },
          { platform: 'meta', bom: false, columns: ['email', 'phone'], rows: people.map((p) => ({ email: hash(p.email), phone: hash(p.phone?.slice(1)) })) },
        ];
      }
    }
  })();
  return { files, excluded };
}
