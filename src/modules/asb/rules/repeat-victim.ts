// Repeat victims: a person who has reported enough similar incidents within a few months (nationally, 3 in 3 months)
// is flagged, so the officer treats them as at greater risk. "Similar" is the landlord's choice: the same category
// (noise and noise), the same national category (personal, nuisance or environmental), or any incident at all.
//
// The window is the period of N months ending today: an incident counts while today is within the N months beginning
// with the day it happened (the same reading of "within" as the Case Review's, dates.ts).
import { ukDate } from '../../../platform/uk-time.ts';
import { periodEnd } from './dates.ts';
import type { AsbSettings } from './settings.ts';

export interface VictimIncident {
  id: string;
  /** The UK date it happened (yyyy-mm-dd). */
  occurredOn: string;
  /** The codes of its ASB categories. */
  categoryCodes: readonly string[];
}

export interface RepeatVictimResult {
  flagged: boolean;
  /** The similar incidents within the window, in the order they happened (the largest such group). */
  incidents: string[];
  /** What made them similar: a category's or national category's code, or 'any'; null when there were none. */
  similarBy: string | null;
  words: string;
}

/** The groups an incident belongs to under the rule's idea of "similar". Throws on an unknown category. */
function groupsOf(settings: Pick<AsbSettings, 'categories' | 'repeatVictim'>, incident: VictimIncident): string[] {
  const similar = settings.repeatVictim.similar;
  if (similar === 'any') return ['any'];
  const groups = incident.categoryCodes.map((code) => {
    const c = settings.categories.find((x) => x.code === code);
    if (!c) throw new RangeError(`not a category in these ASB settings: ${JSON.stringify(code)}`);
    return similar === 'same-category' ? c.code : c.national;
  });
  return [...new Set(groups)];
}

/** Whether a person is a repeat victim as of `now`, from the incidents they reported. */
export function repeatVictim(settings: Pick<AsbSettings, 'categories' | 'repeatVictim'>, incidents: readonly VictimIncident[], now: Date): RepeatVictimResult {
  const rule = settings.repeatVictim;
  const today = ukDate(now);
  const inWindow = incidents
    .filter((i) => i.occurredOn <= today && periodEnd(i.occurredOn, rule.withinMonths, 'months') >= today)
    .sort((a, b) => (a.occurredOn < b.occurredOn ? -1 : a.occurredOn > b.occurredOn ? 1 : 0));
  const groups = new Map<string, string[]>();
  for (const incident of inWindow) {
    for (const g of groupsOf(settings, incident)) groups.set(g, [...(groups.get(g) ?? []), incident.id]);
  }
  // The largest group; on a tie, the one met first (Map keeps the order groups were first seen).
  let best: [string, string[]] | null = null;
  for (const entry of groups) if (!best || entry[1].length > best[1].length) best = entry;

  const months = `${rule.withinMonths} month${rule.withinMonths === 1 ? '' : 's'}`;
  if (!best) return { flagged: false, incidents: [], similarBy: null, words: `No incidents in the last ${months}.` };
  const flagged = best[1].length >= rule.incidents;
  const words = flagged
    ? `Repeat victim: ${best[1].length} similar incidents in the last ${months} (${rule.incidents} or more make a repeat victim).`
    : `Not a repeat victim: at most ${best[1].length} similar incident${best[1].length === 1 ? '' : 's'} in the last ${months} (${rule.incidents} needed).`;
  return { flagged, incidents: best[1], similarBy: best[0], words };
}
