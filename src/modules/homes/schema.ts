import { pgTable, text, integer, numeric, primaryKey, foreignKey, index, uuid, jsonb } from 'drizzle-orm/pg-core';
import { recordColumns } from '../../platform/db/columns.ts';

export const estates = pgTable('estates', {
  ...recordColumns(),
  name: text('name').notNull(),
  localAuthority: text('local_authority'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  index('estates_name_idx').on(t.organisationId, t.name),
]);

/** A building containing homes (a block of flats, a converted house). */
export const blocks = pgTable('blocks', {
  ...recordColumns(),
  estateId: uuid('estate_id'),
  name: text('name').notNull(),
  /** The landlord's own block reference ("Block Ref"), when the source has one: blocks are told apart by it, not by name. */
  reference: text('reference'),
  buildingNumber: text('building_number'),
  street: text('street'),
  locality: text('locality'),
  town: text('town'),
  postcode: text('postcode'),
  storeys: integer('storeys'),
  /** Height in metres from ground level to the top floor surface of the top storey (Building Safety Act measure). */
  heightMetres: numeric('height_metres', { precision: 6, scale: 2, mode: 'number' }),
  heightSource: text('height_source'),
  heightMethod: text('height_method'), // 'measured' | 'estimated'
  yearBuilt: integer('year_built'),
  residentialUnits: integer('residential_units'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.estateId], foreignColumns: [estates.organisationId, estates.id] }),
  index('blocks_estate_idx').on(t.organisationId, t.estateId),
  index('blocks_name_idx').on(t.organisationId, t.name),
  index('blocks_reference_idx').on(t.organisationId, t.reference),
]);

/** A dwelling, identified nationally by its UPRN and addressed in the BS 7666 style (SAON / PAON / street). */
export const homes = pgTable('homes', {
  ...recordColumns(),
  uprn: text('uprn'),
  /** The landlord's own property reference ("Prop Ref"). */
  reference: text('reference'),
  subBuilding: text('sub_building'), // SAON, e.g. "Flat 12"
  buildingName: text('building_name'), // PAON name, e.g. "Bronte House"
  buildingNumber: text('building_number'), // PAON number
  street: text('street'),
  locality: text('locality'),
  town: text('town'),
  postcode: text('postcode'),
  /** The address as the source recorded it (its address lines, or one address field), kept beside the parsed parts. */
  addressLines: jsonb('address_lines').$type<string[]>(),
  propertyType: text('property_type').notNull(),
  bedrooms: integer('bedrooms'),
  floor: integer('floor'),
  blockId: uuid('block_id'),
  estateId: uuid('estate_id'),
  /** Where the home is (WGS84), when known: imported or from the demo; used for travel estimates between jobs. */
  latitude: numeric('latitude', { precision: 9, scale: 6, mode: 'number' }),
  longitude: numeric('longitude', { precision: 9, scale: 6, mode: 'number' }),
  /** Lower-case address words for search, kept by the service on every write. */
  searchText: text('search_text').notNull().default(''),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.blockId], foreignColumns: [blocks.organisationId, blocks.id] }),
  foreignKey({ columns: [t.organisationId, t.estateId], foreignColumns: [estates.organisationId, estates.id] }),
  index('homes_uprn_idx').on(t.organisationId, t.uprn),
  index('homes_reference_idx').on(t.organisationId, t.reference),
  index('homes_postcode_idx').on(t.organisationId, t.postcode),
  index('homes_block_idx').on(t.organisationId, t.blockId),
  index('homes_estate_idx').on(t.organisationId, t.estateId),
]);
