import type { Settings } from './schema/settings.ts';

/** The topic of a mailing whose topic cell is blank. */
export const DEFAULT_TOPIC = 'newsletter';

/** A mailing's topic id: its topic cell, lowercased; blank is the newsletter. */
export const mailingTopic = (mailing: { topic?: string }): string => mailing.topic?.trim().toLowerCase() || DEFAULT_TOPIC;

/**
 * Why a mailing's topic cannot be used, or undefined when it is one of settings.topics: supporters
 * choose among those topics, so a mailing of another one could not honour anyone's choice.
 */
export function topicProblem(mailing: { topic?: string }, settings: Pick<Settings, 'topics'>): string | undefined {
  const topic = mailingTopic(mailing);
  if (settings.topics.some((t) => t.id === topic)) return undefined;
  const known = settings.topics.map((t) => t.id).join(', ');
  return mailing.topic?.trim()
    ? `"${mailing.topic.trim()}" is not one of the topics in settings (${known}): write one of them, or add it to settings.topics; the mailing is not sent until then`
    : `the mailing has no topic and settings.topics has no ${DEFAULT_TOPIC}: write one of ${known} in topic; the mailing is not sent until then`;
}
