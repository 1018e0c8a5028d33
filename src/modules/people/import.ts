// Loading people from files: names, date of birth, contact points and address; linked to the home the row names
// (by reference, UPRN or exact address) through the homes module. Unmatched homes are listed for review.
import type { Db } from '../../platform/db/store.ts';
import { recordsBySourceId } from '../../platform/provenance/service.ts';
import { bulkUpsert, type BulkColumn } from '../../platform/records/bulk.ts';
import type { Fields, KindLoader, LoadResult } from '../../platform/records/load.ts';
import { matchHomes, homeNamed, homeNotMatched } from '../homes/import.ts';
import { personSearchText } from './service.ts';
import type { ContactPoint, PostalAddress } from './schema.ts';

const NAME_COLUMNS: BulkColumn[] = [
  { column: 'title', type: 'text', field: 'title' },
  { column: 'given_name', type: 'text', field: 'givenName' },
  { column: 'middle_names', type: 'text', field: 'middleNames' },
  { column: 'family_name', type: 'text', field: 'familyName' },
  { column: 'preferred_name', type: 'text', field: 'preferredName' },
  { column: 'date_of_birth', type: 'date', field: 'dateOfBirth' },
];
const CONTACT_FIELDS = ['phone', 'mobilePhone', 'workPhone', 'email'];
const ADDRESS_FIELDS = ['subBuilding', 'buildingName', 'buildingNumber', 'street', 'locality', 'town', 'postcode', 'addressLine1', 'addressLine2', 'addressLine3', 'addressLine4'];
const HOME_FIELDS = ['homeReference', 'uprn', ...ADDRESS_FIELDS];

const s = (v: unknown) => (typeof v === 'string' && v ? v : null);

export function contactPoints(f: Fields): ContactPoint[] {
  const out: ContactPoint[] = [];
  if (s(f.phone)) out.push({ system: 'phone', value: s(f.phone)!, use: 'home' });
  if (s(f.mobilePhone) && f.mobilePhone !== f.phone) out.push({ system: 'phone', value: s(f.mobilePhone)!, use: 'mobile' });
  if (s(f.workPhone)) out.push({ system: 'phone', value: s(f.workPhone)!, use: 'work' });
  if (s(f.email)) out.push({ system: 'email', value: s(f.email)! });
  return out;
}

/** The address as the row gives it, as a postal address (lines kept as written, in street and locality). */
export function postalAddress(f: Fields): PostalAddress | null {
  const a: PostalAddress = {};
  for (const k of ['subBuilding', 'buildingName', 'buildingNumber', 'street', 'locality', 'town', 'postcode'] as const) if (s(f[k])) a[k] = s(f[k])!;
  const lines = ['addressLine1', 'addressLine2', 'addressLine3', 'addressLine4'].map((k) => s(f[k])).filter((v): v is string => !!v);
  if (lines.length && !a.street) a.street = lines[0]!;
  if (lines.length > 1 && !a.locality) a.locality = lines.slice(1).join(', ');
  return Object.keys(a).length ? a : null;
}

export const peopleLoader: KindLoader = {
  key: (f) => s(f.sourceId),
  required: ['sourceId', 'givenName', 'familyName'],
  async load(tx: Db, ctx, rows) {
    const withContacts = CONTACT_FIELDS.some((f) => ctx.mapped.has(f));
    const withAddress = ADDRESS_FIELDS.some((f) => ctx.mapped.has(f));
    const withHome = HOME_FIELDS.some((f) => ctx.mapped.has(f));
    const columns: BulkColumn[] = [
      ...NAME_COLUMNS.filter((c) => ctx.mapped.has(c.field)),
      ...(withContacts ? [{ column: 'contact_points', type: 'jsonb', field: 'contactPoints' } as BulkColumn] : []),
      ...(withAddress ? [{ column: 'address', type: 'jsonb', field: 'address' } as BulkColumn] : []),
      ...(withHome ? [{ column: 'home_id', type: 'uuid', field: 'homeId' } as BulkColumn] : []),
    ];
    const matches = withHome ? await matchHomes(tx, ctx.organisationId, rows.map((r) => homeNamed(r.fields))) : [];
    const results: LoadResult[] = rows.map(() => ({ outcome: 'unchanged' }));
    const bulkRows = rows.map((r, i) => {
      const f = r.fields;
      const contacts = contactPoints(f);
      const address = postalAddress(f);
      const m = matches[i];
      if (m && !m.homeId && m.named) results[i]!.review = [homeNotMatched(ctx, m.named, m.reason)];
      const values = [
        ...NAME_COLUMNS.filter((c) => ctx.mapped.has(c.field)).map((c) => (f[c.field] ?? null) as string | null),
        ...(withContacts ? [JSON.stringify(contacts)] : []),
        ...(withAddress ? [address ? JSON.stringify(address) : null] : []),
        ...(withHome ? [m?.homeId ?? null] : []),
        personSearchText({ givenName: s(f.givenName) ?? '', middleNames: s(f.middleNames), familyName: s(f.familyName) ?? '', preferredName: s(f.preferredName), contactPoints: contacts }),
      ];
      return { row: r.row, sourceId: s(f.sourceId)!, values };
    });
    const out = await bulkUpsert(tx, { organisationId: ctx.organisationId, sourceSystem: ctx.sourceSystem, importId: ctx.importId, rows: bulkRows,
      spec: { kind: 'person', table: 'people', sourceValues: true, columns, derived: [{ column: 'search_text', type: 'text', field: 'searchText' }] } });
    out.outcomes.forEach((o, i) => { results[i]!.outcome = o; });
    return results;
  },
};

/** People by their id in a source system (for tenancies, alerts and notes that name a person by it). */
export function peopleBySourceId(tx: Db, organisationId: string, sourceSystem: string, ids: string[]): Promise<Map<string, string>> {
  return recordsBySourceId(tx, organisationId, 'person', sourceSystem, ids);
}
