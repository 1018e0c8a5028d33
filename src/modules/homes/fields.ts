// The fields a file of homes can give (and the groups of fields other kinds use to name a home): what `hearth ingest`,
// the upload page and the imports API map columns onto. Loaded by import.ts.
import { importField as f, type ImportKind, type TargetField } from '../../platform/records/load.ts';
import { LINE_FIELDS } from './address-lines.ts';
import { blocks, homes } from './schema.ts';

/** An import kind without its loader (the manifest adds it). */
type ImportKindFields = Omit<ImportKind, 'loader'>;

// Groups of fields other kinds use to name a home.
export const UPRN = f('uprn', 'UPRN', 'uprn', ['unique property reference number', 'uprn number', 'uprn no', 'os uprn', 'property uprn', 'blpu uprn', 'national uprn']);
export const HOME_REFERENCE = f('homeReference', 'Property reference', 'code', ['prop ref', 'property ref', 'property reference', 'property id', 'prop id',
  'property code', 'prop code', 'home ref', 'home reference', 'home id', 'dwelling ref', 'dwelling id', 'unit ref', 'unit id', 'asset ref',
  'asset id', 'asset reference', 'place ref', 'place reference', 'location ref',
  // Seen in real exports: CORE lettings logs (propcode), Universal Housing (prop_ref), Orchard (prinx), asset systems.
  'prinx', 'propcode', 'prop no', 'property no', 'property number', 'prop number', 'property key', 'asset no', 'asset number', 'asset code',
  'unit code', 'unit reference', 'dwelling code', 'dwelling reference', 'place code', 'location code', 'property ref no', 'property ref number']);
export const ADDRESS: TargetField[] = [
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

export const HOMES_IMPORT: ImportKindFields = {
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
    // Where the home is, for travel estimates between repair visits (OS Open UPRN gives these for every UPRN).
    f('latitude', 'Latitude', 'number', ['lat', 'latitude', 'y coordinate wgs84', 'lat wgs84'], true),
    f('longitude', 'Longitude', 'number', ['lon', 'long', 'lng', 'longitude', 'x coordinate wgs84', 'long wgs84'], true),
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
  identity: 'reference',
  // A home is known by its reference, UPRN and address.
  identifying: ['reference', 'uprn', 'subBuilding', 'buildingName', 'buildingNumber', 'street', 'locality', 'town', 'postcode', ...LINE_FIELDS],
  position: 10,
  // Address lines are parsed into the address fields and kept as written; the block and estate named are found or made
  // (blocks, estates) and linked by id; building facts are the block's.
  stores: { table: homes, otherwise: { ...Object.fromEntries(LINE_FIELDS.map((f) => [f, homes.addressLines])),
    blockName: homes.blockId, blockReference: homes.blockId, estateName: homes.estateId, estateReference: homes.estateId,
    residentialUnits: blocks.residentialUnits, storeys: blocks.storeys, heightMetres: blocks.heightMetres, yearBuilt: blocks.yearBuilt } },
};
