// Mapping a file's columns onto Hearth's fields: the target fields of each kind of record (as data, with labels and
// the names legacy systems give them), a suggested mapping from a file's headers, and saved mapping profiles.
// Pure: no database, no files.
import { DATE_FORMATS, type DateFormat } from './normalise.ts';
import { uniqueHeaders } from './read.ts';
import { checkFilter, type RowFilter } from './layout.ts';

export type RecordKind = 'homes' | 'people' | 'tenancies' | 'alerts' | 'repairs' | 'notes';
export const RECORD_KINDS: readonly RecordKind[] = ['homes', 'people', 'tenancies', 'alerts', 'repairs', 'notes'];

/** How a field's values are normalised (see normalise.ts); 'text' and 'code' are kept as written, trimmed. */
export type FieldType = 'text' | 'code' | 'uprn' | 'postcode' | 'name' | 'date' | 'phone' | 'email' | 'integer' | 'number' | 'date-part';

export interface TargetField {
  field: string;
  label: string;
  type: FieldType;
  /** Header names legacy systems use for it, in any case and punctuation ("POST_CODE" matches "post code"). */
  synonyms: readonly string[];
  /** Points towards this kind of record when detecting what a file holds. */
  distinctive?: boolean;
}

export interface KindDefinition {
  kind: RecordKind;
  label: string;
  fields: readonly TargetField[];
  /** Each group needs at least one of its fields mapped, or the file cannot be loaded. */
  required: readonly (readonly string[])[];
  /** Missing these is allowed, but reported: the records will be incomplete. */
  recommended: readonly string[];
}

const f = (field: string, label: string, type: FieldType, synonyms: string[], distinctive = false): TargetField =>
  distinctive ? { field, label, type, synonyms, distinctive } : { field, label, type, synonyms };

// Shared groups of fields -------------------------------------------------------------------------------------------

const UPRN = f('uprn', 'UPRN', 'uprn', ['unique property reference number', 'uprn number', 'uprn no', 'os uprn', 'property uprn', 'blpu uprn', 'national uprn']);
const HOME_REFERENCE = f('homeReference', 'Property reference', 'code', ['prop ref', 'property ref', 'property reference', 'property id', 'prop id',
  'property code', 'prop code', 'home ref', 'home reference', 'home id', 'dwelling ref', 'dwelling id', 'unit ref', 'unit id', 'asset ref',
  'asset id', 'asset reference', 'place ref', 'place reference', 'location ref',
  // Seen in real exports: CORE lettings logs (propcode), Universal Housing (prop_ref), Orchard (prinx), asset systems.
  'prinx', 'propcode', 'prop no', 'property no', 'property number', 'prop number', 'property key', 'asset no', 'asset number', 'asset code',
  'unit code', 'unit reference', 'dwelling code', 'dwelling reference', 'place code', 'location code', 'property ref no', 'property ref number']);
const ADDRESS: TargetField[] = [
  f('subBuilding', 'Flat or unit (SAON)', 'text', ['sub building', 'sub building name', 'flat', 'flat number', 'flat no', 'flat name', 'unit',
    'apartment', 'saon', 'secondary addressable object', 'secondary addressable object name']),
  f('buildingName', 'Building name', 'text', ['building name', 'house name', 'building', 'property name', 'paon name']),
  f('buildingNumber', 'Building number', 'text', ['building number', 'building no', 'house number', 'house no', 'house num', 'door number', 'door no',
    'street number', 'street no', 'number', 'no', 'paon', 'primary addressable object', 'primary addressable object name']),
  f('street', 'Street', 'text', ['street', 'street name', 'road', 'road name', 'thoroughfare', 'street description']),
  f('locality', 'Locality', 'text', ['locality', 'district', 'area', 'dependent locality', 'neighbourhood', 'village', 'suburb']),
  f('town', 'Town', 'text', ['town', 'city', 'post town', 'town city', 'town or city']),
  f('postcode', 'Postcode', 'postcode', ['post code', 'pcode', 'p code', 'postal code', 'zip', 'zip code', 'zipcode', 'pc', 'postcode full',
    'full postcode', 'postcode full', 'post code full', 'postcode1', 'address postcode', 'postcode text']),
  // Address lines as legacy systems export them: parsed into the parts above (homes/address-lines.ts) and kept as written.
  f('addressLine1', 'Address line 1 (kept as written)', 'text', ['address 1', 'address line 1', 'addr 1', 'add 1', 'adr 1', 'line 1', 'address line one',
    'addr line 1', 'add line 1', 'address l1', 'address one', 'first line of address', 'address first line', 'first line', 'street address',
    'house and street', 'address line1', 'address lines 1']),
  f('addressLine2', 'Address line 2 (kept as written)', 'text', ['address 2', 'address line 2', 'addr 2', 'add 2', 'adr 2', 'line 2', 'address line two',
    'addr line 2', 'add line 2', 'address l2', 'address two', 'second line of address', 'address second line', 'second line', 'address lines 2']),
  f('addressLine3', 'Address line 3 (kept as written)', 'text', ['address 3', 'address line 3', 'addr 3', 'add 3', 'adr 3', 'line 3', 'address line three',
    'addr line 3', 'add line 3', 'address l3', 'address three', 'third line of address', 'address third line', 'third line', 'address lines 3']),
  f('addressLine4', 'Address line 4 (kept as written)', 'text', ['address 4', 'address line 4', 'addr 4', 'add 4', 'adr 4', 'line 4', 'address line four',
    'addr line 4', 'add line 4', 'address l4', 'address four', 'fourth line of address', 'address fourth line', 'fourth line', 'address lines 4']),
  f('addressLine5', 'Address line 5 (kept as written)', 'text', ['address 5', 'address line 5', 'addr 5', 'add 5', 'adr 5', 'line 5', 'address line five',
    'addr line 5', 'add line 5', 'address l5', 'address five', 'address lines 5']),
  f('address', 'Address in one field (kept as written)', 'text', ['address', 'full address', 'single line address', 'address single line',
    'address text', 'postal address', 'addr', 'site address', 'whole address', 'full postal address', 'address string', 'formatted address']),
];
const PERSON_SOURCE_ID = f('personSourceId', 'Person reference', 'code', ['person ref', 'person reference', 'person id', 'person no', 'person number',
  'customer ref', 'customer reference', 'customer id', 'customer no', 'customer number', 'client ref', 'client id', 'contact ref', 'contact id',
  'tenant ref', 'tenant reference', 'tenant id', 'tenant no', 'tenant number', 'party ref', 'party id', 'resident ref', 'resident id', 'member ref',
  'member id', 'occupant ref', 'occupant id', 'person key', 'customer key', 'party no', 'party number', 'client no', 'client number', 'person code']);

// The kinds of record ------------------------------------------------------------------------------------------------

export const KINDS: Readonly<Record<RecordKind, KindDefinition>> = {
  homes: {
    kind: 'homes', label: 'Homes',
    fields: [
      UPRN,
      f('reference', 'Property reference', 'code', [...HOME_REFERENCE.synonyms, 'ref', 'reference', 'id']),
      ...ADDRESS,
      f('propertyType', 'Property type', 'code', ['property type', 'prop type', 'type', 'dwelling type', 'home type', 'unit type', 'asset type',
        'accommodation type', 'building type', 'archetype', 'unittype', 'unittype gn', 'unit type gn', 'property type code', 'prop type code',
        'dwelling type code', 'property class', 'property category', 'property type description'], true),
      f('bedrooms', 'Bedrooms', 'integer', ['beds', 'bed', 'bedroom', 'no of bedrooms', 'number of bedrooms', 'num bedrooms', 'bedroom count',
        'num beds', 'no of beds', 'bed size', 'bedroom size'], true),
      f('floor', 'Floor', 'integer', ['floor', 'floor level', 'floor number', 'floor no', 'level', 'storey'], true),
      f('blockName', 'Block', 'text', ['block', 'block name', 'building block', 'block description'], true),
      // Buildings are told apart by the landlord's block reference where the file has one: many share a name.
      f('blockReference', 'Block reference', 'code', ['block ref', 'block reference', 'block code', 'block id', 'blockcode', 'block no', 'block number',
        'building ref', 'building reference', 'building code', 'building id'], true),
      f('estateName', 'Estate', 'text', ['estate', 'estate name', 'scheme', 'scheme name', 'development', 'development name', 'patch'], true),
      f('estateReference', 'Estate reference', 'code', ['estate ref', 'estate reference', 'estate code', 'estate id', 'estate no', 'scheme ref',
        'scheme code', 'scheme id', 'development code'], true),
      f('residentialUnits', 'Residential units in the building', 'integer', ['residential units', 'no of residential units', 'number of residential units',
        'units in block', 'no of units', 'number of units', 'dwellings in block', 'number of dwellings', 'no of dwellings', 'block units'], true),
      f('storeys', 'Storeys in the building', 'integer', ['stories', 'number of storeys', 'no of storeys', 'num storeys', 'floors', 'number of floors',
        'no of floors', 'block storeys', 'storey count', 'floors in block'], true),
      f('heightMetres', 'Building height (metres)', 'number', ['height', 'height m', 'height metres', 'height in metres', 'building height',
        'block height', 'height meters'], true),
      f('yearBuilt', 'Year built', 'integer', ['year built', 'build year', 'built', 'year of construction', 'construction year', 'year constructed',
        'date built', 'build date', 'construction date'], true),
    ],
    // A stock list may know its homes by UPRN alone: then the UPRN identifies each home (homes/import.ts).
    required: [['reference', 'uprn'], ['uprn', 'postcode', 'addressLine1', 'address', 'street', 'buildingName', 'buildingNumber']],
    recommended: ['uprn', 'postcode', 'propertyType'],
  },
  people: {
    kind: 'people', label: 'People',
    fields: [
      f('sourceId', 'Person reference', 'code', [...PERSON_SOURCE_ID.synonyms, 'ref', 'reference', 'id']),
      f('title', 'Title', 'code', ['salutation', 'prefix', 'honorific'], true),
      f('givenName', 'Given name', 'name', ['forename', 'forenames', 'first name', 'first names', 'firstname', 'fname', 'christian name'], true),
      f('middleNames', 'Middle names', 'name', ['middle name', 'middle names', 'other names', 'other forenames', 'middle initial', 'initials'], true),
      f('familyName', 'Family name', 'name', ['surname', 'last name', 'lastname', 'lname', 'sname', 'family name'], true),
      f('preferredName', 'Preferred name', 'name', ['known as', 'nickname', 'aka', 'preferred first name'], true),
      // The whole name in one column, as repairs and ASB systems export contacts: split on loading (people/names.ts), kept as recorded.
      f('fullName', 'Full name (split into title, given, middle and family names)', 'text', ['full name', 'full names', 'name', 'names',
        'tenant name', 'tenant full name', 'lead tenant name', 'name of tenant', 'tenant', 'contact name', 'customer name', 'customer', 'client',
        'client name', 'resident', 'resident name', 'person name', 'occupant name', 'occupier name', 'householder name', 'complainant',
        'complainant name', 'caller name', 'reporter name', 'display name', 'surname forename', 'surname and forename', 'surname forenames',
        'forename surname', 'forename and surname', 'first name and surname', 'title forename surname'], true),
      f('dateOfBirth', 'Date of birth', 'date', ['dob', 'd o b', 'birth date', 'birthdate', 'born', 'date born'], true),
      f('phone', 'Phone', 'phone', ['tel', 'tel no', 'telephone', 'telephone number', 'phone number', 'phone no', 'home phone', 'home tel',
        'home telephone', 'landline', 'contact number', 'contact no', 'contact tel', 'contact phone', 'mobile', 'mobile number', 'mob']),
      f('mobilePhone', 'Mobile phone', 'phone', ['mobile', 'mobile number', 'mobile no', 'mobile tel', 'mob', 'mob no', 'cell', 'cell phone']),
      f('workPhone', 'Work phone', 'phone', ['work phone', 'work tel', 'work telephone', 'work number', 'daytime phone', 'business phone']),
      f('email', 'Email', 'email', ['e mail', 'email address', 'e mail address', 'mail', 'email addr']),
      HOME_REFERENCE,
      UPRN,
      ...ADDRESS,
    ],
    // A full name stands for both: it is split on loading.
    required: [['sourceId'], ['givenName', 'fullName'], ['familyName', 'fullName']],
    recommended: ['dateOfBirth'],
  },
  tenancies: {
    kind: 'tenancies', label: 'Tenancies',
    fields: [
      f('reference', 'Tenancy reference', 'code', ['tenancy ref', 'tenancy reference', 'tenancy id', 'tenancy no', 'tenancy number', 'agreement ref',
        'agreement id', 'agreement number', 'rent account', 'rent account number', 'rent account no', 'account ref', 'account number', 'account no',
        'ref', 'reference', 'id',
        // CORE lettings logs (tenancycode), Universal Housing (tag_ref), Hackney's tenancy API (tenancyAgreementReference).
        'tenancycode', 'tenancy code', 'tenant code', 'tag ref', 'tag reference', 'tenancy agreement ref', 'tenancy agreement reference',
        'agreement reference', 'payment reference', 'rent ref', 'rent reference', 'rent account ref', 'rent account reference']),
      f('tenancyType', 'Tenancy type', 'code', ['tenancy type', 'agreement type', 'tenancy kind', 'type of tenancy', 'tenancy',
        'tenancy type code', 'tenancy type description', 'type of tenancy agreement', 'tenure code', 'tenancy agreement type'], true),
      f('tenure', 'Tenure', 'code', ['tenure type', 'rent type', 'rent product', 'product', 'tenure description'], true),
      f('startDate', 'Start date', 'date', ['tenancy start date', 'tenancy start', 'start', 'commencement date', 'commencement', 'date started',
        'start dt', 'from date', 'from', 'begin date', 'tenancy from'], true),
      f('endDate', 'End date', 'date', ['tenancy end date', 'tenancy end', 'end', 'termination date', 'terminated', 'date ended', 'end dt', 'to date',
        'to', 'tenancy to', 'vacated date', 'date vacated'], true),
      HOME_REFERENCE,
      UPRN,
      PERSON_SOURCE_ID,
      f('memberRole', 'Member role', 'code', ['role', 'member role', 'tenant role', 'party role', 'tenant type', 'member type', 'joint or sole']),
      f('relationship', 'Relationship', 'code', ['relationship', 'relationship to lead', 'relationship to tenant', 'relationship to main tenant', 'relation']),
      f('memberStartDate', 'Member start date', 'date', ['member start date', 'member from', 'joined', 'date joined', 'occupant start date', 'moved in']),
      f('memberEndDate', 'Member end date', 'date', ['member end date', 'member to', 'left', 'date left', 'occupant end date', 'moved out']),
    ],
    required: [['reference'], ['homeReference', 'uprn'], ['startDate']],
    recommended: ['tenancyType', 'tenure', 'personSourceId'],
  },
  alerts: {
    kind: 'alerts', label: 'Person alerts',
    fields: [
      f('sourceId', 'Alert reference', 'code', ['alert ref', 'alert id', 'alert reference', 'warning ref', 'warning id', 'flag ref', 'flag id', 'ref',
        'reference', 'id']),
      PERSON_SOURCE_ID,
      f('hactCode', 'HACT alert code', 'code', ['hact code', 'hact alert code', 'alert code', 'alert type code', 'warning code', 'flag code', 'code'], true),
      f('alertType', 'Alert type (as written)', 'text', ['alert type', 'alert', 'alert name', 'warning type', 'warning', 'flag type', 'flag'], true),
      f('category', 'Category', 'code', ['alert category', 'ukhds category', 'category code'], true),
      f('description', 'Description', 'text', ['alert description', 'details', 'detail', 'notes', 'comments', 'alert text', 'warning text', 'reason',
        'alert details']),
      f('confidentiality', 'Confidentiality', 'code', ['sensitivity', 'security level', 'confidential', 'restricted', 'access level'], true),
      f('startDate', 'Start date', 'date', ['start', 'alert start', 'alert start date', 'date raised', 'raised', 'date added', 'created', 'effective from',
        'from', 'from date']),
      f('reviewDate', 'Review date', 'date', ['review', 'next review', 'next review date', 'date to review', 'review by'], true),
      f('endDate', 'End date', 'date', ['end', 'alert end date', 'expiry date', 'expiry', 'expires', 'date removed', 'removed', 'to', 'to date']),
      f('recordedBy', 'Recorded by', 'text', ['raised by', 'added by', 'created by', 'author', 'user', 'officer', 'entered by']),
    ],
    required: [['personSourceId'], ['hactCode', 'alertType']],
    recommended: ['startDate', 'recordedBy'],
  },
  repairs: {
    kind: 'repairs', label: 'Repair history',
    fields: [
      f('jobReference', 'Job reference', 'code', ['job ref', 'job reference', 'job number', 'job no', 'job id', 'job', 'work order', 'work order no',
        'work order number', 'work order ref', 'works order', 'works order no', 'works order number', 'wo number', 'wo no', 'order number', 'order no',
        'order ref', 'repair ref', 'repair reference', 'repair id', 'repair number', 'repair no', 'ref', 'reference', 'id',
        // Hackney's repairs hub and its migration sheets (Work_Order_Reference, workOrderReference), other repairs systems.
        'work order reference', 'works order reference', 'works order ref', 'wo ref', 'wo reference', 'job code', 'order reference',
        'request reference', 'repair request reference', 'repair request id', 'job ref no', 'job card', 'job card number', 'task reference'], true),
      HOME_REFERENCE,
      UPRN,
      f('reportedDate', 'Reported date', 'date', ['date reported', 'reported', 'reported on', 'date raised', 'raised date', 'raised', 'date logged',
        'logged date', 'logged', 'created date', 'date created', 'order date', 'request date', 'date requested', 'raised on', 'logged on',
        'date of report', 'job raised date', 'date job raised', 'reported date'], true),
      f('priority', 'Priority', 'code', ['priority code', 'job priority', 'urgency', 'priority description', 'response', 'response time'], true),
      f('status', 'Status', 'code', ['job status', 'state', 'work order status', 'current status', 'repair status']),
      f('description', 'Description (every word kept)', 'text', ['job description', 'repair description', 'work description', 'details', 'problem',
        'fault', 'fault description', 'notes', 'job notes', 'comments', 'narrative', 'text', 'defect', 'desc', 'works description', 'issue',
        'clean description', 'repair details', 'job details', 'work required', 'works required', 'description of works', 'description of work',
        'problem description', 'fault details', 'short description', 'long description', 'job text', 'order description']),
      f('completedDate', 'Completed date', 'date', ['date completed', 'completed', 'completion date', 'actual completion date', 'completed on',
        'closed date', 'date closed', 'closed', 'finished', 'date finished'], true),
      f('targetDate', 'Target date', 'date', ['target', 'target completion date', 'due date', 'date due', 'due', 'target date'], true),
      f('sorCode', 'Schedule of rates code', 'code', ['sor', 'sor code', 'schedule of rates', 'schedule of rates code', 'nhf sor'], true),
      f('trade', 'Trade', 'code', ['trade code', 'trade description'], true),
      f('location', 'Location in the home', 'text', ['location of repair', 'room', 'repair location']),
      // A job may name its home only by its address (lines or parts), matched within the postcode (homes/import.ts matchHomes).
      ...ADDRESS,
    ],
    required: [['jobReference'], ['homeReference', 'uprn', 'postcode', 'addressLine1', 'address']],
    recommended: ['reportedDate', 'description'],
  },
  notes: {
    kind: 'notes', label: 'Notes',
    fields: [
      f('sourceId', 'Note reference', 'code', ['note ref', 'note id', 'note reference', 'note number', 'note no', 'ref', 'reference', 'id',
        // Complaints, ASB cases and contact logs loaded as notes.
        'complaint ref', 'complaint reference', 'complaint id', 'complaint number', 'complaint no', 'case ref', 'case reference', 'case id',
        'case number', 'case no', 'incident ref', 'incident reference', 'incident id', 'incident number', 'contact log id', 'interaction id',
        'activity id', 'comment id', 'event id']),
      f('subjectKind', 'What the note is about (person, home or tenancy)', 'code', ['subject type', 'subject kind', 'entity type', 'record type',
        'linked to', 'about', 'attached to'], true),
      f('subjectReference', 'Reference of what the note is about', 'code', ['subject ref', 'subject reference', 'subject id', 'entity ref', 'entity id',
        'record ref', 'record id', 'linked ref', 'linked id']),
      PERSON_SOURCE_ID,
      HOME_REFERENCE,
      f('tenancyReference', 'Tenancy reference', 'code', ['tenancy ref', 'tenancy reference', 'tenancy id', 'tenancy no', 'rent account', 'account ref',
        'tenancy', 'tenancycode', 'tenancy code', 'tag ref', 'tenancy agreement ref', 'tenancy agreement reference']),
      UPRN,
      f('date', 'Date', 'date', ['note date', 'created', 'created date', 'date created', 'created on', 'entered', 'date entered', 'logged', 'timestamp',
        'decision date', 'date of decision', 'complaint date', 'date of complaint', 'date received', 'received date', 'received', 'incident date',
        'date of incident', 'date opened', 'opened date', 'case opened', 'report date', 'date reported', 'contact date', 'date of contact',
        'event date', 'activity date'], true),
      f('author', 'Author', 'text', ['created by', 'entered by', 'written by', 'user', 'officer', 'staff', 'by', 'username'], true),
      f('noteType', 'Note type', 'code', ['note type', 'category', 'note category', 'type', 'complaint type', 'complaint category', 'case type',
        'case category', 'incident type', 'incident category', 'asb category', 'asb type', 'contact type', 'contact reason', 'activity type'], true),
      f('text', 'Text (every word kept)', 'text', ['note', 'notes', 'note text', 'comment', 'comments', 'narrative', 'body', 'details', 'content',
        'description', 'memo', 'free text', 'complaint description', 'complaint details', 'complaint summary', 'case description', 'case details',
        'case summary', 'incident description', 'incident details', 'summary', 'job description', 'outcome', 'decision', 'findings',
        'contact notes', 'note details', 'activity notes'], true),
      // A note may name its home only by its address (lines or parts), matched within the postcode (homes/import.ts matchHomes).
      ...ADDRESS,
    ],
    required: [['text'], ['subjectReference', 'personSourceId', 'homeReference', 'tenancyReference', 'uprn', 'postcode', 'addressLine1', 'address']],
    recommended: ['date', 'author'],
  },
};

// Day, month and year columns: every date field can also be mapped from three columns, combined into one date
// ("DOB Day" → "dateOfBirth.day", "Month of birth" → "dateOfBirth.month", "DOB_YYYY" → "dateOfBirth.year").
export const DATE_PARTS = ['day', 'month', 'year'] as const;
export type DatePart = typeof DATE_PARTS[number];
const PART_WORDS: Record<DatePart, string[]> = { day: ['day', 'dd'], month: ['month', 'mm', 'mon'], year: ['year', 'yyyy', 'yr'] };

function datePartFields(t: TargetField): TargetField[] {
  const names = [t.label, ...t.synonyms].map(normaliseHeader).filter((name) => name.length >= 3);
  return DATE_PARTS.map((part) => {
    const synonyms = new Set<string>();
    for (const name of names) {
      for (const word of PART_WORDS[part]) {
        if (/\bdate\b/.test(name)) synonyms.add(name.replace(/\bdate\b/, word)); // "date of birth" → "day of birth", "birth date" → "birth day"
        else synonyms.add(`${name} ${word}`); // "dob" → "dob day"
        if (/\bdate\b/.test(name)) synonyms.add(`${name} ${word}`); // "date of birth day"
      }
    }
    return { field: `${t.field}.${part}`, label: `${t.label}: ${part}`, type: 'date-part' as const, synonyms: [...synonyms] };
  });
}
for (const def of Object.values(KINDS)) def.fields = [...def.fields, ...def.fields.filter((t) => t.type === 'date').flatMap(datePartFields)];

/** For a date part field ("dateOfBirth.day"): the date field and the part; otherwise null. */
export function datePartOf(field: string): { field: string; part: DatePart } | null {
  const m = /^(.+)\.(day|month|year)$/.exec(field);
  return m ? { field: m[1]!, part: m[2] as DatePart } : null;
}

export function isRecordKind(value: unknown): value is RecordKind {
  return typeof value === 'string' && (RECORD_KINDS as readonly string[]).includes(value);
}

/** The kind's field with this name, or undefined (safe for names like "__proto__"). */
export function targetField(kind: RecordKind, field: string): TargetField | undefined {
  return KINDS[kind].fields.find((t) => t.field === field);
}

// Header normalisation --------------------------------------------------------------------------------------------

/** A header as lower-case words: "PostCode" / "POST_CODE" / "Post-Code " → "post code"; "Height (m)" → "height m". */
export function normaliseHeader(header: string): string {
  let h = header.normalize('NFKC').normalize('NFD').replace(/\p{M}/gu, '');
  if (/\p{Ll}/u.test(h)) h = h.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2'); // camelCase, unless the whole header is capitals
  return h.toLowerCase().replace(/&/g, ' and ').replace(/#/g, ' no ').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
const compact = (words: string) => words.replace(/ /g, '');

/**
 * A unique key per column, as a mapping profile names them: exactly the header names the file reader gives rows
 * (read.ts uniqueHeaders), so a profile, a suggestion and a row agree. A repeated header gets " (2)", " (3)" (the
 * second "Notes" column is "Notes (2)"; repeats are found ignoring case); an empty header is "Column 5" (1-based).
 */
export function columnKeys(headers: readonly string[]): string[] {
  return uniqueHeaders(headers.map((h) => (typeof h === 'string' ? h : '')));
}

// Suggesting a mapping -------------------------------------------------------------------------------------------

export type MatchKind = 'exact' | 'synonym' | 'fuzzy';
export interface Candidate {
  field: string;
  confidence: number;
  match: MatchKind;
  reason: string;
}
export interface ColumnSuggestion {
  /** 0-based column position. */
  index: number;
  header: string;
  /** The key a mapping profile uses for this column (see columnKeys). */
  key: string;
  /** The suggested field, or null: leave the column out. */
  field: string | null;
  confidence: number;
  match: MatchKind | null;
  /** Why, in plain English. */
  reason: string;
  /** Other fields the column could be, best first (up to 3). */
  candidates: Candidate[];
}

// Words that say whose or which record a column belongs to, not what it is: "Tenant Surname", "Property Postcode".
const NOISE_WORDS = new Set(['tenant', 'tenants', 'customer', 'customers', 'client', 'person', 'persons', 'resident', 'contact', 'main', 'lead',
  'primary', 'current', 'property', 'prop', 'home', 'dwelling', 'unit', 'asset', 'repair', 'job', 'tenancy', 'alert', 'note', 'the', 'of', 'for', 's']);
// What a header must not shrink to once noise is dropped: too general to say which field ("Lead Tenant Ref" is not the tenancy's reference).
const GENERIC = new Set(['ref', 'reference', 'id', 'no', 'number', 'code', 'type', 'date', 'name', 'key', '']);

interface Entry { field: string; match: 'exact' | 'synonym'; order: number; written: string }

const indexes = new Map<RecordKind, { byCompact: Map<string, Entry[]>; fuzzy: { compact: string; entry: Entry }[] }>();
function indexFor(kind: RecordKind) {
  let index = indexes.get(kind);
  if (index) return index;
  const byCompact = new Map<string, Entry[]>();
  const fuzzy: { compact: string; entry: Entry }[] = [];
  KINDS[kind].fields.forEach((t, order) => {
    const names: [string, 'exact' | 'synonym'][] = [[t.field, 'exact'], [t.label, 'exact'], ...t.synonyms.map((s) => [s, 'synonym'] as [string, 'synonym'])];
    for (const [written, match] of names) {
      const c = compact(normaliseHeader(written));
      if (!c) continue;
      const list = byCompact.get(c) ?? [];
      if (!list.some((e) => e.field === t.field)) {
        const entry = { field: t.field, match, order, written };
        list.push(entry);
        fuzzy.push({ compact: c, entry });
      }
      byCompact.set(c, list);
    }
  });
  index = { byCompact, fuzzy };
  indexes.set(kind, index);
  return index;
}

/** Optimal string alignment distance (Levenshtein plus swapped neighbours: "Postocde" is 1 from "postcode"). */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

const label = (kind: RecordKind, field: string) => targetField(kind, field)?.label ?? field;
const q = (s: string) => `"${s.length > 60 ? s.slice(0, 57) + '…' : s}"`;
const digitsOf = (s: string) => s.replace(/\D/g, '');

/** Every field a header could be, best first. */
function candidatesFor(kind: RecordKind, header: string): (Candidate & { order: number })[] {
  const words = normaliseHeader(header);
  const c = compact(words);
  if (!c) return [];
  const { byCompact, fuzzy } = indexFor(kind);
  const out = new Map<string, Candidate & { order: number }>();
  const add = (cand: Candidate & { order: number }) => {
    const had = out.get(cand.field);
    if (!had || had.confidence < cand.confidence) out.set(cand.field, cand);
  };
  for (const e of byCompact.get(c) ?? []) {
    add(e.match === 'exact'
      ? { field: e.field, confidence: 1, match: 'exact', order: e.order, reason: `${q(header)} is the name of ${label(kind, e.field)}` }
      : { field: e.field, confidence: 0.95, match: 'synonym', order: e.order, reason: `${q(header)} is a usual name for ${label(kind, e.field)}` });
  }
  if (out.size === 0) {
    const kept = words.split(' ').filter((w) => !NOISE_WORDS.has(w));
    const dropped = words.split(' ').filter((w) => NOISE_WORDS.has(w));
    const rest = kept.join('');
    if (dropped.length && !GENERIC.has(rest)) {
      for (const e of byCompact.get(rest) ?? []) {
        add({ field: e.field, confidence: 0.85, match: 'synonym', order: e.order,
          reason: `${q(header)} reads as ${q(kept.join(' '))} (ignoring ${dropped.map((w) => q(w)).join(', ')}), a usual name for ${label(kind, e.field)}` });
      }
    }
  }
  if (out.size === 0 && c.length >= 5 && c.length <= 64) {
    for (const { compact: name, entry } of fuzzy) {
      if (name.length < 4 || digitsOf(name) !== digitsOf(c)) continue; // "Address 5" is not "Address 4"
      const d = editDistance(c, name, 2);
      if (d > 2) continue;
      const similarity = 1 - d / Math.max(c.length, name.length);
      if (similarity < 0.8) continue;
      add({ field: entry.field, confidence: Math.round(similarity * 0.9 * 100) / 100, match: 'fuzzy', order: entry.order,
        reason: `${q(header)} is close to ${q(entry.written)} (${d} letter${d === 1 ? '' : 's'} different), a name for ${label(kind, entry.field)}; check it` });
    }
  }
  return [...out.values()].sort((a, b) => b.confidence - a.confidence || a.order - b.order);
}

/**
 * Suggest which field each column holds. No two columns get the same field: the closer match wins (on a tie, the
 * column with fewer other choices, then the column further left), and the other column takes its next candidate or
 * is left unmapped with the reason.
 */
export function suggestMapping(kind: RecordKind, headers: readonly string[], rows?: readonly Record<string, string>[]): ColumnSuggestion[] {
  const keys = columnKeys(headers);
  const all = headers.map((h) => candidatesFor(kind, typeof h === 'string' ? h : ''));
  const generic = headers.map((h) => GENERIC.has(compact(normaliseHeader(typeof h === 'string' ? h : ''))));
  const quality = valueQuality(kind, keys, rows);
  const pairs = all.flatMap((cands, index) => cands.map((c) => ({ index, c })))
    // Equal matches are told apart by meaning: values that fill the column (and, for the record's own reference, are
    // all different) before blanks and repeats, then a header that says what it is ("propcode") before a bare "id",
    // then the column with fewer other choices ("Tel" before "Mobile", which can also be the mobile phone), and only
    // then the column further left.
    .sort((a, b) => b.c.confidence - a.c.confidence || quality(b.index, b.c.field) - quality(a.index, a.c.field)
      || Number(generic[a.index]) - Number(generic[b.index])
      || all[a.index]!.length - all[b.index]!.length || a.index - b.index || a.c.order - b.c.order);
  const chosen = new Map<number, Candidate>();
  const owner = new Map<string, number>();
  const assign = () => {
    chosen.clear(); owner.clear();
    for (const { index, c } of pairs) {
      if (chosen.has(index) || owner.has(c.field) || dropped.has(c.field)) continue;
      chosen.set(index, c);
      owner.set(c.field, index);
    }
  };
  // Day, month and year columns are suggested only as a complete set, and only for a date no column gives whole
  // ("Birthday" alone is not the day of a date of birth); otherwise those columns take their next candidate.
  const dropped = new Set<string>();
  for (;;) {
    assign();
    const partial = [...owner.keys()].map(datePartOf).filter((p): p is NonNullable<typeof p> => p !== null)
      .filter((p) => owner.has(p.field) || DATE_PARTS.some((x) => !owner.has(`${p.field}.${x}`)));
    if (!partial.length) break;
    for (const p of partial) for (const x of DATE_PARTS) dropped.add(`${p.field}.${x}`);
  }
  return headers.map((header, index) => {
    const h = typeof header === 'string' ? header : '';
    const candidates = all[index]!.filter((c) => !dropped.has(c.field)).map(({ field, confidence, match, reason }) => ({ field, confidence, match, reason }));
    const base = { index, header: h, key: keys[index]!, candidates: candidates.slice(0, 3) };
    const pick = chosen.get(index);
    if (pick) return { ...base, field: pick.field, confidence: pick.confidence, match: pick.match, reason: pick.reason };
    let reason: string;
    if (!compact(normaliseHeader(h))) reason = 'The column has no header, so it is left out; name it in the mapping if it holds data';
    else if (candidates.length === 0 && all[index]!.length) {
      const part = datePartOf(all[index]![0]!.field)!;
      reason = `${q(h)} reads as the ${part.part} of ${label(kind, part.field)}, but the file has no columns for the rest of that date, or has a column of whole dates; it is left out unless you map it`;
    } else if (candidates.length === 0) reason = `${q(h)} is not a name Hearth knows for any ${KINDS[kind].label.toLowerCase()} field; it is left out unless you map it`;
    else {
      const best = candidates[0]!;
      const winner = owner.get(best.field)!;
      const why = all[winner]!.find((x) => x.field === best.field)!.confidence > best.confidence ? 'more closely'
        : quality(winner, best.field) > quality(index, best.field) ? 'equally and its values are fuller (fewer blanks or repeats)'
          : generic[index] && !generic[winner] ? 'equally and its name says more clearly what it is'
            : all[winner]!.length < all[index]!.length ? 'equally and has no other field it could be' : 'equally and comes first';
      reason = `${q(h)} could be ${label(kind, best.field)}, but column ${winner + 1} (${q(keys[winner]!)}) matches it ${why}; a field takes one column, so this one is left out unless you map it`;
    }
    return { ...base, field: null, confidence: 0, match: null, reason };
  });
}

/** The field that identifies a record of each kind in its source: its values should all be different. */
const IDENTITY: Record<RecordKind, string> = { homes: 'reference', people: 'sourceId', tenancies: 'reference', alerts: 'sourceId', repairs: 'jobReference', notes: 'sourceId' };

/**
 * How well a column's sampled values suit a field, 0–1 in hundredths (so near-equal columns still tie): the share of
 * rows with a value, times, for the record's own reference, the share of those values that are different. 0 for all
 * columns when there are no rows (headers only).
 */
function valueQuality(kind: RecordKind, keys: readonly string[], rows: readonly Record<string, string>[] | undefined) {
  const cache = new Map<string, number>();
  return (index: number, field: string): number => {
    if (!rows?.length) return 0;
    const identity = field === IDENTITY[kind];
    const id = `${index}|${identity}`;
    let q = cache.get(id);
    if (q === undefined) {
      const values = rows.map((r) => (r[keys[index]!] ?? '').trim()).filter(Boolean);
      q = Math.round((values.length / rows.length) * (identity && values.length ? new Set(values).size / values.length : 1) * 100) / 100;
      cache.set(id, q);
    }
    return q;
  };
}

export interface KindGuess {
  /** The most likely kind, or null when no kind fits or two fit equally well. */
  kind: RecordKind | null;
  /** Score per kind: matched columns weighted by confidence, fields only that kind has counting double. */
  scores: Record<RecordKind, number>;
  reason: string;
}

/** Guess which kind of record a file holds from its headers. */
export function detectKind(headers: readonly string[]): KindGuess {
  const scores = {} as Record<RecordKind, number>;
  for (const kind of RECORD_KINDS) {
    const score = suggestMapping(kind, headers).reduce((sum, s) => {
      if (!s.field) return sum;
      // A bare "id" or "ref" is every kind's reference: it says nothing about which kind the file holds.
      const telling = targetField(kind, s.field)?.distinctive && !GENERIC.has(compact(normaliseHeader(s.header)));
      return sum + s.confidence * (telling ? 2 : 1);
    }, 0);
    scores[kind] = Math.round(score * 100) / 100;
  }
  const ranked = [...RECORD_KINDS].sort((a, b) => scores[b] - scores[a]);
  const [first, second] = [ranked[0]!, ranked[1]!];
  if (scores[first] === 0) return { kind: null, scores, reason: 'No header matches a field Hearth knows; choose the kind of record' };
  if (scores[first] - scores[second] < 0.5) {
    return { kind: null, scores, reason: `The headers fit ${KINDS[first].label.toLowerCase()} and ${KINDS[second].label.toLowerCase()} about equally; choose the kind of record` };
  }
  return { kind: first, scores, reason: `The headers fit ${KINDS[first].label.toLowerCase()} best (score ${scores[first]}, next ${KINDS[second].label.toLowerCase()} ${scores[second]})` };
}

// Mapping profiles -----------------------------------------------------------------------------------------------

/** A confirmed mapping for one source system's files, saved and reused (the JSON mapping file; docs/ingest.md). */
export interface MappingProfile {
  sourceSystem: string;
  kind: RecordKind;
  /** Column key (see columnKeys) → field, or null to leave the column out on purpose. */
  columns: Record<string, string | null>;
  /** Column key → date format, for date columns whose format is not to be detected per file. */
  dateFormats?: Record<string, DateFormat>;
  /** Field → { code as the source writes it → Hearth's code }, for codes Hearth does not recognise by itself. */
  values?: Record<string, Record<string, string>>;
  /** CSV: the row holding the column names, as a spreadsheet numbers it (title rows above it are not read). */
  headerRow?: number;
  /** JSON: where the records are in a document that wraps them: "results", "data.items". */
  jsonPath?: string;
  /** Keep only rows whose column holds one of the values ("RD*": any value starting RD); the rest are skipped, not rejected. */
  filter?: RowFilter | RowFilter[];
}

/** A profile from the suggestion, for the user to confirm or change. */
export function profileFromSuggestion(sourceSystem: string, kind: RecordKind, suggestion: readonly ColumnSuggestion[],
  dateFormats?: Record<string, DateFormat>): MappingProfile {
  const columns: Record<string, string | null> = {};
  for (const s of suggestion) Object.defineProperty(columns, s.key, { value: s.field, enumerable: true, writable: true, configurable: true });
  return dateFormats ? { sourceSystem, kind, columns, dateFormats } : { sourceSystem, kind, columns };
}

export interface ProfileIssue {
  code: 'not-an-object' | 'source-system-missing' | 'unknown-kind' | 'columns-missing' | 'unknown-field' | 'field-mapped-twice' |
    'missing-required' | 'missing-recommended' | 'header-not-in-file' | 'header-not-in-profile' | 'date-format-invalid' |
    'date-format-not-date-field' | 'duplicate-header' | 'unknown-setting' | 'values-invalid' | 'layout-invalid' | 'date-parts-incomplete';
  header?: string;
  field?: string;
  message: string;
}
export interface ProfileCheck {
  /** True when there are no errors: the file can be loaded with this profile (warnings are worth reading). */
  ok: boolean;
  errors: ProfileIssue[];
  warnings: ProfileIssue[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Settings about the file's layout rather than its columns (layout.ts): the header row, a JSON path, a row filter. */
const LAYOUT_SETTINGS = ['headerRow', 'jsonPath', 'filter'];
function layoutErrors(profile: Record<string, unknown>, headers: readonly string[]): ProfileIssue[] {
  const out: ProfileIssue[] = [];
  const { headerRow, jsonPath, filter } = profile;
  if (headerRow !== undefined && !(Number.isInteger(headerRow) && (headerRow as number) >= 1 && (headerRow as number) <= 1000)) {
    out.push({ code: 'layout-invalid', message: `"headerRow" must be the number of the row holding the column names, 1 to 1000 (it is ${JSON.stringify(headerRow)})` });
  }
  if (jsonPath !== undefined && (typeof jsonPath !== 'string' || !/^[^.\s]+(\.[^.\s]+)*$/.test(jsonPath))) {
    out.push({ code: 'layout-invalid', message: `"jsonPath" must name where the records are in a JSON document, such as "results" or "data.items" (it is ${JSON.stringify(jsonPath)})` });
  }
  if (filter !== undefined) for (const message of checkFilter(filter, columnKeys(headers))) out.push({ code: 'layout-invalid', message });
  return out;
}

/**
 * Check a mapping profile (typically parsed from a JSON mapping file, so anything) against a file's headers: unknown
 * kinds and fields, a field mapped from two columns, required fields with no column, columns the profile does not
 * mention (they would be left out) and columns it names that the file lacks.
 */
export function validateProfile(profile: unknown, headers: readonly string[]): ProfileCheck {
  const errors: ProfileIssue[] = [];
  const warnings: ProfileIssue[] = [];
  const done = () => ({ ok: errors.length === 0, errors, warnings });
  if (!isRecord(profile)) {
    errors.push({ code: 'not-an-object', message: 'The mapping is not a JSON object like { "sourceSystem": …, "kind": …, "columns": { … } }' });
    return done();
  }
  for (const k of Object.keys(profile)) {
    if (!['sourceSystem', 'kind', 'columns', 'dateFormats', 'values', ...LAYOUT_SETTINGS].includes(k)) {
      warnings.push({ code: 'unknown-setting', message: `The mapping has a setting ${q(k)} that Hearth does not use (expected sourceSystem, kind, columns, dateFormats, values, headerRow, jsonPath, filter); it is ignored` });
    }
  }
  errors.push(...layoutErrors(profile, headers));
  if (typeof profile.sourceSystem !== 'string' || !profile.sourceSystem.trim()) {
    errors.push({ code: 'source-system-missing', message: 'The mapping needs "sourceSystem": the name of the system the file came from, so records can be matched on the next import' });
  }
  if (!isRecordKind(profile.kind)) {
    errors.push({ code: 'unknown-kind', message: `${q(String(profile.kind))} is not a kind of record Hearth loads; use one of ${RECORD_KINDS.join(', ')}` });
    return done();
  }
  const kind = profile.kind;
  const columns = profile.columns;
  if (!isRecord(columns)) {
    errors.push({ code: 'columns-missing', message: 'The mapping needs "columns": an object from each column header to a field name, or null to leave it out' });
    return done();
  }

  const keys = columnKeys(headers);
  const inFile = new Set(keys);
  const repeated = new Map<string, string[]>();
  headers.forEach((h, i) => {
    const written = typeof h === 'string' ? h.replace(/^\uFEFF/, '').trim() : '';
    if (written) repeated.set(written.toLowerCase(), [...(repeated.get(written.toLowerCase()) ?? []), keys[i]!]);
  });
  for (const named of repeated.values()) {
    if (named.length > 1) {
      warnings.push({ code: 'duplicate-header', header: named[0]!, message: `The file has ${named.length} columns headed ${q(named[0]!)}; the mapping names them ${named.map(q).join(', ')}` });
    }
  }

  const fieldColumns = new Map<string, string[]>();
  for (const [header, field] of Object.entries(columns)) {
    if (!inFile.has(header)) {
      warnings.push({ code: 'header-not-in-file', header, message: `The mapping names a column ${q(header)} that this file does not have` });
    }
    if (field === null) continue;
    if (typeof field !== 'string' || !targetField(kind, field)) {
      const known = KINDS[kind].fields.map((t) => t.field).join(', ');
      errors.push({ code: 'unknown-field', header, field: String(field), message: `Column ${q(header)} is mapped to ${q(String(field))}, which is not a field of ${KINDS[kind].label.toLowerCase()} (fields: ${known})` });
      continue;
    }
    if (inFile.has(header)) fieldColumns.set(field, [...(fieldColumns.get(field) ?? []), header]);
  }
  for (const [field, hs] of fieldColumns) {
    if (hs.length > 1) {
      errors.push({ code: 'field-mapped-twice', field, message: `${label(kind, field)} is mapped from ${hs.length} columns (${hs.map(q).join(', ')}); a field takes one column` });
    }
  }
  // A date from day, month and year columns needs all three, and not a whole-date column as well.
  for (const t of KINDS[kind].fields.filter((x) => x.type === 'date')) {
    const parts = DATE_PARTS.filter((p) => fieldColumns.has(`${t.field}.${p}`));
    if (!parts.length) continue;
    const columnsOf = parts.map((p) => fieldColumns.get(`${t.field}.${p}`)![0]!);
    if (parts.length < 3) {
      const missing = DATE_PARTS.filter((p) => !parts.includes(p));
      errors.push({ code: 'date-parts-incomplete', field: t.field, message: `${t.label} is mapped from ${columnsOf.map(q).join(', ')} (${parts.join(', ')}) but no column gives its ${missing.join(' and ')}; map all three (${DATE_PARTS.map((p) => q(`${t.field}.${p}`)).join(', ')}), or map one column of whole dates to ${q(t.field)}` });
    } else if (fieldColumns.has(t.field)) {
      errors.push({ code: 'field-mapped-twice', field: t.field, message: `${t.label} is mapped from ${q(fieldColumns.get(t.field)![0]!)} and from day, month and year columns (${columnsOf.map(q).join(', ')}); map one or the other` });
    } else fieldColumns.set(t.field, columnsOf);
  }
  for (const key of keys) {
    if (!Object.hasOwn(columns, key)) {
      warnings.push({ code: 'header-not-in-profile', header: key, message: `Column ${q(key)} is not in the mapping, so it will not be loaded; map it to a field, or to null to leave it out on purpose` });
    }
  }
  const def = KINDS[kind];
  for (const group of def.required) {
    if (!group.some((field) => fieldColumns.has(field))) {
      const names = group.map((field) => label(kind, field));
      errors.push({ code: 'missing-required', field: group[0]!, message: group.length === 1
        ? `No column is mapped to ${names[0]}, which ${def.label.toLowerCase()} need`
        : `No column is mapped to any of ${names.join(', ')}; ${def.label.toLowerCase()} need at least one` });
    }
  }
  for (const field of def.recommended) {
    if (!fieldColumns.has(field)) {
      warnings.push({ code: 'missing-recommended', field, message: `No column is mapped to ${label(kind, field)}; the records will load without it and show as incomplete` });
    }
  }

  const values = profile.values;
  if (values !== undefined) {
    if (!isRecord(values) || !Object.values(values).every((m) => isRecord(m) && Object.values(m).every((v) => typeof v === 'string'))) {
      errors.push({ code: 'values-invalid', message: '"values" must be an object from field name to { "code as written": "Hearth code" }' });
    } else {
      for (const field of Object.keys(values)) {
        if (!targetField(kind, field)) errors.push({ code: 'values-invalid', field, message: `"values" names ${q(field)}, which is not a field of ${def0(kind)}` });
      }
    }
  }
  const dateFormats = profile.dateFormats;
  if (dateFormats !== undefined) {
    if (!isRecord(dateFormats)) {
      errors.push({ code: 'date-format-invalid', message: '"dateFormats" must be an object from column header to a date format' });
    } else {
      for (const [header, format] of Object.entries(dateFormats)) {
        if (typeof format !== 'string' || !Object.hasOwn(DATE_FORMATS, format)) {
          errors.push({ code: 'date-format-invalid', header, message: `The date format ${q(String(format))} for column ${q(header)} is not one Hearth reads; use one of ${Object.keys(DATE_FORMATS).join(', ')}` });
          continue;
        }
        const field = Object.hasOwn(columns, header) ? columns[header] : undefined;
        if (typeof field !== 'string' || targetField(kind, field)?.type !== 'date') {
          warnings.push({ code: 'date-format-not-date-field', header, message: `A date format is given for column ${q(header)}, which is not mapped to a date field; it is ignored` });
        }
      }
    }
  }
  return done();
}

/** The field for each column of the file (by position), from a profile that validateProfile accepted. */
const def0 = (kind: RecordKind) => KINDS[kind].label.toLowerCase();

export function columnFields(profile: MappingProfile, headers: readonly string[]): (string | null)[] {
  return columnKeys(headers).map((key) => {
    const field = Object.hasOwn(profile.columns, key) ? profile.columns[key] : null;
    return typeof field === 'string' && targetField(profile.kind, field) ? field : null;
  });
}
