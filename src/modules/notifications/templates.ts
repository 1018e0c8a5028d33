// Hearth's own words for each message to a resident, by channel, with ((placeholders)) as GOV.UK Notify writes them.
// The local provider renders these; with GOV.UK Notify the landlord makes a template of the same name there (its words
// may differ, its placeholders must be these), whose id goes in HEARTH_NOTIFY_TEMPLATES. Rendering here first also
// checks the caller gave every placeholder, whichever provider sends it, so a missing one fails where it was written.

export type Channel = 'email' | 'sms';
export const CHANNELS: readonly Channel[] = ['email', 'sms'];

export type TemplateName = 'repair-reported' | 'appointment-booked' | 'appointment-changed' | 'repair-cancelled' | 'repair-completed' | 'hub-view-updated';

export interface Template {
  /** What the template is for (the messages page, the settings' documentation). */
  description: string;
  email: { subject: string; body: string };
  /** A text message: short, so it is one or two messages long. */
  sms: { body: string };
}

const findAgain = 'To check your repair, change the appointment or cancel it, go to ((find_url)) and enter your reference and postcode.';

export const TEMPLATES: Readonly<Record<TemplateName, Template>> = {
  'repair-reported': {
    description: 'A resident reported a repair: its reference, what they told us, how urgent it is and what happens next',
    email: {
      subject: 'Repair reported: your reference is ((reference))',
      body: [
        'We have your repair request.',
        'Your reference is ((reference)). Keep it: you need it to check, change or cancel your repair.',
        '# What you told us',
        '((what))',
        '# How urgent it is',
        '((priority))',
        '# What happens next',
        '((next_steps))',
        findAgain,
      ].join('\n\n'),
    },
    sms: { body: 'We have your repair request. Your reference is ((reference)). ((next_steps)) To check or change it: ((find_url))' },
  },
  'appointment-booked': {
    description: 'An appointment for a repair was booked: the date and time of day',
    email: {
      subject: 'Repair appointment booked for ((date))',
      body: [
        'We will come to do your repair (reference ((reference))) on ((date)), ((slot)).',
        'Someone aged 18 or over needs to be at home to let us in.',
        findAgain,
      ].join('\n\n'),
    },
    sms: { body: 'Repair ((reference)): we will come on ((date)), ((slot)). To change it: ((find_url))' },
  },
  'appointment-changed': {
    description: 'A repair appointment moved to another date or time of day',
    email: {
      subject: 'Your repair appointment has changed to ((date))',
      body: [
        'Your appointment for repair ((reference)) has changed.',
        'We will now come on ((date)), ((slot)).',
        'Someone aged 18 or over needs to be at home to let us in.',
        findAgain,
      ].join('\n\n'),
    },
    sms: { body: 'Repair ((reference)): your appointment has changed. We will now come on ((date)), ((slot)). To change it: ((find_url))' },
  },
  'repair-cancelled': {
    description: 'A repair was cancelled (and its appointment with it)',
    email: {
      subject: 'Repair cancelled: ((reference))',
      body: [
        'We have cancelled your repair ((reference)): ((what)).',
        'If there was an appointment, we will not come.',
        'If you still need the repair, report it again.',
      ].join('\n\n'),
    },
    sms: { body: 'Repair ((reference)) is cancelled. If there was an appointment, we will not come. If you still need it, report it again.' },
  },
  'repair-completed': {
    description: 'A repair was finished',
    email: {
      subject: 'Repair finished: ((reference))',
      body: [
        'We have finished your repair ((reference)): ((what)).',
        'If the problem comes back, report it again and give this reference.',
      ].join('\n\n'),
    },
    sms: { body: 'Repair ((reference)) is finished. If the problem comes back, report it again and give this reference.' },
  },
  // To staff, not residents: a saved view of the national hub's data that they subscribed to has new data.
  'hub-view-updated': {
    description: 'New data reached the national hub: a link to the CSV of a saved view the member of staff subscribed to',
    email: {
      subject: 'New data in the national hub: ((view_name))',
      body: [
        'New data has reached the national hub since we last wrote about your saved view ((view_name)). The latest arrived on ((received_at)).',
        'Download the view as a CSV (sign in first): ((csv_url))',
        'See the view: ((view_url))',
        'These are exact figures for internal analysis: not for publication.',
        'To stop these emails, unsubscribe on your saved views page: ((views_url))',
      ].join('\n\n'),
    },
    sms: { body: 'New data in the national hub for your saved view ((view_name)): ((csv_url))' },
  },
};

export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];

export const isTemplateName = (value: string): value is TemplateName => Object.hasOwn(TEMPLATES, value);

const PLACEHOLDER = /\(\(([^()]+)\)\)/g;

/** The placeholders a text names, each once, in order. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** The placeholders of a template in a channel (subject and body). */
export function placeholdersOfTemplate(name: TemplateName, channel: Channel): string[] {
  const t = TEMPLATES[name][channel];
  return placeholdersOf(`${'subject' in t ? t.subject : ''}\n${t.body}`);
}

/** A message asked for without a value for each of its template's placeholders: a mistake in the calling code. */
export class MissingPersonalisation extends Error {
  readonly missing: string[];
  constructor(template: TemplateName, channel: Channel, missing: string[]) {
    super(`The ${template} ${channel === 'sms' ? 'text message' : 'email'} needs personalisation for ${missing.join(', ')}`);
    this.name = 'MissingPersonalisation';
    this.missing = missing;
  }
}

/** Check that every placeholder has a value (as GOV.UK Notify does, which refuses the message otherwise). */
export function checkPersonalisation(name: TemplateName, channel: Channel, personalisation: Readonly<Record<string, string>>): void {
  const missing = placeholdersOfTemplate(name, channel).filter((p) => typeof personalisation[p] !== 'string');
  if (missing.length) throw new MissingPersonalisation(name, channel, missing);
}

/**
 * The message as the resident reads it: each ((placeholder)) replaced by its value, word for word (values are never
 * read as placeholders themselves: a resident's "((what))" stays as they wrote it).
 */
export function render(name: TemplateName, channel: Channel, personalisation: Readonly<Record<string, string>>): { subject: string | null; body: string } {
  checkPersonalisation(name, channel, personalisation);
  const fill = (text: string) => text.replace(PLACEHOLDER, (_, key: string) => personalisation[key]!);
  const t = TEMPLATES[name][channel];
  return { subject: 'subject' in t ? fill(t.subject) : null, body: fill(t.body) };
}
