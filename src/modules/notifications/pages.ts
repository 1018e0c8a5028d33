// "Messages sent" (/notifications): what residents were sent, newest first, as they read it, for administrators
// (notifications:read: the messages hold contact details). With the local provider the page says nothing is sent.
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { PageRun } from '../../web/page.ts';
import { govukDateTime } from '../../platform/uk-time.ts';
import { messagesFor, type MessageStatus } from './service.ts';
import { TEMPLATES, isTemplateName } from './templates.ts';

/** The messages shown: the newest 200 (an administrator checking what went, not an archive). */
const SHOWN = 200;

const STATUS_TAGS: Record<MessageStatus, { text: string; classes: string }> = {
  queued: { text: 'Waiting to send', classes: 'govuk-tag--blue' },
  sending: { text: 'Sending', classes: 'govuk-tag--blue' },
  sent: { text: 'Sent', classes: 'govuk-tag--green' },
  failed: { text: 'Not sent', classes: 'govuk-tag--red' },
};

export function notificationPages(app: TypedFastify, page: PageRun, options: { local: boolean }): void {
  app.get('/notifications', async (req, reply) => {
    const data = await page(req, async (ctx) => ({ messages: await messagesFor(ctx, { limit: SHOWN }) }));
    return reply.view('notifications/messages.njk', {
      ...data,
      title: 'Messages sent',
      section: 'notifications',
      local: options.local,
      shown: SHOWN,
      messages: data.messages.map((m) => ({
        ...m,
        channelText: m.channel === 'email' ? 'Email' : 'Text message',
        templateText: isTemplateName(m.template) ? TEMPLATES[m.template].description : m.template,
        sentAt: govukDateTime(m.createdAt),
        tag: STATUS_TAGS[m.status] ?? { text: m.status, classes: 'govuk-tag--grey' },
      })),
    });
  });
}
