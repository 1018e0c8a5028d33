// Homes: estates, blocks and homes (UPRN, BS 7666 address). The manifest, and the public functions other modules use:
// this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { homesApi } from './api.ts';
import { HOMES_IMPORT } from './fields.ts';
import { homesLoader } from './import.ts';
import { blockChecks, homeChecks } from './quality.ts';

export const homesModule = defineModule({
  name: 'homes',
  tables,
  demo: (world, copy) => {
    copy(tables.estates, world.records('estates'), 'estate');
    copy(tables.blocks, world.records('blocks'), 'block');
    copy(tables.homes, world.records('homes'), 'home');
  },
  entityKinds: [{ kind: 'estate', label: 'Estates' }, { kind: 'block', label: 'Blocks' }, { kind: 'home', label: 'Homes' }],
  apiTags: [
    { name: 'Estates', description: 'Estates: groups of blocks and homes managed together.' },
    { name: 'Blocks', description: 'Buildings with homes in them, with the height and storeys that decide whether a block is higher-risk.' },
    { name: 'Homes', description: 'Homes, each with its UPRN and BS 7666 address.' },
  ],
  importKinds: [{ ...HOMES_IMPORT, loader: homesLoader }],
  quality: { tables: (organisationId) => [homeChecks(organisationId), blockChecks(organisationId)] },
  api: (api, { run }) => homesApi(api, run),
});

export {
  type Estate, type Block, type Home, type HomePlace, normalisePostcode, formatAddress, homeSearchText, estateRecords, blockRecords, homeRecords,
  homesOfBlock, searchHomes, homePlaces, homeJsonSql, homeLinkFieldsSql, homeIdsOnEstates,
} from './service.ts';
export { Estate as EstateSchema, Block as BlockSchema, Home as HomeSchema, presentHome } from './api.ts';
export { PROPERTY_TYPES, type PropertyType, HEIGHT_METHODS } from './codes.ts';
export { UPRN, HOME_REFERENCE, ADDRESS } from './fields.ts';
export { matchHomes, homeNamed, homeNotMatched, keepingHomeLink, type HomeMatch, type HomeNamed } from './import.ts';
export { addressLinesOf, parseAddressLines, LINE_FIELDS, type AddressParts } from './address-lines.ts';
export { linkWhenHomesArrive, type WaitingForHomes } from './waiting.ts';
export { blockFacts, type BlockFacts } from './higher-risk.ts';
export { homesForLinkage, homesNear, homeCountSql, homesFromOneSystem, homesByUprnSql, type HomeForLinkage } from './linkage.ts';
export { homeLabelByIdSql } from './quality.ts';
