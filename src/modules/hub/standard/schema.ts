// The Hearth Housing Data Standard (HHDS) 1.0: what a landlord publishes to a hub. Property-level facts about homes
// and counts per landlord, period and tenure group; nothing about any person. Every object is closed
// (additionalProperties: false), so a field the standard does not name, personal or not, cannot pass through it.
// TypeBox's output is JSON Schema: these schemas validate records here and are published as
// docs/standard/hhds-1.0.schema.json (scripts/standard-schema.ts), which a test keeps equal to this file.
import { Type, type Static, type TSchema } from 'typebox';
import { dateField, line, literalUnion, strict } from '../../../platform/http/schemas.ts';
import { UPRN_PATTERN } from '../../../platform/http/formats.ts';

export const STANDARD_VERSION = '1.0';
export const STANDARD_NAME = 'Hearth Housing Data Standard';
export const STANDARD_ID = `urn:hearth:hhds:${STANDARD_VERSION}`;

/** Largest count any measure takes: more than every social home in England, far below PostgreSQL's integer. */
const MAX_COUNT = 100_000_000;
/** Records in one pushed batch. */
export const MAX_BATCH_RECORDS = 10_000;

// Code lists. The standard keeps its own (versioned with it) rather than Hearth's, so a change to Hearth's lists
// never changes what the standard accepts.

/**
 * Rent type (tenure) of a home, in the categories of the Regulator of Social Housing's Statistical Data Return (SDR,
 * private registered providers) and Local Authority Data Return (LADR): low cost rental accommodation (social rent,
 * Affordable Rent), low cost home ownership, and the non-social stock they report apart.
 */
export const RENT_TYPES = {
  'social-rent': 'Social rent (low cost rental: rent set under the Rent Standard)',
  'affordable-rent': 'Affordable Rent (low cost rental: up to 80% of local market rent)',
  'intermediate-rent': 'Intermediate rent (non-social rented in the SDR)',
  'shared-ownership': 'Shared ownership (low cost home ownership)',
  'other-lcho': 'Other low cost home ownership',
  'market-rent': 'Market rent (non-social rented)',
  leasehold: 'Leasehold, non-social (e.g. a flat sold under Right to Buy)',
  other: 'Other',
} as const;
export type RentType = keyof typeof RENT_TYPES;

/** The TSM tenure groups: low cost rental accommodation and low cost home ownership, reported apart. */
export const TENURE_GROUPS = { LCRA: 'Low cost rental accommodation', LCHO: 'Low cost home ownership' } as const;
export type TenureGroup = keyof typeof TENURE_GROUPS;
/** The tenure group a home's rent type counts in for the TSMs; null: outside the social stock the TSMs cover. */
export const TENURE_GROUP_OF_RENT_TYPE: Readonly<Record<RentType, TenureGroup | null>> = {
  'social-rent': 'LCRA', 'affordable-rent': 'LCRA', 'shared-ownership': 'LCHO', 'other-lcho': 'LCHO',
  'intermediate-rent': null, 'market-rent': null, leasehold: null, other: null,
};

/** How low cost rental stock is split in the SDR and LADR. */
export const NEEDS_TYPES = {
  'general-needs': 'General needs',
  'supported-housing': 'Supported housing',
  'housing-for-older-people': 'Housing for older people',
} as const;

/** Built form of a home (Hearth's own list, which has `room` for rooms in shared housing). */
export const STANDARD_PROPERTY_TYPES = {
  house: 'House', flat: 'Flat', bungalow: 'Bungalow', maisonette: 'Maisonette', bedsit: 'Bedsit',
  room: 'Room in shared housing', other: 'Other',
} as const;

/** How a tenant perception survey was carried out (TSM tenant survey requirements: the method is published). */
export const SURVEY_METHODS = {
  postal: 'Postal', online: 'Online', telephone: 'Telephone', 'face-to-face': 'Face to face', mixed: 'Mixed methods',
} as const;

/** A code-list field whose description lists the codes (as Hearth's API fields do). */
const codes = <K extends string>(list: Readonly<Record<K, string>>, description: string) => {
  const values = Object.keys(list) as K[];
  return literalUnion(values, { description: `${description}: ${values.map((v) => `${v} (${list[v]})`).join('; ')}` });
};
const count = (description: string) => Type.Integer({ minimum: 0, maximum: MAX_COUNT, description });
const reference = (description: string) => line(50, { minLength: 1, description });

// Shapes and their words, for messages (platform schemaErrors names a pattern by these).
export const LOCAL_AUTHORITY_PATTERN = '^(E0[6-9]|W06|S12|N09)[0-9]{6}$';
export const REGISTRATION_PATTERN = '^([A-Z]{1,2}[0-9]{4}|[0-9]{4}|[0-9]{2}[A-Z]{2})$';
export const PATTERN_WORDS: Readonly<Record<string, string>> = {
  [UPRN_PATTERN]: 'must be a UPRN: 1 to 12 digits',
  [LOCAL_AUTHORITY_PATTERN]: 'must be the ONS (GSS) code of a local authority district, such as E08000035',
  [REGISTRATION_PATTERN]: 'must be a Regulator of Social Housing registration number, such as L1234, LH1234, 4567 or 00CN',
};

const uprn = Type.String({ pattern: UPRN_PATTERN, description: 'Unique Property Reference Number of the home (1 to 12 digits, as OS AddressBase gives it)' });
const registration = (description: string) => Type.String({ pattern: REGISTRATION_PATTERN, description });

// ---- home ----------------------------------------------------------------------------------------------------

/** Building Safety Act 2022: a higher-risk building is at least 18 m or 7 storeys with at least 2 residential units. */
export const HIGHER_RISK = { heightMetres: 18, storeys: 7, residentialUnits: 2 } as const;

export const BlockSchema = Type.Object({
  blockReference: reference("The landlord's own reference for the block (building) the home is in"),
  storeys: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'Storeys above ground level, as the Building Safety Act counts them' })),
  heightMetres: Type.Optional(Type.Number({ minimum: 1, maximum: 400, description: 'Height in metres from the lowest ground level to the top of the floor of the top storey (Building Safety Act)' })),
  residentialUnits: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'Residential units (homes) in the building, of any landlord' })),
  higherRisk: Type.Optional(Type.Boolean({ description: `Whether the building is a higher-risk building under the Building Safety Act 2022: at least ${HIGHER_RISK.heightMetres} m or ${HIGHER_RISK.storeys} storeys, with at least ${HIGHER_RISK.residentialUnits} residential units` })),
}, { ...strict, description: 'The block (building) the home is in, when it is in one' });

export const HomeSchema = Type.Object({
  type: Type.Literal('home', { description: 'Record type: a home' }),
  landlordReference: reference("The landlord's own reference for the home (its property reference): it names the home, never a person; the key of the home within its landlord's records"),
  uprn: Type.Optional(uprn),
  localAuthority: Type.String({ pattern: LOCAL_AUTHORITY_PATTERN, description: 'ONS (GSS) code of the local authority district the home is in, such as E08000035' }),
  rentType: codes(RENT_TYPES, 'Rent type (tenure) of the home, in the SDR and LADR categories'),
  needsType: Type.Optional(codes(NEEDS_TYPES, 'What the home is let for, as the SDR and LADR split low cost rental stock')),
  propertyType: Type.Optional(codes(STANDARD_PROPERTY_TYPES, 'Built form of the home')),
  bedrooms: Type.Optional(Type.Integer({ minimum: 0, maximum: 20, description: 'Bedrooms (0 for a bedsit or studio)' })),
  buildYear: Type.Optional(Type.Integer({ minimum: 1500, description: 'Year the home was built (from 1500 to next year)' })),
  block: Type.Optional(BlockSchema),
}, { ...strict, description: 'A home: facts about the building, never about who lives in it' });

// ---- measures -------------------------------------------------------------------------------------------------

export type MeasureKind = 'proportion' | 'rate' | 'perception';
export interface MeasureDefinition {
  /** The field of the measures record (the TSM code in lower case, with its part). */
  key: string;
  /** The regulator's code, as it prints it: "RP02 (1)". */
  code: string;
  title: string;
  /** proportion: numerator ≤ denominator; rate: per 1,000 homes; perception: satisfied of responses. */
  kind: MeasureKind;
  numerator: string;
  denominator: string;
}

const proportion = (key: string, code: string, title: string, numerator: string, denominator: string): MeasureDefinition => ({ key, code, title, kind: 'proportion', numerator, denominator });
const per1000 = (key: string, code: string, title: string, numerator: string): MeasureDefinition =>
  ({ key, code, title, kind: 'rate', numerator, denominator: 'Homes owned in the tenure group at the end of the period' });
const perception = (key: string, code: string, title: string, numerator = 'Respondents satisfied (very or fairly)'): MeasureDefinition =>
  ({ key, code, title, kind: 'perception', numerator, denominator: 'Respondents who answered the question, excluding "not applicable"' });

/** The Tenant Satisfaction Measures the standard carries, as counts (the regulator's definitions, from 1 April 2023). */
export const MEASURES: readonly MeasureDefinition[] = [
  proportion('rp01', 'RP01', 'Homes that do not meet the Decent Homes Standard', 'Homes that do not meet the Decent Homes Standard at the end of the period', 'Homes owned at the end of the period'),
  proportion('rp02_1', 'RP02 (1)', 'Non-emergency repairs completed within target timescale', 'Non-emergency responsive repairs completed within the landlord\'s target timescale', 'Non-emergency responsive repairs completed in the period'),
  proportion('rp02_2', 'RP02 (2)', 'Emergency repairs completed within target timescale', 'Emergency responsive repairs completed within the landlord\'s target timescale', 'Emergency responsive repairs completed in the period'),
  per1000('nm01_1', 'NM01 (1)', 'Anti-social behaviour cases per 1,000 homes', 'Anti-social behaviour cases opened in the period (one case however many reports while it is open)'),
  per1000('nm01_2', 'NM01 (2)', 'Anti-social behaviour cases that involve hate incidents per 1,000 homes', 'Anti-social behaviour cases involving hate incidents opened in the period'),
  proportion('bs01', 'BS01', 'Gas safety checks', 'Homes for which all required gas safety checks have been carried out', 'Homes that require gas safety checks'),
  proportion('bs02', 'BS02', 'Fire safety checks', 'Homes for which all required fire risk assessments have been carried out', 'Homes that require fire risk assessments'),
  proportion('bs03', 'BS03', 'Asbestos safety checks', 'Homes for which all required asbestos management surveys or re-inspections have been carried out', 'Homes that require asbestos management surveys or re-inspections'),
  proportion('bs04', 'BS04', 'Water safety checks', 'Homes for which all required legionella risk assessments have been carried out', 'Homes that require legionella risk assessments'),
  proportion('bs05', 'BS05', 'Lift safety checks', 'Homes for which all required communal passenger lift safety checks have been carried out', 'Homes served by communal passenger lifts'),
  per1000('ch01_1', 'CH01 (1)', 'Stage one complaints received per 1,000 homes', 'Stage one complaints received in the period'),
  per1000('ch01_2', 'CH01 (2)', 'Stage two complaints received per 1,000 homes', 'Stage two complaints received in the period'),
  proportion('ch02_1', 'CH02 (1)', 'Stage one complaints responded to within the Complaint Handling Code timescales', 'Stage one complaints responded to within the Housing Ombudsman\'s Complaint Handling Code timescales', 'Stage one complaints responded to in the period'),
  proportion('ch02_2', 'CH02 (2)', 'Stage two complaints responded to within the Complaint Handling Code timescales', 'Stage two complaints responded to within the Housing Ombudsman\'s Complaint Handling Code timescales', 'Stage two complaints responded to in the period'),
  perception('tp01', 'TP01', 'Overall satisfaction'),
  perception('tp02', 'TP02', 'Satisfaction with repairs'),
  perception('tp03', 'TP03', 'Satisfaction with time taken to complete most recent repair'),
  perception('tp04', 'TP04', 'Satisfaction that the home is well maintained'),
  perception('tp05', 'TP05', 'Satisfaction that the home is safe'),
  perception('tp06', 'TP06', 'Satisfaction that the landlord listens to tenant views and acts upon them'),
  perception('tp07', 'TP07', 'Satisfaction that the landlord keeps tenants informed about things that matter to them'),
  perception('tp08', 'TP08', 'Agreement that the landlord treats tenants fairly and with respect', 'Respondents who strongly agree or agree'),
  perception('tp09', 'TP09', 'Satisfaction with the landlord\'s approach to handling complaints'),
  perception('tp10', 'TP10', 'Satisfaction that the landlord keeps communal areas clean and well maintained'),
  perception('tp11', 'TP11', 'Satisfaction that the landlord makes a positive contribution to neighbourhoods'),
  perception('tp12', 'TP12', 'Satisfaction with the landlord\'s approach to handling anti-social behaviour'),
];

const definition = (key: string): MeasureDefinition => {
  const m = MEASURES.find((d) => d.key === key);
  if (!m) throw new Error(`no measure ${key}`);
  return m;
};
/** A proportion or a rate per 1,000 homes: numerator and denominator. */
function counted(key: string) {
  const m = definition(key);
  const how = m.kind === 'rate' ? 'per 1,000 homes = numerator / denominator × 1,000' : 'proportion = numerator / denominator';
  return Type.Optional(Type.Object({
    numerator: count(m.numerator),
    denominator: Type.Integer({ minimum: 1, maximum: MAX_COUNT, description: m.denominator }),
  }, { ...strict, description: `${m.code}: ${m.title} (${how})` }));
}
/** A tenant perception measure: respondents satisfied, of those who answered. */
function perceived(key: string) {
  const m = definition(key);
  return Type.Optional(Type.Object({ satisfied: count(m.numerator), responses: count(m.denominator) },
    { ...strict, description: `${m.code}: ${m.title} (satisfied of responses)` }));
}

export const DampAndMouldSchema = Type.Object({
  openCases: count('Damp and mould hazard cases open at the end of the period'),
  clocksMet: count("Awaab's Law deadlines (investigate, written summary, make safe, start and complete further works) that fell due in the period and were met"),
  clocksMissed: count("Awaab's Law deadlines that fell due in the period and were missed"),
}, { ...strict, description: "Damp and mould hazards and Awaab's Law (Hazards in Social Housing Regulations, in force 27 October 2025)" });

export const SurveySchema = Type.Object({
  method: codes(SURVEY_METHODS, 'How the tenant perception survey was carried out'),
  sampleSize: count('Completed surveys (respondents)'),
  population: count('Homes (relevant tenancies) in the tenure group that the survey sampled from: for the precision at 95% confidence'),
  fieldworkFrom: dateField('First day of fieldwork'),
  fieldworkTo: dateField('Last day of fieldwork'),
}, { ...strict, description: 'The tenant perception survey behind TP01–TP12 (required when any of them is given)' });

export const PeriodSchema = Type.Object({
  from: dateField('First day of the period'),
  to: dateField('Last day of the period'),
}, { ...strict, description: 'The period the measures cover (a TSM year is 1 April to 31 March; a hub also takes months and quarters)' });

export const MeasuresSchema = Type.Object({
  type: Type.Literal('measures', { description: 'Record type: measures of one landlord for one period and tenure group' }),
  landlord: registration('Regulator of Social Housing registration number of the landlord the measures are about'),
  period: PeriodSchema,
  tenureGroup: codes(TENURE_GROUPS, 'TSM tenure group the measures cover (reported apart)'),
  dampAndMould: Type.Optional(DampAndMouldSchema),
  rp01: counted('rp01'), rp02_1: counted('rp02_1'), rp02_2: counted('rp02_2'),
  nm01_1: counted('nm01_1'), nm01_2: counted('nm01_2'),
  bs01: counted('bs01'), bs02: counted('bs02'), bs03: counted('bs03'), bs04: counted('bs04'), bs05: counted('bs05'),
  ch01_1: counted('ch01_1'), ch01_2: counted('ch01_2'), ch02_1: counted('ch02_1'), ch02_2: counted('ch02_2'),
  tp01: perceived('tp01'), tp02: perceived('tp02'), tp03: perceived('tp03'), tp04: perceived('tp04'), tp05: perceived('tp05'), tp06: perceived('tp06'),
  tp07: perceived('tp07'), tp08: perceived('tp08'), tp09: perceived('tp09'), tp10: perceived('tp10'), tp11: perceived('tp11'), tp12: perceived('tp12'),
  survey: Type.Optional(SurveySchema),
}, { ...strict, description: 'Measures of one landlord for one period and tenure group, each as counts (every measure optional: a landlord publishes what it has)' });

// ---- deletion -------------------------------------------------------------------------------------------------

const deletionFields = {
  type: Type.Literal('deletion', { description: 'Record type: something published before is withdrawn' }),
  kind: Type.Literal('home', { description: 'What is withdrawn: a home' }),
  landlordReference: Type.Optional(reference("The landlord's reference of the home withdrawn")),
  uprn: Type.Optional(uprn),
  deleted: Type.Literal(true, { description: 'Always true: the record is deleted' }),
};
const deletionDescription = "A home withdrawn (in a change feed): sold, demolished or no longer the landlord's; identified by landlordReference or uprn";
/** The deletion's fields without its "one of the two identifiers" rule, which the validator states in words. */
export const DeletionFieldsSchema = Type.Object(deletionFields, { ...strict, description: deletionDescription });
export const DeletionSchema = Type.Object(deletionFields, {
  ...strict, description: deletionDescription, anyOf: [{ required: ['landlordReference'] }, { required: ['uprn'] }],
});

// ---- records and batches --------------------------------------------------------------------------------------

export const RECORD_TYPES = ['home', 'measures', 'deletion'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];
export const RECORD_SCHEMAS = { home: HomeSchema, measures: MeasuresSchema, deletion: DeletionSchema } as const;

const recordDescription = 'One record, told apart by its type';
export const RecordSchema = Type.Union([HomeSchema, MeasuresSchema, DeletionSchema], { description: recordDescription });
export const RECORDS_DESCRIPTION = `The records, applied in order (at most ${MAX_BATCH_RECORDS.toLocaleString('en-GB')})`;

export const BatchSchema = Type.Object({
  standard: Type.Literal(STANDARD_VERSION, { description: 'Version of the standard the records follow' }),
  publisher: registration('Regulator of Social Housing registration number of the landlord publishing the batch'),
  records: Type.Array(RecordSchema, { maxItems: MAX_BATCH_RECORDS, description: RECORDS_DESCRIPTION }),
}, { ...strict, description: 'A batch of records pushed to a hub' });

export type HomeRecord = Static<typeof HomeSchema>;
export type BlockRecord = Static<typeof BlockSchema>;
export type MeasuresRecord = Static<typeof MeasuresSchema>;
export type DeletionRecord = Static<typeof DeletionSchema>;
export type StandardRecord = HomeRecord | MeasuresRecord | DeletionRecord;
export type StandardBatch = Static<typeof BatchSchema>;
/** Counts of one measure, whichever its kind. */
export interface MeasureCounts { numerator?: number; denominator?: number; satisfied?: number; responses?: number }

const plain = (schema: TSchema): Record<string, unknown> => JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;

/**
 * The standard as one JSON Schema document (draft 2020-12): the batch, whose records refer to the three record
 * schemas in $defs, so a single record can be checked against `#/$defs/home` (or measures, deletion) alone.
 */
export function standardJsonSchema(): Record<string, unknown> {
  const batch = plain(BatchSchema);
  const properties = batch.properties as Record<string, Record<string, unknown>>;
  const refs = { anyOf: RECORD_TYPES.map((t) => ({ $ref: `#/$defs/${t}` })), description: recordDescription };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: STANDARD_ID,
    title: `${STANDARD_NAME} ${STANDARD_VERSION}`,
    ...batch,
    properties: { ...properties, records: { ...properties.records, items: refs } },
    $defs: Object.fromEntries(RECORD_TYPES.map((t) => [t, plain(RECORD_SCHEMAS[t])])),
  };
}

/** Where the published document lives in the repository, and its text (pretty, ending in a newline). */
export const STANDARD_SCHEMA_FILE = `docs/standard/hhds-${STANDARD_VERSION}.schema.json`;
export const standardJsonSchemaText = () => `${JSON.stringify(standardJsonSchema(), null, 2)}\n`;
