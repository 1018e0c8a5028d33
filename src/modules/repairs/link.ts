// Repairs loaded before their home: a job whose home matched nothing keeps what it named (home_named) and no home, and
// is linked when that home is written (homes/waiting.ts), so its signs of damp and mould move onto the register.
import { onRecordsWritten } from '../../platform/records/events.ts';
import { linkWhenHomesArrive } from '../homes/waiting.ts';

const homesWritten = linkWhenHomesArrive({
  table: 'repairs', namedColumn: 'home_named', entityKind: 'repair', namedField: 'homeNamed', actor: 'linking repairs to homes',
});

/** Listen for homes being written (safe to call again: a listener is registered once). */
export function linkRepairsWhenHomesArrive(): void {
  onRecordsWritten('home', homesWritten);
}
linkRepairsWhenHomesArrive();
