// Which module loads each kind of record. Ingest reads, maps and normalises; the owning module writes its tables.
import type { KindLoader } from '../../platform/records/load.ts';
import { homesLoader } from '../homes/import.ts';
import { tenanciesLoader } from '../tenancies/import.ts';
import { peopleLoader } from '../people/import.ts';
import { alertsLoader } from '../people/alerts-import.ts';
import { repairsLoader } from '../repairs/import.ts';
import { notesLoader } from '../notes/import.ts';
import type { RecordKind } from './mapping.ts';

const LOADERS: Partial<Record<RecordKind, KindLoader>> = {
  homes: homesLoader,
  people: peopleLoader,
  tenancies: tenanciesLoader,
  alerts: alertsLoader,
  repairs: repairsLoader,
  notes: notesLoader,
};

export function loaderFor(kind: RecordKind): KindLoader {
  const loader = LOADERS[kind];
  if (!loader) throw new Error(`loading ${kind} is not built yet`);
  return loader;
}
