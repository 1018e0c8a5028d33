// One search box for staff: a name, an address, a postcode, a UPRN or a tenancy reference.
import type { Ctx } from '../../platform/records/context.ts';
import { searchHomes, homeRecords, formatAddress } from '../homes/index.ts';
import { searchPeople } from '../people/index.ts';
import { tenancyService } from '../tenancies/index.ts';

export const MAX_TERM = 100;

export async function search(ctx: Ctx, rawTerm: string) {
  const term = rawTerm.trim().slice(0, MAX_TERM);
  if (!term) return { term, homes: [], people: [], tenancies: [] };
  const tenancies = await tenancyService.findByReference(ctx, term);
  const tenancyHomes = await homeRecords.getMany(ctx, tenancies.map((t) => t.homeId));
  return {
    term,
    homes: await searchHomes(ctx, term, 25),
    people: await searchPeople(ctx, term, 25),
    tenancies: tenancies.map((t) => {
      const home = tenancyHomes.find((h) => h.id === t.homeId);
      return { ...t, homeAddress: home ? formatAddress(home) : null };
    }),
  };
}
