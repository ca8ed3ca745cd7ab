import type { OwnerNotification } from '../../core/routing/owner-notification.ts';
import { clip } from './channel.ts';
import { NOTIFY_LIMITS } from './limits.ts';

const LIMITS = NOTIFY_LIMITS.slack;

/** A Block Kit block, as chat.postMessage takes it in `blocks`. */
export type SlackBlock = { type: string; [key: string]: unknown };

export interface SlackMessage {
  /** Plain fallback: what notifications and screen readers show ("chat.postMessage": `text` with `blocks`). */
  text: string;
  blocks: SlackBlock[];
}

/** "Formatting text for app surfaces", escaping: &, < and > are control characters in mrkdwn and must be escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function factSections(facts: OwnerNotification['facts']): SlackBlock[] {
  const sections: SlackBlock[] = [];
  for (let start = 0; start < facts.length; start += LIMITS.sectionFields) {
    const fields = facts.slice(start, start + LIMITS.sectionFields).map((fact) => ({
      type: 'mrkdwn',
      text: clip(`*${escapeMrkdwn(fact.label)}*\n${escapeMrkdwn(fact.value)}`, LIMITS.fieldText),
    }));
    sections.push({ type: 'section', fields });
  }
  return sections;
}

/** The owner's message: the title as header, the facts as two-column fields, and an "Open Lead" button. */
export function slackMessageOf(notification: OwnerNotification): SlackMessage {
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(notification.title, LIMITS.headerText), emoji: true } },
    ...factSections(notification.facts),
  ];
  if (notification.leadUrl.length <= LIMITS.buttonUrl) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open Lead' }, url: notification.leadUrl, action_id: 'open_lead' }],
    });
  }
  const lines = [
    notification.title,
    ...notification.facts.map((fact) => `${fact.label}: ${fact.value}`),
    `Open Lead: ${notification.leadUrl}`,
  ];
  return { text: clip(escapeMrkdwn(lines.join('\n')), LIMITS.fallbackText), blocks };
}
