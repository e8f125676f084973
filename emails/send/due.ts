import type { Dataset, Mailing } from '../../sync/dataset.ts';

/**
 * Mailings to send now: scheduled for a moment that has passed, and those left `sending` by a run
 * that was stopped (resuming them is what makes a killed send finish exactly once).
 */
export function dueMailings(dataset: Pick<Dataset, 'mailings'>, now: Date): Mailing[] {
  const iso = now.toISOString();
  return dataset.mailings
    .filter((m) => (m.status === 'scheduled' && m.scheduled_for !== undefined && m.scheduled_for <= iso) || m.status === 'sending')
    .sort((a, b) => (a.scheduled_for ?? '').localeCompare(b.scheduled_for ?? ''));
}

/** The next mailing due to go out (what `npm start` previews). */
export function nextScheduled(dataset: Pick<Dataset, 'mailings'>): Mailing | undefined {
  return dataset.mailings
    .filter((m) => m.status === 'scheduled')
    .sort((a, b) => (a.scheduled_for ?? '\uffff').localeCompare(b.scheduled_for ?? '\uffff'))[0];
}
