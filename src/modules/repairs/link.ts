// Repairs loaded before their home: a job whose home matched nothing keeps what it named (home_named) and no home, and
// is linked when that home is written (homes/waiting.ts), so its signs of damp and mould move onto the register.
// Listens for homes written: the manifest's recordListeners (index.ts).
import { linkWhenHomesArrive } from '../homes/index.ts';

export const repairsWaitingForHomes = linkWhenHomesArrive({
  table: 'repairs', namedColumn: 'home_named', entityKind: 'repair', namedField: 'homeNamed', actor: 'linking repairs to homes',
});
