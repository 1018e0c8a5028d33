// The higher-risk buildings register (Building Safety Act 2022): a building of at least 18 metres or at least 7
// storeys with at least 2 residential units. A block is never silently left out: one whose height and storeys are
// both missing, or that is near the line, is listed as "data needed" with what to measure.
// This is the one place the rule lives: the organisation overview and the block page ask here (higherRiskCounts,
// blockAssessment) rather than test heights and storeys themselves, so they cannot disagree with the register.
import type { Ctx } from '../../platform/records/context.ts';
import { blockFacts, type BlockFacts } from '../homes/index.ts';
import { tenancyService } from '../tenancies/index.ts';

export const HEIGHT_LIMIT_METRES = 18;
export const STOREY_LIMIT = 7;
export const MIN_RESIDENTIAL_UNITS = 2;
/** Within this of 18 m, an estimated height (or a 6-storey block with no height) needs measuring before it is ruled out. */
export const NEAR_THE_LINE_METRES = 2;

export type HrbStatus = 'higher-risk' | 'data-needed' | 'not-higher-risk';
export interface HrbAssessment { status: HrbStatus; reasons: string[] }

/** Units: the block's recorded residential units, else the homes Hearth holds in it (and says so). */
function units(b: BlockFacts): { n: number; from: string } {
  return b.residentialUnits !== null ? { n: b.residentialUnits, from: 'recorded' } : { n: b.homes, from: 'homes held in Hearth' };
}

export function assessBlock(b: BlockFacts): HrbAssessment {
  const u = units(b);
  const reasons: string[] = [];
  if (u.n < MIN_RESIDENTIAL_UNITS && b.residentialUnits !== null) {
    return { status: 'not-higher-risk', reasons: [`${u.n} residential unit${u.n === 1 ? '' : 's'} (${u.from}); the Act needs at least ${MIN_RESIDENTIAL_UNITS}`] };
  }
  if (u.n < MIN_RESIDENTIAL_UNITS) {
    // Unknown is unknown: holding fewer than 2 of a block's homes says nothing about how many it has. Only a building
    // that is plainly not tall enough is ruled out; any other needs its units counted.
    const height = assessBlock({ ...b, residentialUnits: MIN_RESIDENTIAL_UNITS });
    if (height.status === 'not-higher-risk') return { status: 'not-higher-risk', reasons: height.reasons.filter((r) => !/residential unit/.test(r)) };
    return { status: 'data-needed', reasons: [`residential units are not recorded and Hearth holds ${u.n} of its homes: record how many homes the building has`,
      ...height.reasons.filter((r) => !/residential unit/.test(r))] };
  }
  const h = b.heightMetres;
  const s = b.storeys;
  const estimated = b.heightMethod !== 'measured';
  if (h !== null && h >= HEIGHT_LIMIT_METRES) reasons.push(`height ${h} m${estimated ? ' (not recorded as measured)' : ''} is at least ${HEIGHT_LIMIT_METRES} m`);
  if (s !== null && s >= STOREY_LIMIT) reasons.push(`${s} storeys is at least ${STOREY_LIMIT}`);
  if (reasons.length) return { status: 'higher-risk', reasons: [...reasons, `${u.n} residential units (${u.from})`] };
  if (h === null && s === null) return { status: 'data-needed', reasons: ['neither height nor storeys is recorded: measure the building'] };
  if (h === null && s === STOREY_LIMIT - 1) return { status: 'data-needed', reasons: [`${s} storeys and no height recorded: a tall 6-storey building can reach ${HEIGHT_LIMIT_METRES} m; measure it`] };
  if (h !== null && estimated && h >= HEIGHT_LIMIT_METRES - NEAR_THE_LINE_METRES) {
    return { status: 'data-needed', reasons: [`height ${h} m is within ${NEAR_THE_LINE_METRES} m of ${HEIGHT_LIMIT_METRES} m and not recorded as measured; measure it`] };
  }
  return { status: 'not-higher-risk', reasons: [h !== null ? `height ${h} m is under ${HEIGHT_LIMIT_METRES} m` : `${s} storeys and no height recorded`,
    ...(s !== null && h !== null ? [`${s} storeys is under ${STOREY_LIMIT}`] : [])] };
}

export interface HrbEntry extends Omit<BlockFacts, 'homeIds'> {
  /** People living in the block today: members of current tenancies of its homes. */
  residents: number;
  assessment: HrbAssessment;
}

/** How many blocks are in each of the register's lists, without reading residents: for the organisation overview. */
export async function higherRiskCounts(ctx: Ctx): Promise<{ blocks: number; higherRisk: number; dataNeeded: number; notHigherRisk: number }> {
  const statuses = (await blockFacts(ctx)).map((b) => assessBlock(b).status);
  const count = (s: HrbStatus) => statuses.filter((x) => x === s).length;
  return { blocks: statuses.length, higherRisk: count('higher-risk'), dataNeeded: count('data-needed'), notHigherRisk: count('not-higher-risk') };
}

/** One block, assessed as the register assesses it (for the block page); null if the organisation has no such block. */
export async function blockAssessment(ctx: Ctx, blockId: string): Promise<HrbAssessment | null> {
  const [b] = await blockFacts(ctx, blockId);
  return b ? assessBlock(b) : null;
}

/** Every block, assessed: the register (higher-risk), the blocks that need data, and the rest. */
export async function higherRiskRegister(ctx: Ctx): Promise<{ higherRisk: HrbEntry[]; dataNeeded: HrbEntry[]; notHigherRisk: HrbEntry[] }> {
  const blocks = await blockFacts(ctx);
  const living = await tenancyService.residentsOfHomes(ctx, blocks.flatMap((b) => b.homeIds));
  const all: HrbEntry[] = blocks.map(({ homeIds, ...b }) => ({
    ...b, residents: new Set(homeIds.flatMap((id) => living.get(id) ?? [])).size, assessment: assessBlock({ ...b, homeIds }),
  }));
  return {
    higherRisk: all.filter((b) => b.assessment.status === 'higher-risk'),
    dataNeeded: all.filter((b) => b.assessment.status === 'data-needed'),
    notHigherRisk: all.filter((b) => b.assessment.status === 'not-higher-risk'),
  };
}
