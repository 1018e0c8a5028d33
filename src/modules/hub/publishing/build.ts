// Publishing from Hearth (issue 16; decision 0026): the standard's records made from what this landlord's Hearth
// holds. Each record is written field by field from the standard's own fields: no Hearth record is ever spread or
// serialised into one, so nothing the standard does not name (a person, a note, an address line) can reach it. Every
// record is then checked with the standard's validator; a record that fails is reported (home, field, reason), never
// sent. Other modules are read only through what their index.ts exports.
//
// Where each field comes from:
// - landlordReference: the home's own property reference (homes.reference, "Prop Ref"). A home without one cannot
//   be published (reported): the hub keys homes by it.
// - localAuthority: the local authority recorded on the home's estate (the home's, else its block's), as an ONS code or
//   a council's name in the landlord's words ("Leeds City Council": public/local-authorities.ts); else the default
//   local authority in the publishing settings; else the home is not published (reported).
// - rentType: the tenure of the home's current tenancy, else its latest (tenancies), mapped to the standard's rent
//   types (RENT_TYPE_OF_TENURE); a home never let, or of an unknown tenure, is 'other'.
// - needsType: supported-housing tenancies are 'supported-housing'; no other needs type is held.
// - propertyType, bedrooms: the home's; buildYear: its block's year built (homes record none of their own).
// - block: the block's reference (else its Hearth id: stable, and names nothing), storeys, height, recorded
//   residential units, and higherRisk by the Building Safety Act rule, left out when the facts cannot settle it.
import { sql } from 'drizzle-orm';
import { localAuthorityCodeOf } from '../public/local-authorities.ts';
import type { Ctx } from '../../../platform/records/context.ts';
import { ukDate } from '../../../platform/uk-time.ts';
import { blockFacts, blockRecords, estateRecords, homeRecords, type BlockFacts, type Home } from '../../homes/index.ts';
import { asbMeasures } from '../../asb/index.ts';
import { repairMeasures } from '../../repairs/index.ts';
import { tenuresOfHomes } from '../../tenancies/index.ts';
import { dampMouldMeasures } from '../../hazards/index.ts';
import {
  HIGHER_RISK, LOCAL_AUTHORITY_PATTERN, STANDARD_PROPERTY_TYPES, type BlockRecord, type HomeRecord, type MeasuresRecord, type RentType,
} from '../standard/schema.ts';
import { validateRecord } from '../standard/validate.ts';

/** Hearth's tenures (tenancies/codes.ts TENURES) → the standard's rent types. Anything else: 'other'. */
export const RENT_TYPE_OF_TENURE: Readonly<Record<string, RentType>> = {
  'social-rent': 'social-rent',
  'affordable-rent': 'affordable-rent',
  'intermediate-rent': 'intermediate-rent',
  'shared-ownership': 'shared-ownership',
  leasehold: 'leasehold',
  // Supported housing let by a registered provider is low cost rental at social rent (the SDR counts it there, as a
  // needs type): published as social rent with needsType supported-housing.
  'supported-housing': 'social-rent',
  'temporary-accommodation': 'other',
  unknown: 'other',
};

const LOCAL_AUTHORITY = new RegExp(LOCAL_AUTHORITY_PATTERN);
export const isLocalAuthorityCode = (v: string | null | undefined): v is string => typeof v === 'string' && LOCAL_AUTHORITY.test(v.trim().toUpperCase());

/** A home that could not be published, and why (the field as a JSON pointer, the reason in words). */
export interface HomeProblem {
  homeId: string;
  /** The home's reference, or null when it has none. */
  reference: string | null;
  field: string;
  message: string;
}

export interface BuiltHome { homeId: string; record: HomeRecord }
export interface BuiltHomes {
  /** Records that passed the standard's validator, in home id order. */
  homes: BuiltHome[];
  /** Homes whose record failed it (or could not be made): never sent. */
  problems: HomeProblem[];
  /** Ids asked for that are no longer in Hearth. */
  missing: string[];
}

export interface BuildHomesOptions {
  /** Only these homes (changed ones); absent: every home, a page at a time (`after`, `limit`). */
  homeIds?: readonly string[];
  after?: string | null;
  limit?: number;
  /** The settings' default local authority, for homes whose estate records none. */
  defaultLocalAuthority?: string | null;
  now?: Date;
}

/** The higher-risk flag by the Building Safety Act (at least 18 m or 7 storeys, at least 2 residential units); undefined when unknown. */
export function higherRiskOf(b: Pick<BlockFacts, 'storeys' | 'heightMetres' | 'heightMethod' | 'residentialUnits' | 'homes'>): boolean | undefined {
  const { storeys: s, heightMetres: h } = b;
  if (b.residentialUnits !== null && b.residentialUnits < HIGHER_RISK.residentialUnits) return false;
  const tall = (h !== null && h >= HIGHER_RISK.heightMetres) || (s !== null && s >= HIGHER_RISK.storeys);
  if (tall) return (b.residentialUnits ?? b.homes) >= HIGHER_RISK.residentialUnits ? true : undefined;
  if (h === null && (s === null || s === HIGHER_RISK.storeys - 1)) return undefined; // a tall 6-storey block can reach 18 m
  if (h !== null && b.heightMethod !== 'measured' && h >= HIGHER_RISK.heightMetres - 2) return undefined; // estimated, near the line
  return false;
}

const intIn = (v: number | null | undefined, min: number, max: number) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined);
const numIn = (v: number | null | undefined, min: number, max: number) => (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : undefined);
const text = (v: string | null | undefined) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

function blockRecord(b: BlockFacts): BlockRecord {
  const block: BlockRecord = { blockReference: (text(b.reference) ?? b.id).slice(0, 50) };
  const storeys = intIn(b.storeys, 1, 200);
  const height = numIn(b.heightMetres, 1, 400);
  const units = intIn(b.residentialUnits, 0, 10_000);
  const higherRisk = higherRiskOf(b);
  if (storeys !== undefined) block.storeys = storeys;
  if (height !== undefined) block.heightMetres = height;
  if (units !== undefined) block.residentialUnits = units;
  if (higherRisk !== undefined) block.higherRisk = higherRisk;
  return block;
}

const PAGE = 5000;

/** The homes asked for: by id, or a page of every home in id order. */
async function homesOf(ctx: Ctx, o: BuildHomesOptions): Promise<Home[]> {
  if (o.homeIds) {
    const out: Home[] = [];
    for (let i = 0; i < o.homeIds.length; i += PAGE) out.push(...await homeRecords.getMany(ctx, o.homeIds.slice(i, i + PAGE)));
    return out.sort((a, b) => a.id.localeCompare(b.id));
  }
  return homeRecords.find(ctx, o.after ? sql`id > ${o.after}::uuid` : sql`true`, o.limit ?? PAGE);
}

/** The standard's home records of these homes (see the top of this file for each field's source). */
export async function buildHomeRecords(ctx: Ctx, options: BuildHomesOptions = {}): Promise<BuiltHomes> {
  const now = options.now ?? new Date();
  const homes = await homesOf(ctx, options);
  const found = new Set(homes.map((h) => h.id));
  const missing = (options.homeIds ?? []).filter((id) => !found.has(id));
  if (!homes.length) return { homes: [], problems: [], missing };
  const blocks = new Map((await blockFacts(ctx)).map((b) => [b.id, b]));
  const estates = new Map((await estateRecords.find(ctx, sql`true`, 1_000_000)).map((e) => [e.id, e.localAuthority]));
  // A block's estate, for a home that names none of its own (blockFacts gives the estate's name, not its id).
  const estateOfBlock = new Map((await blockRecords.find(ctx, sql`true`, 1_000_000)).map((b) => [b.id, b.estateId]));
  const tenures = await tenuresOfHomes(ctx, homes.map((h) => h.id), ukDate(now));
  const fallback = isLocalAuthorityCode(options.defaultLocalAuthority) ? options.defaultLocalAuthority.trim().toUpperCase() : undefined;
  const out: BuiltHomes = { homes: [], problems: [], missing };
  for (const h of homes) {
    const block = h.blockId ? blocks.get(h.blockId) : undefined;
    const estateId = h.estateId ?? (h.blockId ? estateOfBlock.get(h.blockId) : null);
    const recorded = estateId ? estates.get(estateId) : null;
    const localAuthority = localAuthorityCodeOf(recorded) ?? fallback;
    const reference = text(h.reference) ?? null;
    if (!reference) {
      out.problems.push({ homeId: h.id, reference: null, field: '/landlordReference', message: 'The home has no property reference in Hearth: the hub keys homes by it. Record the home\'s reference.' });
      continue;
    }
    if (!localAuthority) {
      out.problems.push({ homeId: h.id, reference, field: '/localAuthority', message: `The home's estate has ${recorded ? `a local authority that is not a district's code or name (${JSON.stringify(recorded)})` : 'no local authority'}, and the publishing settings give no default local authority.` });
      continue;
    }
    const tenure = tenures.get(h.id);
    const record: HomeRecord = {
      type: 'home',
      landlordReference: reference,
      localAuthority,
      rentType: (tenure && RENT_TYPE_OF_TENURE[tenure]) || 'other',
    };
    const uprn = text(h.uprn);
    if (uprn) record.uprn = uprn;
    if (tenure === 'supported-housing') record.needsType = 'supported-housing';
    if (Object.hasOwn(STANDARD_PROPERTY_TYPES, h.propertyType)) record.propertyType = h.propertyType as keyof typeof STANDARD_PROPERTY_TYPES;
    const bedrooms = intIn(h.bedrooms, 0, 20);
    if (bedrooms !== undefined) record.bedrooms = bedrooms;
    const buildYear = intIn(block?.yearBuilt, 1500, 9999);
    if (buildYear !== undefined) record.buildYear = buildYear;
    if (block) record.block = blockRecord(block);
    const checked = validateRecord(record, { now });
    if (checked.record) out.homes.push({ homeId: h.id, record });
    else for (const e of checked.errors) out.problems.push({ homeId: h.id, reference, field: e.field, message: e.message });
  }
  return out;
}

// ---- measures ------------------------------------------------------------------------------------------------

export interface Period { from: string; to: string }

/** The TSM reporting year (1 April to 31 March) containing a UK date. */
export function tsmYearOf(day: string): Period {
  const year = Number(day.slice(0, 4)) - (day.slice(5, 7) < '04' ? 1 : 0);
  return { from: `${year}-04-01`, to: `${year + 1}-03-31` };
}

export interface BuiltMeasures {
  records: MeasuresRecord[];
  problems: { field: string; message: string }[];
}

/**
 * The measures Hearth computes, for one period, as one record: damp and mould open cases and Awaab's Law deadlines
 * met and missed (hazards), NM01 (asb) and RP02 (repairs). Hearth does not yet split its measures by tenure group,
 * so the whole landlord's figures are published as LCRA (low cost rental, most of a social landlord's stock).
 * NM01's reporting year is the period's own (it must be a TSM year; any other period leaves NM01 out).
 */
export async function buildMeasuresRecords(ctx: Ctx, period: Period, options: { publisher: string; now?: Date }): Promise<BuiltMeasures> {
  const now = options.now ?? new Date();
  const record: MeasuresRecord = { type: 'measures', landlord: options.publisher, period: { from: period.from, to: period.to }, tenureGroup: 'LCRA' };
  const damp = await dampMouldMeasures(ctx, period, now);
  record.dampAndMould = { openCases: damp.openCases, clocksMet: damp.clocksMet, clocksMissed: damp.clocksMissed };
  const repairs = await repairMeasures(ctx, { from: period.from, to: period.to, now });
  // RP02 (1) is non-emergency repairs and RP02 (2) emergency, as the regulator numbers them (standard/schema.ts).
  if (repairs.nonEmergency.withTarget > 0) record.rp02_1 = { numerator: repairs.nonEmergency.withinTarget, denominator: repairs.nonEmergency.withTarget };
  if (repairs.emergency.withTarget > 0) record.rp02_2 = { numerator: repairs.emergency.withinTarget, denominator: repairs.emergency.withTarget };
  const year = tsmYearOf(period.from);
  if (year.from === period.from && year.to === period.to) {
    const asb = await asbMeasures(ctx, { year: Number(period.from.slice(0, 4)), now });
    if (asb.nm01.homes > 0) {
      record.nm01_1 = { numerator: asb.nm01.cases, denominator: asb.nm01.homes };
      record.nm01_2 = { numerator: asb.nm01.hateCases, denominator: asb.nm01.homes };
    }
  }
  const checked = validateRecord(record, { now });
  return checked.record ? { records: [record], problems: [] } : { records: [], problems: checked.errors };
}
