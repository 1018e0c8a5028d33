// The fields files of people and of person alerts can give, and the person reference other kinds use. Loaded by
// import.ts and alerts-import.ts.
import { importField as f, type ImportKind } from '../../platform/records/load.ts';
import { ADDRESS, HOME_REFERENCE, UPRN } from '../homes/index.ts';
import { people, personAlerts } from './schema.ts';

/** An import kind without its loader (the manifest adds it). */
type ImportKindFields = Omit<ImportKind, 'loader'>;

/** How other kinds name a person: their reference in the same source. */
export const PERSON_SOURCE_ID = f('personSourceId', 'Person reference', 'code', ['person ref', 'person reference', 'person id', 'person no', 'person number',
  'customer ref', 'customer reference', 'customer id', 'customer no', 'customer number', 'client ref', 'client id', 'contact ref', 'contact id',
  'tenant ref', 'tenant reference', 'tenant id', 'tenant no', 'tenant number', 'party ref', 'party id', 'resident ref', 'resident id', 'member ref',
  'member id', 'occupant ref', 'occupant id', 'person key', 'customer key', 'party no', 'party number', 'client no', 'client number', 'person code']);


export const PEOPLE_IMPORT: ImportKindFields = {
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
  identity: 'sourceId',
  // A person is known by their reference and name.
  identifying: ['sourceId', 'givenName', 'familyName', 'fullName'],
  position: 20,
  // A full name is split into the name fields and kept as recorded; contact fields make the contact points; the home
  // named is matched to its id; the address fields make the postal address.
  stores: { table: people, otherwise: { sourceId: 'the record\'s id in its source (source_references)', fullName: people.nameAsRecorded, phone: people.contactPoints,
    mobilePhone: people.contactPoints, workPhone: people.contactPoints, email: people.contactPoints, homeReference: people.homeId, uprn: people.homeId,
    ...Object.fromEntries(ADDRESS.map((a) => [a.field, people.address])) } },
};

export const ALERTS_IMPORT: ImportKindFields = {
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
  identity: 'sourceId',
  identifying: ['sourceId', 'personSourceId'],
  position: 40,
  // The person named is matched to their id; a type as written is translated to its HACT code.
  stores: { table: personAlerts, otherwise: { sourceId: 'the record\'s id in its source (source_references)', personSourceId: personAlerts.personId, alertType: personAlerts.hactCode } },
};
