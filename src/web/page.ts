// What a page module needs from the web layer: the page runner's type (from the module manifest) and the id in a
// page's URL. Kept apart from pages.ts (which registers every page), so a page never imports what imports it.
import { Type } from 'typebox';
export type { PageRun } from '../platform/modules.ts';

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
