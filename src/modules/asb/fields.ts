// The fields files from a standalone ASB system can give: cases, incidents and parties. Loaded by import.ts.
import { importField as f, type ImportKind } from '../../platform/records/load.ts';
import { ADDRESS, HOME_REFERENCE, UPRN } from '../homes/index.ts';
import { asbCasePlaces, asbCases, asbIncidents, asbParties } from './schema.ts';

/** An import kind without its loader (the manifest adds it). */
type ImportKindFields = Omit<ImportKind, 'loader'>;

/** How incidents and parties name their case: its reference in the old system, kept as the case's own. */
const CASE_REFERENCE = f('caseReference', 'Case reference', 'code', ['case ref', 'case reference', 'case id', 'case number', 'case no', 'asb ref',
  'asb reference', 'asb case ref', 'asb case reference', 'asb case id', 'asb case number', 'asb case no', 'asb number', 'asb no', 'case',
  'file ref', 'file reference', 'parent case', 'parent case ref', 'linked case', 'case code'], true);

export const ASB_CASES_IMPORT: ImportKindFields = {
  kind: 'asb-cases', label: 'ASB cases',
  fields: [
    f('reference', 'Case reference', 'code', [...CASE_REFERENCE.synonyms, 'ref', 'reference', 'id']),
    f('openedDate', 'Date opened', 'date', ['opened', 'date opened', 'opened date', 'opened on', 'case opened', 'case opened date', 'open date',
      'date case opened', 'case start date', 'date started', 'start date', 'created', 'created date', 'date created', 'date logged', 'logged',
      'date reported', 'reported date', 'report date', 'date received', 'received date'], true),
    f('summary', 'Summary', 'text', ['case summary', 'description', 'case description', 'details', 'case details', 'title', 'case title',
      'subject', 'brief description', 'synopsis', 'narrative', 'problem', 'complaint', 'nature of complaint', 'allegation']),
    f('categories', 'Category (the old system\'s words are translated to the landlord\'s categories)', 'code', ['category', 'asb category',
      'asb categories', 'asb type', 'asb types', 'type of asb', 'case type', 'case category', 'type', 'incident type', 'nature of asb',
      'nature', 'classification', 'asb classification', 'behaviour', 'behaviour type', 'main category', 'primary category'], true),
    f('priority', 'Priority', 'code', ['case priority', 'asb priority', 'priority level', 'priority code', 'urgency', 'response category',
      'response priority', 'cat', 'category level'], true),
    f('status', 'Status (open or closed)', 'code', ['case status', 'state', 'open closed', 'open or closed', 'current status', 'live closed']),
    f('closedDate', 'Date closed', 'date', ['closed', 'date closed', 'closed date', 'closed on', 'close date', 'closure date', 'date of closure',
      'case closed', 'case closed date', 'end date', 'date ended', 'resolved date', 'date resolved'], true),
    f('closingReason', 'Closing reason', 'code', ['closing reason', 'closure reason', 'reason closed', 'reason for closure', 'close reason',
      'outcome', 'case outcome', 'closure outcome', 'resolution', 'closure code', 'closing code'], true),
    f('hate', 'Hate incident (yes or no)', 'code', ['hate', 'hate crime', 'hate incident', 'hate related', 'hate motivated', 'hate flag', 'is hate',
      'hate case', 'hate crime flag', 'hate incident flag', 'hate y n'], true),
    f('protectedCharacteristics', 'Protected characteristic', 'code', ['protected characteristic', 'protected characteristics', 'hate type',
      'hate category', 'hate motivation', 'motivation', 'hate crime type', 'hate crime category', 'hate strand', 'equality strand', 'strand',
      'hate incident type'], true),
    f('riskLevel', 'Risk level', 'code', ['risk', 'risk level', 'risk rating', 'risk assessment', 'risk assessment level', 'risk category',
      'victim risk', 'victim risk level', 'harm level', 'rag', 'rag rating', 'risk rag'], true),
    f('officer', 'Case officer (matched to a member of staff by name or email)', 'text', ['officer', 'case officer', 'asb officer',
      'assigned to', 'assigned officer', 'owner', 'case owner', 'handler', 'case handler', 'investigating officer', 'officer name',
      'lead officer', 'responsible officer', 'case worker', 'caseworker', 'allocated to', 'allocated officer'], true),
    HOME_REFERENCE,
    UPRN,
    f('blockName', 'Block', 'text', ['block', 'block name', 'block description', 'estate block']),
    // A case may name its home only by its address (lines or parts), matched within the postcode (homes' matchHomes).
    ...ADDRESS,
  ],
  required: [['reference'], ['openedDate']],
  recommended: ['summary', 'categories', 'status'],
  identity: 'reference',
  identifying: ['reference', 'openedDate'],
  position: 70,
  // The home or block it names becomes a place of the case; words become the landlord's codes.
  stores: { table: asbCases, otherwise: {
    openedDate: asbCases.openedAt, priority: asbCases.priorityCode, closedDate: asbCases.closedAt, officer: asbCases.officerUserId,
    blockName: asbCasePlaces.blockId, ...Object.fromEntries([HOME_REFERENCE, UPRN, ...ADDRESS].map((a) => [a.field, asbCasePlaces.homeId])),
  } },
};

export const ASB_INCIDENTS_IMPORT: ImportKindFields = {
  kind: 'asb-incidents', label: 'ASB incidents',
  fields: [
    f('sourceId', 'Incident reference', 'code', ['incident ref', 'incident reference', 'incident id', 'incident number', 'incident no',
      'occurrence id', 'occurrence ref', 'event id', 'event ref', 'log id', 'diary id', 'entry id', 'ref', 'reference', 'id'], true),
    CASE_REFERENCE,
    f('occurredOn', 'Date of the incident', 'date', ['date', 'incident date', 'date of incident', 'occurred', 'occurred on', 'date occurred',
      'occurrence date', 'event date', 'date of event', 'when', 'happened on', 'date happened'], true),
    f('occurredTime', 'Time of the incident', 'code', ['time', 'incident time', 'time of incident', 'time occurred', 'occurred at', 'event time',
      'time of event', 'approx time', 'approximate time'], true),
    f('place', 'Where it happened', 'text', ['location', 'incident location', 'where', 'place', 'location of incident', 'where it happened',
      'area', 'site'], true),
    f('description', 'What happened (every word kept)', 'text', ['details', 'incident details', 'incident description', 'what happened',
      'narrative', 'account', 'notes', 'comments', 'summary', 'text', 'desc', 'diary entry', 'entry'], true),
    f('reportedByName', 'Reported by', 'text', ['reported by', 'reporter', 'reporter name', 'reported by name', 'caller', 'caller name',
      'informant', 'source of report', 'who reported'], true),
    f('reportedVia', 'How it was reported', 'code', ['reported via', 'how reported', 'method', 'reporting method', 'report method', 'channel',
      'contact method', 'contact type', 'received via', 'received by', 'source', 'medium', 'how received'], true),
    f('reportedDate', 'Date reported', 'date', ['date reported', 'reported date', 'reported on', 'report date', 'date logged', 'logged',
      'logged date', 'received', 'date received', 'received date'], true),
  ],
  required: [['caseReference'], ['occurredOn'], ['description']],
  recommended: ['sourceId', 'occurredTime', 'reportedVia'],
  identity: 'sourceId',
  identifying: ['sourceId', 'caseReference', 'occurredOn'],
  position: 71,
  stores: { table: asbIncidents, otherwise: {
    sourceId: 'the incident\'s id in its source (source_references, asb_incidents.source_key)', caseReference: asbIncidents.caseId,
    reportedDate: asbIncidents.reportedAt,
  } },
};

export const ASB_PARTIES_IMPORT: ImportKindFields = {
  kind: 'asb-parties', label: 'ASB case parties',
  fields: [
    f('sourceId', 'Party reference', 'code', ['party ref', 'party reference', 'party id', 'party number', 'party no', 'involved party id',
      'involvement id', 'participant id', 'contact id', 'ref', 'reference', 'id']),
    CASE_REFERENCE,
    f('role', 'Role (complainant, alleged perpetrator or witness)', 'code', ['party role', 'role in case', 'involvement', 'involvement type',
      'party type role', 'relationship to case', 'capacity', 'party category', 'participant type', 'contact role'], true),
    f('partyKind', 'Person or group', 'code', ['party type', 'person or group', 'individual or group', 'kind', 'entity type', 'party kind'], true),
    f('fullName', 'Name (the whole name in one column)', 'text', ['name', 'full name', 'party name', 'person name', 'contact name', 'names',
      'involved party', 'involved person', 'participant', 'participant name', 'complainant name', 'perpetrator name', 'witness name',
      'surname forename', 'forename surname'], true),
    f('groupName', 'Group name', 'text', ['group', 'group name', 'gang', 'gang name', 'group description', 'organisation', 'organisation name'], true),
    f('dateOfBirth', 'Date of birth', 'date', ['dob', 'd o b', 'birth date', 'birthdate', 'born', 'date born'], true),
    f('personReference', 'Person id in the housing system (tenant number)', 'code', ['tenant number', 'tenant no', 'tenant ref', 'tenant reference',
      'tenant id', 'person ref', 'person reference', 'person id', 'customer ref', 'customer reference', 'customer id', 'customer number',
      'customer no', 'client ref', 'client id', 'housing ref', 'housing id', 'hms ref', 'hms id', 'hearth id', 'hearth person id', 'resident id',
      'resident ref', 'person code'], true),
    f('notes', 'Notes about the party', 'text', ['party notes', 'notes', 'comments', 'description', 'details', 'remarks']),
    // Where the party lives: agreeing with one of the landlord's people, with the name, links them (import.ts).
    ...ADDRESS,
  ],
  required: [['caseReference'], ['role'], ['fullName', 'groupName', 'personReference']],
  recommended: ['sourceId', 'dateOfBirth', 'personReference'],
  identity: 'sourceId',
  identifying: ['sourceId', 'caseReference', 'role'],
  position: 72,
  // Linked to one of the landlord's people (asb_parties.personId), else kept as named for review (personNamed).
  stores: { table: asbParties, otherwise: {
    sourceId: 'the party\'s id in its source (source_references, asb_parties.source_key)', caseReference: asbParties.caseId,
    partyKind: asbParties.kind, fullName: asbParties.name, groupName: asbParties.name, dateOfBirth: asbParties.personNamed,
    personReference: asbParties.personId, ...Object.fromEntries(ADDRESS.map((a) => [a.field, asbParties.personNamed])),
  } },
};

// ---- What old systems write for Hearth's codes (compared as letters and digits only, any case; translateCode) ----------
// A landlord's own words go in the mapping's "values"; these are the usual ones.

export const ROLE_WORDS: Readonly<Record<string, readonly string[]>> = {
  complainant: ['victim', 'reporter', 'reporting party', 'complainer', 'injured party', 'aggrieved party', 'victim complainant',
    'complainant victim', 'caller', 'referrer', 'comp', 'vic'],
  'alleged-perpetrator': ['perpetrator', 'alleged perpetrator', 'perp', 'alleged perp', 'subject', 'suspect', 'offender', 'alleged offender',
    'respondent', 'defendant', 'accused', 'ap', 'alleged', 'nuisance causer', 'person causing nuisance', 'perpetrator alleged', 'subject of complaint'],
  witness: ['witness', 'witnesses', 'wit', 'observer', 'bystander', 'independent witness', 'professional witness'],
};

export const PARTY_KIND_WORDS: Readonly<Record<string, readonly string[]>> = {
  person: ['individual', 'person', 'people', 'resident', 'tenant', 'named person', 'adult', 'child', 'juvenile', 'youth'],
  group: ['group', 'gang', 'group of people', 'group of youths', 'youths', 'organisation', 'business', 'company', 'family', 'household'],
  unknown: ['unknown', 'not known', 'unidentified', 'unnamed', 'person unknown', 'persons unknown'],
};

export const STATUS_WORDS: Readonly<Record<string, readonly string[]>> = {
  open: ['open', 'live', 'active', 'current', 'in progress', 'ongoing', 'new', 'pending', 'reopened', 're opened', 'under investigation', 'o'],
  closed: ['closed', 'resolved', 'complete', 'completed', 'finished', 'ended', 'archived', 'case closed', 'nfa', 'c'],
};

export const CLOSING_REASON_WORDS: Readonly<Record<string, readonly string[]>> = {
  resolved: ['resolved', 'problem resolved', 'issue resolved', 'behaviour stopped', 'successful', 'success', 'resolved successfully'],
  'no-further-action': ['nfa', 'no further action', 'no action', 'no further action required', 'closed nfa'],
  'not-asb': ['not asb', 'not anti social behaviour', 'no asb', 'lifestyle', 'lifestyle clash', 'not a housing matter'],
  'insufficient-evidence': ['insufficient evidence', 'not enough evidence', 'no evidence', 'lack of evidence', 'unsubstantiated', 'not proven',
    'no corroboration'],
  'moved-away': ['moved away', 'moved', 'perpetrator moved', 'complainant moved', 'tenancy ended', 'rehoused', 'evicted', 'left property'],
  'referred-elsewhere': ['referred', 'referred elsewhere', 'referred to police', 'referred to council', 'police matter', 'passed to police',
    'referred to environmental health', 'referred to local authority'],
};

export const RISK_WORDS: Readonly<Record<string, readonly string[]>> = {
  standard: ['standard', 'low', 'green', 'standard risk', 'low risk', 'l', 's'],
  medium: ['medium', 'amber', 'moderate', 'medium risk', 'm'],
  high: ['high', 'red', 'very high', 'high risk', 'critical', 'h'],
};

export const YES_NO_WORDS: Readonly<Record<'yes' | 'no', readonly string[]>> = {
  yes: ['yes', 'y', 'true', '1', 'hate', 'hate crime', 'hate incident', 'x'],
  no: ['no', 'n', 'false', '0', 'none', 'not hate', 'n a'],
};

export const REPORTED_VIA_WORDS: Readonly<Record<string, readonly string[]>> = {
  phone: ['telephone', 'tel', 'phone call', 'call', 'by phone', 'telephone call', 'mobile', 'contact centre', 'call centre', 'out of hours', 'ooh'],
  email: ['e-mail', 'e mail', 'email', 'by email', 'mail'],
  online: ['web', 'website', 'online form', 'web form', 'portal', 'app', 'webchat', 'web chat', 'self service', 'internet'],
  'in-person': ['walk-in', 'walk in', 'in person', 'face to face', 'f2f', 'office', 'visit', 'home visit', 'drop in', 'reception', 'counter',
    'estate walkabout', 'surgery'],
  letter: ['post', 'letter', 'written', 'in writing', 'by letter'],
  police: ['police', 'police referral', 'referral from police', 'from police', '101'],
  other: ['other', 'councillor', 'mp', 'referral', 'agency', 'partner agency', 'social media', 'text', 'sms'],
};

/** The default settings' codes (a landlord's own codes are matched by their code and label, and its mapping's values). */
export const PRIORITY_WORDS: Readonly<Record<string, readonly string[]>> = {
  'category-1': ['1', 'cat 1', 'cat1', 'p1', 'priority 1', 'high', 'urgent', 'emergency', 'serious', 'a'],
  'category-2': ['2', 'cat 2', 'cat2', 'p2', 'priority 2', 'medium', 'b'],
  'category-3': ['3', 'cat 3', 'cat3', 'p3', 'priority 3', 'low', 'routine', 'standard', 'c'],
};

export const CATEGORY_WORDS: Readonly<Record<string, readonly string[]>> = {
  violence: ['violence', 'assault', 'physical violence', 'physical assault', 'violence against the person', 'fighting', 'actual violence'],
  threats: ['threats', 'threatening behaviour', 'threats of violence', 'threat', 'threatening', 'intimidation threats'],
  'hate-incident': ['hate', 'hate crime', 'hate incident', 'hate related', 'racial harassment', 'racist abuse', 'racism', 'homophobic abuse',
    'homophobia', 'transphobic abuse', 'disability hate', 'religious hate'],
  'domestic-abuse': ['domestic abuse', 'domestic violence', 'da', 'dv', 'domestic'],
  'verbal-abuse': ['verbal abuse', 'harassment', 'intimidation', 'abuse', 'verbal', 'harassment and intimidation', 'verbal abuse harassment',
    'abusive behaviour', 'nuisance from neighbours', 'neighbour dispute'],
  drugs: ['drugs', 'drug dealing', 'drug use', 'drug related', 'cannabis', 'drugs substance misuse', 'substance misuse', 'drug activity'],
  'vandalism-and-damage': ['vandalism', 'criminal damage', 'damage', 'damage to property', 'graffiti', 'vandalism criminal damage'],
  noise: ['noise', 'noise nuisance', 'loud music', 'domestic noise', 'noise complaint', 'party noise', 'shouting', 'banging'],
  'misuse-of-communal-areas': ['misuse of communal areas', 'communal areas', 'loitering', 'rowdy behaviour', 'rowdy', 'nuisance behaviour',
    'youths congregating', 'communal area misuse', 'smoking in communal areas'],
  'pets-and-animals': ['pets', 'animals', 'animal nuisance', 'dogs', 'dog fouling', 'barking', 'pets and animals', 'animal related'],
  vehicles: ['vehicles', 'vehicle nuisance', 'nuisance parking', 'parking', 'abandoned vehicle', 'abandoned vehicles', 'inconsiderate parking',
    'vehicle related'],
  'litter-and-fly-tipping': ['litter', 'rubbish', 'fly tipping', 'flytipping', 'fly-tipping', 'dumping', 'garden nuisance', 'refuse', 'waste'],
  other: ['other', 'misc', 'miscellaneous', 'general', 'general nuisance', 'not specified'],
};

export const CHARACTERISTIC_WORDS: Readonly<Record<string, readonly string[]>> = {
  race: ['race', 'racial', 'racist', 'racism', 'ethnicity', 'ethnic origin', 'race or ethnicity', 'nationality'],
  'religion-or-belief': ['religion', 'religious', 'belief', 'faith', 'faith or belief', 'religion belief', 'anti semitic', 'antisemitic',
    'islamophobic', 'islamophobia'],
  'sexual-orientation': ['sexual orientation', 'sexuality', 'homophobic', 'homophobia', 'biphobic', 'lgb', 'gay'],
  disability: ['disability', 'disabled', 'disablist', 'disability hate'],
  'transgender-identity': ['transgender', 'transgender identity', 'gender identity', 'transphobic', 'transphobia', 'trans'],
  sex: ['sex', 'gender', 'sexist', 'misogyny', 'misogynistic'],
  age: ['age', 'ageist', 'ageism'],
};
