import { Type } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { presentRecord, recordRoutes, type Run } from '../../platform/records/api.ts';
import { recordFields, pageQuery, line, lineText, nullable, codeList as codes, postcodeOut as postcode, postcodeIn, referencesIn as refsIn, idRef as id, storedCode, strict } from '../../platform/http/schemas.ts';
import { UPRN_PATTERN } from '../../platform/http/formats.ts';
import { PROPERTY_TYPES, HEIGHT_METHODS } from './codes.ts';
import { estateRecords, blockRecords, homeRecords } from './service.ts';

// ---- Estates
// Names and address parts are single lines (schemas.ts line/lineText): no control characters or direction overrides.
const estateFields = { name: line(200, { minLength: 1 }), localAuthority: lineText(200) };
export const Estate = Type.Object({ ...recordFields, ...estateFields }, { $id: 'Estate' });

// ---- Blocks
const blockFields = {
  name: line(200, { minLength: 1, description: 'Building name, e.g. "Bronte House"' }),
  reference: lineText(50, "The landlord's own block reference: blocks are told apart by it, as many share a name"),
  estateId: id('The estate the block is on'),
  buildingNumber: lineText(20), street: lineText(200), locality: lineText(200), town: lineText(100),
  storeys: nullable(Type.Integer({ minimum: 1, maximum: 150, description: 'Storeys above ground' })),
  heightMetres: nullable(Type.Number({ minimum: 0, maximum: 1000, description: 'Height in metres (Building Safety Act measure)' })),
  heightSource: lineText(200, 'Where the height came from, e.g. "Fire risk assessment 2024"'),
  heightMethod: nullable(codes(HEIGHT_METHODS, 'Whether the height was measured or estimated')),
  yearBuilt: nullable(Type.Integer({ minimum: 1000, maximum: 2100 })),
  residentialUnits: nullable(Type.Integer({ minimum: 0, maximum: 10000 })),
};
export const Block = Type.Object({ ...recordFields, ...blockFields, postcode }, { $id: 'Block' });

// ---- Homes
const homeFields = {
  uprn: nullable(Type.String({ pattern: UPRN_PATTERN, description: 'Unique Property Reference Number: 1 to 12 digits' })),
  reference: lineText(50, "The landlord's own property reference"),
  subBuilding: lineText(100, 'Flat or unit (BS 7666 SAON), e.g. "Flat 12"'),
  buildingName: lineText(200, 'Building name (BS 7666 PAON)'),
  buildingNumber: lineText(20, 'Building number (BS 7666 PAON)'),
  street: lineText(200), locality: lineText(200), town: lineText(100),
  addressLines: nullable(Type.Array(line(500), { maxItems: 10, description: 'The address as the source recorded it (its address lines, or one address field), kept beside the parts parsed from it' })),
  propertyType: codes(PROPERTY_TYPES, 'Property type'),
  bedrooms: nullable(Type.Integer({ minimum: 0, maximum: 20 })),
  floor: nullable(Type.Integer({ minimum: -5, maximum: 150, description: '0 is the ground floor' })),
  blockId: id('The block the home is in'),
  estateId: id('The estate the home is on'),
  latitude: nullable(Type.Number({ minimum: 49, maximum: 61, description: 'Latitude (WGS84) of the home, for travel estimates between jobs' })),
  longitude: nullable(Type.Number({ minimum: -9, maximum: 2.5, description: 'Longitude (WGS84) of the home' })),
};
export const Home = Type.Object({ ...recordFields, ...homeFields, postcode }, { $id: 'Home' });
/** A home as the API returns it: without the search words the service keeps for itself. */
export const presentHome = <T extends { searchText: unknown; propertyType: string; createdAt: Date; updatedAt: Date }>({ searchText: _s, ...h }: T) =>
  ({ ...presentRecord(h), propertyType: storedCode(PROPERTY_TYPES, h.propertyType) });
/** A block as the API returns it: its height method (stored as text) as one of the codes. */
const presentBlock = <T extends { heightMethod: string | null; createdAt: Date; updatedAt: Date }>(b: T) =>
  ({ ...presentRecord(b), heightMethod: b.heightMethod === null ? null : storedCode(HEIGHT_METHODS, b.heightMethod) });

export function homesApi(app: TypedFastify, run: Run) {
  recordRoutes(app, run, {
    path: '/estates', tag: 'Estates', name: 'estate', service: estateRecords, record: Estate, present: presentRecord,
    create: Type.Object({ ...estateFields, sourceReferences: refsIn }, strict),
    update: Type.Partial(Type.Object(estateFields), strict),
    query: Type.Object({ ...pageQuery, name: Type.Optional(Type.String({ maxLength: 200 })) }, strict),
  });
  recordRoutes(app, run, {
    path: '/blocks', tag: 'Blocks', name: 'block', service: blockRecords, record: Block, present: presentBlock,
    create: Type.Object({ ...blockFields, postcode: postcodeIn, sourceReferences: refsIn }, strict),
    update: Type.Partial(Type.Object({ ...blockFields, postcode: postcodeIn }), strict),
    query: Type.Object({
      ...pageQuery, estateId: Type.Optional(Type.String({ format: 'uuid' })), name: Type.Optional(Type.String({ maxLength: 200 })),
      minStoreys: Type.Optional(Type.Integer({ minimum: 1, maximum: 150, description: 'Blocks with at least this many storeys' })),
    }, strict),
  });
  recordRoutes(app, run, {
    path: '/homes', tag: 'Homes', name: 'home', service: homeRecords, record: Home,
    present: presentHome,
    create: Type.Object({ ...homeFields, postcode: postcodeIn, sourceReferences: refsIn }, strict),
    update: Type.Partial(Type.Object({ ...homeFields, postcode: postcodeIn }), strict),
    query: Type.Object({
      ...pageQuery,
      uprn: Type.Optional(Type.String({ pattern: UPRN_PATTERN })),
      reference: Type.Optional(Type.String({ maxLength: 50 })),
      postcode: Type.Optional(Type.String({ format: 'uk-postcode' })),
      blockId: Type.Optional(Type.String({ format: 'uuid' })),
      estateId: Type.Optional(Type.String({ format: 'uuid' })),
      propertyType: Type.Optional(codes(PROPERTY_TYPES, 'Property type')),
    }, strict),
  });
}
