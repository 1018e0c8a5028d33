// Which module loads each kind of record: the kinds modules declare (their manifests' importKinds). Ingest reads, maps
// and normalises; the owning module writes its tables.
import { importKinds, type KindLoader } from '../../platform/records/load.ts';
import type { RecordKind } from './mapping.ts';

export function loaderFor(kind: RecordKind): KindLoader {
  const loader = importKinds().find((k) => k.kind === kind)?.loader;
  if (!loader) throw new Error(`loading ${kind} is not built yet`);
  return loader;
}
