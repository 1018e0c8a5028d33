// The 29 hazards of the Housing Health and Safety Rating System (HHSRS) in their four groups, and when each comes
// under Awaab's Law (shown as information: Hearth computes the clocks for every report, whatever its hazard).
import type { HazardSeverity } from './awaab.ts';

export type HhsrsGroup = 'physiological' | 'psychological' | 'infection' | 'accidents';

export const HHSRS_GROUPS: Record<HhsrsGroup, string> = {
  physiological: 'A. Physiological requirements',
  psychological: 'B. Psychological requirements',
  infection: 'C. Protection against infection',
  accidents: 'D. Protection against accidents',
};

/** Awaab's Law phases: 1 in force from 27 October 2025; 2 and 3 expected in 2026 and 2027; null: not covered. */
export type AwaabPhase = 1 | 2 | 3 | null;

export interface HhsrsHazard {
  code: string;
  label: string;
  group: HhsrsGroup;
  /** The phase in which a significant hazard of this kind comes under Awaab's Law (emergency hazards: phase 1). */
  phase: AwaabPhase;
}

const h = (code: string, label: string, group: HhsrsGroup, phase: AwaabPhase): HhsrsHazard => ({ code, label, group, phase });

/** In HHSRS order, which puts damp and mould (most reports) first. */
export const HHSRS_HAZARDS: readonly HhsrsHazard[] = [
  h('damp-and-mould', 'Damp and mould growth', 'physiological', 1),
  h('excess-cold', 'Excess cold', 'physiological', 2),
  h('excess-heat', 'Excess heat', 'physiological', 2),
  h('asbestos-and-mmf', 'Asbestos and manufactured mineral fibres (MMF)', 'physiological', 3),
  h('biocides', 'Biocides', 'physiological', 3),
  h('carbon-monoxide', 'Carbon monoxide and fuel combustion products', 'physiological', 3),
  h('lead', 'Lead', 'physiological', 3),
  h('radiation', 'Radiation', 'physiological', 3),
  h('uncombusted-fuel-gas', 'Uncombusted fuel gas', 'physiological', 3),
  h('volatile-organic-compounds', 'Volatile organic compounds', 'physiological', 3),
  h('crowding-and-space', 'Crowding and space', 'psychological', null),
  h('entry-by-intruders', 'Entry by intruders', 'psychological', 3),
  h('lighting', 'Lighting', 'psychological', 3),
  h('noise', 'Noise', 'psychological', 3),
  h('domestic-hygiene-pests-refuse', 'Domestic hygiene, pests and refuse', 'infection', 2),
  h('food-safety', 'Food safety', 'infection', 2),
  h('personal-hygiene-sanitation-drainage', 'Personal hygiene, sanitation and drainage', 'infection', 3),
  h('water-supply', 'Water supply', 'infection', 3),
  h('falls-associated-with-baths', 'Falls associated with baths', 'accidents', 2),
  h('falling-on-level-surfaces', 'Falling on level surfaces', 'accidents', 2),
  h('falling-on-stairs', 'Falling on stairs', 'accidents', 2),
  h('falling-between-levels', 'Falling between levels', 'accidents', 2),
  h('electrical-hazards', 'Electrical hazards', 'accidents', 2),
  h('fire', 'Fire', 'accidents', 2),
  h('flames-and-hot-surfaces', 'Flames, hot surfaces and materials', 'accidents', 3),
  h('collision-and-entrapment', 'Collision and entrapment', 'accidents', 3),
  h('explosions', 'Explosions', 'accidents', 2),
  h('position-and-operability-of-amenities', 'Position and operability of amenities', 'accidents', 3),
  h('structural-collapse', 'Structural collapse and falling elements', 'accidents', 2),
];

const BY_CODE = new Map(HHSRS_HAZARDS.map((x) => [x.code, x]));

export const HHSRS_CODES = HHSRS_HAZARDS.map((x) => x.code);

export function hhsrsHazard(code: string): HhsrsHazard | undefined {
  return BY_CODE.get(code);
}

export const isHhsrsCode = (code: string): boolean => BY_CODE.has(code);

/** Code → label, as the code lists of other modules are shaped (for API descriptions and labels in views). */
export const HHSRS_LABELS: Record<string, string> = Object.fromEntries(HHSRS_HAZARDS.map((x) => [x.code, x.label]));

export interface AwaabCoverage {
  phase: AwaabPhase;
  /** When it comes into force: an ISO date, a year when the date is not yet fixed, or null when not covered. */
  from: string | null;
  text: string;
}

/** Under which phase of Awaab's Law a report of this hazard and severity falls, in words. */
export function awaabCoverage(code: string, severity: HazardSeverity): AwaabCoverage {
  const hazard = hhsrsHazard(code);
  if (severity === 'emergency') {
    return { phase: 1, from: '2025-10-27', text: 'In force since 27 October 2025: every emergency hazard is covered from phase 1.' };
  }
  const name = hazard?.label.toLowerCase() ?? code;
  switch (hazard?.phase) {
    case 1: return { phase: 1, from: '2025-10-27', text: `In force since 27 October 2025: significant ${name} is covered from phase 1.` };
    case 2: return { phase: 2, from: '2026', text: `Expected in 2026 (phase 2) for significant ${name}, with excess cold and heat, falls, structural collapse and explosions, fire and electrical hazards, domestic hygiene and food safety.` };
    case 3: return { phase: 3, from: '2027', text: `Expected in 2027 (phase 3) for significant ${name}, with the other remaining HHSRS hazards.` };
    default: return { phase: null, from: null, text: `Not covered: ${name} is the one HHSRS hazard left out of Awaab's Law.` };
  }
}
