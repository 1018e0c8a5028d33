// Record linkage of homes: which home rows (one per source system and reference) are one real home. Deterministic,
// no model: a home has a national identifier (UPRN) and an address a machine can compare exactly, so nothing here
// is a guess.
//  1. The same UPRN is the same home, whatever the address says.
//  2. Where one or both have no UPRN: the same postcode and the same normalised address words (homes/import.ts
//     addressWords: case, punctuation, accents and usual abbreviations do not matter; the words and their order do).
//  3. Never two different UPRNs in one home; never a guess: an address shared by homes with two different UPRNs, or
//     by two homes of one source system, is ambiguous, and the homes there without a UPRN are left on their own.
// Rows of one source system are linked by address only to rows of other systems (a system's two references at one
// address are two things by its own account); by UPRN always.
import type { HomeForLinkage } from '../homes/index.ts';

export type HomeHow = 'uprn' | 'address' | 'alone';
export interface HomeClusterRow { homeId: string; clusterId: string; how: HomeHow }

export const addressKey = (h: Pick<HomeForLinkage, 'postcode' | 'words'>): string | null => (h.postcode && h.words.length ? `${h.postcode}|${h.words.join(' ')}` : null);

/** Cluster homes by the rules above. Every home gets a row; a cluster is named by its smallest home id. */
export function clusterHomes(homes: HomeForLinkage[]): HomeClusterRow[] {
  const parent = new Map(homes.map((h) => [h.id, h.id]));
  const find = (x: string): string => { let r = x; while (parent.get(r) !== r) r = parent.get(r)!; parent.set(x, r); return r; };
  const join = (a: string, b: string) => { const [ra, rb] = [find(a), find(b)]; if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb); };
  const how = new Map<string, HomeHow>();

  const byUprn = new Map<string, HomeForLinkage[]>();
  for (const h of homes) if (h.uprn) { const g = byUprn.get(h.uprn); if (g) g.push(h); else byUprn.set(h.uprn, [h]); }
  for (const group of byUprn.values()) {
    if (group.length < 2) continue;
    for (const h of group) { join(group[0]!.id, h.id); how.set(h.id, 'uprn'); }
  }

  const byAddress = new Map<string, HomeForLinkage[]>();
  for (const h of homes) {
    const key = addressKey(h);
    if (!key) continue;
    const g = byAddress.get(key);
    if (g) g.push(h); else byAddress.set(key, [h]);
  }
  for (const group of byAddress.values()) {
    if (group.length < 2) continue;
    const uprns = new Set(group.map((h) => h.uprn).filter(Boolean));
    if (uprns.size > 1) continue; // two different homes by their UPRNs: which one a home without a UPRN is, is a guess
    const perSystem = new Map<string, number>();
    for (const h of group) perSystem.set(h.sourceSystem, (perSystem.get(h.sourceSystem) ?? 0) + 1);
    if ([...perSystem.values()].some((n) => n > 1)) continue; // one system has two homes here: ambiguous
    const withoutUprn = group.filter((h) => !h.uprn);
    if (!withoutUprn.length) continue; // all have the one UPRN: already joined
    const anchor = group.find((h) => h.uprn) ?? withoutUprn[0]!;
    for (const h of withoutUprn) {
      if (h.id === anchor.id) continue;
      join(anchor.id, h.id);
      how.set(h.id, 'address');
    }
    if (!how.has(anchor.id)) how.set(anchor.id, 'address');
  }

  const members = new Map<string, string[]>();
  for (const h of homes) { const r = find(h.id); const m = members.get(r); if (m) m.push(h.id); else members.set(r, [h.id]); }
  return homes.map((h) => {
    const m = members.get(find(h.id))!;
    return { homeId: h.id, clusterId: find(h.id), how: m.length === 1 ? 'alone' : how.get(h.id) ?? 'address' };
  });
}
