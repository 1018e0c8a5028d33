// Record linkage of people: storage and product. Each person row is one source record; linkage groups the rows that
// are one real person into a cluster (person_clusters), whose golden record is derived field by field from its
// records (survivorship: most trusted source, then most recent, then most complete), every value with its source.
// The engine (engine/, pure) scores pairs and clusters; this module reads its input, stores its output, queues
// doubtful pairs for a data lead, and applies their decisions (a rejected pair is never linked again).
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db, Store } from '../../platform/db/store.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { audit } from '../../platform/audit/service.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { forbidden, notFound, Problem } from '../../platform/http/problem.ts';
import { isoTimestamp } from '../../platform/db/json.ts';
import { peopleForLinkageSql, type PersonLinkageRow, type PersonValues, peopleWithIds, peopleSharingSql, personValuesJsonSql } from '../people/index.ts';
import { homeLabelByIdSql, homeLinkFieldsSql, homesForLinkage, homesNear, homeCountSql, homesFromOneSystem, homesByUprnSql } from '../homes/index.ts';
import { linkPeople, explain, contradicts, pairScorer } from './engine/index.ts';
import { cluster } from './engine/cluster.ts';
import { prepare } from './engine/compare.ts';
import { personClusters, linkReviews, linkModels, homeClusters } from './schema.ts';
import { auditEvents } from '../../platform/audit/schema.ts';
import { clusterHomes, type HomeClusterRow } from './homes.ts';
import type { PairDecision, PersonRecord, ScoredPair } from './types.ts';

export type LinkModel = Parameters<typeof explain>[2];
export type LinkReview = typeof linkReviews.$inferSelect;

/** A pair scoring at least this is linked without asking; from REVIEW_AT up to it, a data lead decides. */
export const LINK_AT = 0.99;
export const REVIEW_AT = 0.5;
/** The match weight of REVIEW_AT (log2 odds): pairs below it are not kept. */
const REVIEW_WEIGHT = Math.log2(REVIEW_AT / (1 - REVIEW_AT));

// ---- Reading the engine's input -------------------------------------------------------------------------------

/** A person as peopleForLinkageSql gives it (fields and types the people table's), with its home and source. */
interface InputRow extends PersonLinkageRow {
  home: { uprn: string | null; postcode: string | null; address: string | null } | null; source_system: string | null;
}

const words = (...parts: (string | null | undefined)[]) => parts.filter((p) => p && p.trim()).join(' ').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim() || null;

function toRecord(r: InputRow): PersonRecord {
  const contacts = r.contactPoints ?? [];
  const a = r.address;
  return {
    id: r.id, sourceSystem: r.source_system ?? 'hearth',
    givenName: r.givenName, middleNames: r.middleNames, familyName: r.familyName,
    dateOfBirth: r.dateOfBirth ? String(r.dateOfBirth).slice(0, 10) : null,
    uprn: r.home?.uprn ?? null,
    postcode: r.home?.postcode ?? a?.postcode ?? null,
    address: r.home?.address || (a ? words(a.subBuilding, a.buildingName, a.buildingNumber, a.street) : null),
    phone: contacts.find((c) => c.system === 'phone')?.value ?? null,
    email: contacts.find((c) => c.system === 'email')?.value?.toLowerCase() ?? null,
  };
}

/** People of the organisation as engine records (with their home's UPRN, postcode and address, and source system). */
async function readRecords(tx: Db, organisationId: string, where?: SQL): Promise<PersonRecord[]> {
  return (await readRows(tx, organisationId, where)).map(toRecord);
}

async function readRows(tx: Db, organisationId: string, where?: SQL): Promise<InputRow[]> {
  const org = sql`${organisationId}::uuid`;
  const rows = await tx.execute(sql`select x.*, ${homeLinkFieldsSql(org, sql`x."homeId"`)} as home,
      (select sr.source_system from source_references sr where sr.organisation_id = ${org} and sr.entity_kind = 'person' and sr.record_id = x.id
        order by sr.last_seen_at desc, sr.source_system limit 1) as source_system
    from (${peopleForLinkageSql(org, where)}) x order by x.id`);
  return rows.rows as unknown as InputRow[];
}

async function readDecisions(tx: Db, organisationId: string): Promise<PairDecision[]> {
  const rows = await tx.select({ a: linkReviews.aId, b: linkReviews.bId, status: linkReviews.status }).from(linkReviews)
    .where(and(eq(linkReviews.organisationId, organisationId), inArray(linkReviews.status, ['accepted', 'rejected'])));
  return rows.map((r) => ({ a: r.a, b: r.b, decision: r.status as PairDecision['decision'] }));
}

const ordered = (a: string, b: string): [string, string] => (a < b ? [a, b] : [b, a]);

// ---- Clustering small sets (a cluster and its neighbours) with the engine's clustering -------------------------

/** A stand-in for a record that is no longer there to read (it contradicts nothing). */
const blankRecord = (id: string): PersonRecord => ({ id, sourceSystem: 'hearth', givenName: null, familyName: null, dateOfBirth: null });

/**
 * Groups records as a full run does (engine/cluster.ts): accepted pairs join first, then the clusters kept from
 * before (`kept`: incremental linking), then the scored pairs at LINK_AT or above, strongest first — never across a
 * rejected pair, and never putting together records that contradict (two people of one household). Each group is
 * named by its smallest id. Also returns the pairs at LINK_AT or above whose merge was refused (for review).
 */
function clusterRecords(records: PersonRecord[], pairs: ScoredPair[], decisions: PairDecision[], kept: string[][] = []): { clusters: string[][]; refused: ScoredPair[] } {
  const index = new Map(records.map((r, i) => [r.id, i]));
  const indexed = (list: { a: string; b: string }[]) => list.filter((x) => index.has(x.a) && index.has(x.b)).map((x): [number, number] => [index.get(x.a)!, index.get(x.b)!]);
  const links = pairs.filter((p) => p.probability >= LINK_AT && index.has(p.a) && index.has(p.b));
  const p = prepare(records);
  const res = cluster({
    n: records.length, a: links.map((l) => index.get(l.a)!), b: links.map((l) => index.get(l.b)!), weight: links.map((l) => l.weight), count: links.length,
    matchWeight: -Infinity, // the links are chosen above, by probability
    accepted: indexed(decisions.filter((d) => d.decision === 'accepted')), rejected: indexed(decisions.filter((d) => d.decision === 'rejected')),
    kept: indexed(kept.flatMap((g) => g.slice(1).map((m) => ({ a: g[0]!, b: m })))),
    contradicts: (i, j) => contradicts(p, i, j),
  });
  const groups = new Map<number, string[]>();
  res.clusterOf.forEach((c, i) => (groups.get(c) ?? groups.set(c, []).get(c)!).push(records[i]!.id));
  return { clusters: [...groups.values()].map((g) => g.sort()), refused: res.refused.map((k) => links[k]!) };
}

type ClusterRow = typeof personClusters.$inferInsert;

function clusterRows(organisationId: string, clusters: string[][], decisions: PairDecision[]): ClusterRow[] {
  const acceptedIds = new Set(decisions.filter((d) => d.decision === 'accepted').flatMap((d) => [d.a, d.b]));
  return clusters.flatMap((c) => {
    const clusterId = [...c].sort()[0]!;
    return c.map((personId) => ({ organisationId, personId, clusterId, how: c.length === 1 ? 'alone' : acceptedIds.has(personId) ? 'accepted' : 'auto' }));
  });
}

async function writeClusters(tx: Db, rows: ClusterRow[]) {
  for (let i = 0; i < rows.length; i += 2000) {
    await tx.insert(personClusters).values(rows.slice(i, i + 2000)).onConflictDoUpdate({
      target: [personClusters.organisationId, personClusters.personId],
      set: { clusterId: sql`excluded.cluster_id`, how: sql`excluded.how`, linkedAt: sql`excluded.linked_at` },
    });
  }
}

/** Queue doubtful pairs for review; pairs already decided (or already pending) are kept as they are. */
async function queueReviews(tx: Db, organisationId: string, pairs: ScoredPair[]) {
  const rows = pairs.map((p) => {
    const [a, b] = ordered(p.a, p.b);
    return { organisationId, aId: a, bId: b, weight: p.weight, probability: p.probability, comparisons: p.comparisons, status: 'pending' };
  });
  for (let i = 0; i < rows.length; i += 1000) {
    await tx.insert(linkReviews).values(rows.slice(i, i + 1000)).onConflictDoUpdate({
      target: [linkReviews.organisationId, linkReviews.aId, linkReviews.bId],
      set: { weight: sql`excluded.weight`, probability: sql`excluded.probability`, comparisons: sql`excluded.comparisons` },
      setWhere: eq(linkReviews.status, 'pending'),
    });
  }
}

// ---- Whole-organisation run ------------------------------------------------------------------------------------

export interface LinkSummary {
  organisationId: string;
  records: number;
  people: number;
  /** Clusters of two or more source records. */
  linkedPeople: number;
  /** Pairs of records linked (scored and put in one cluster, or accepted). */
  pairsLinked: number;
  forReview: number;
  /** Home rows (one per source system and reference), the real homes they are, and those found in 2 or more rows. */
  homeRecords: number;
  homes: number;
  linkedHomes: number;
  millis: number;
}

export type LinkProgress = (stage: 'reading' | 'linking' | 'writing' | 'done', done: number, total: number) => void;

/**
 * Link every person of the organisation afresh: train the model, score, cluster (respecting every decision), and
 * replace the clusters and the pending reviews in one transaction. Decided pairs are kept. Idempotent.
 */
export async function relinkAll(store: Store, organisationId: string, onProgress?: LinkProgress): Promise<LinkSummary> {
  const t0 = performance.now();
  onProgress?.('reading', 0, 4);
  const { records, decisions } = await store.withOrg(organisationId, async (tx) => ({
    records: await readRecords(tx, organisationId), decisions: await readDecisions(tx, organisationId),
  }));
  onProgress?.('linking', 1, 4);
  // With no people there is nothing to train on: no model is kept, so the next import of people runs this again.
  const result = records.length ? linkPeople(records, { decisions, matchThreshold: LINK_AT, reviewThreshold: REVIEW_AT })
    : { model: null, clusters: [] as string[][], pairs: [] as ScoredPair[], review: [] as ScoredPair[], stats: null };
  const ids = new Set(records.map((r) => r.id));
  // The engine's clusters, with any record it left out on its own.
  const clustered = new Set(result.clusters.flat());
  const clusters = [...result.clusters.map((c) => c.filter((id) => ids.has(id))).filter((c) => c.length), ...records.filter((r) => !clustered.has(r.id)).map((r) => [r.id])];
  const clusterOf = new Map(clusters.flatMap((c) => c.map((id) => [id, c] as const)));
  const pairsLinked = result.pairs.filter((p) => clusterOf.get(p.a) === clusterOf.get(p.b)).length;
  const review = result.review.filter((p) => ids.has(p.a) && ids.has(p.b));
  onProgress?.('writing', 2, 4);
  const systems = countBy(records.map((r) => r.sourceSystem));
  const stats = {
    records: records.length, people: clusters.length, linkedPeople: clusters.filter((c) => c.length > 1).length,
    clustersOf2: clusters.filter((c) => c.length >= 2).length, clustersOf3: clusters.filter((c) => c.length >= 3).length,
    pairsLinked, forReview: 0, systems, engine: result.stats as unknown, millis: 0,
    homeRecords: 0, homes: 0, linkedHomes: 0,
  };
  const forReview = await store.withOrg(organisationId, async (tx) => {
    await tx.delete(personClusters).where(eq(personClusters.organisationId, organisationId));
    await writeClusters(tx, clusterRows(organisationId, clusters, decisions));
    await tx.delete(linkReviews).where(and(eq(linkReviews.organisationId, organisationId), eq(linkReviews.status, 'pending')));
    await queueReviews(tx, organisationId, review);
    const [{ n }] = (await tx.execute(sql`select count(*)::int as n from link_reviews where organisation_id = ${organisationId} and status = 'pending'`)).rows as [{ n: number }];
    stats.forReview = n;
    Object.assign(stats, await relinkHomes(linkerCtx(tx, organisationId)));
    stats.millis = Math.round(performance.now() - t0);
    await tx.insert(linkModels).values({ organisationId, model: result.model, trainedAt: sql`now()`, stats })
      .onConflictDoUpdate({ target: linkModels.organisationId, set: { model: result.model, trainedAt: sql`excluded.trained_at`, stats } });
    return n;
  });
  onProgress?.('done', 4, 4);
  return { organisationId, records: records.length, people: clusters.length, linkedPeople: stats.linkedPeople, pairsLinked, forReview,
    homeRecords: stats.homeRecords, homes: stats.homes, linkedHomes: stats.linkedHomes, millis: Math.round(performance.now() - t0) };
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

// ---- Incremental linking -------------------------------------------------------------------------------------

/** Linkage run by Hearth itself (a full run, after an import): the context its services take. */
const linkerCtx = (tx: Db, organisationId: string): Ctx => ({ actor: systemActor(organisationId, 'record linkage'), tx });

async function storedModel(tx: Db, organisationId: string): Promise<LinkModel | undefined> {
  const [row] = await tx.select({ model: linkModels.model }).from(linkModels).where(eq(linkModels.organisationId, organisationId));
  return (row?.model ?? undefined) as LinkModel | undefined;
}

/**
 * Link new person records with the stored model (nothing happens before linkage has first run): each is scored
 * against the records that share a date of birth, family name or home with it, joins the cluster(s) it matches
 * (clustered as a full run does: never against a rejected pair, never chaining two people of one household) or
 * starts its own, and doubtful pairs and refused merges are queued for review. `linked`: pairs at LINK_AT or above
 * that ended in one cluster.
 */
export async function linkNew(ctx: Ctx, personIds: string[]): Promise<{ linked: number; forReview: number }> {
  requireWrite(ctx);
  const { tx } = ctx, organisationId = ctx.actor.organisationId;
  if (!personIds.length) return { linked: 0, forReview: 0 };
  const model = await storedModel(tx, organisationId);
  if (!model) return { linked: 0, forReview: 0 };
  let linked = 0;
  let forReview = 0;
  for (let i = 0; i < personIds.length; i += 500) {
    const freshRows = await readRows(tx, organisationId, peopleWithIds(personIds.slice(i, i + 500)));
    if (!freshRows.length) continue;
    const fresh = freshRows.map(toRecord);
    const homeIds = [...new Set(freshRows.map((r) => r.homeId).filter((h): h is string => !!h))];
    const candidateRows = await readRows(tx, organisationId, peopleSharingSql({
      datesOfBirth: [...new Set(fresh.map((r) => r.dateOfBirth).filter((d): d is string => !!d))],
      familyNames: [...new Set(fresh.map((r) => r.familyName).filter((n): n is string => !!n))], homeIds,
    }));
    // The new records and their candidates, prepared once. Each new record is scored against the records sharing its
    // date of birth, family name or home (not every candidate of the batch), and a pair's explanation is made only
    // if it is queued for review.
    const freshIds = new Set(fresh.map((r) => r.id));
    const rows = [...freshRows, ...candidateRows.filter((c) => !freshIds.has(c.id))];
    const records = [...fresh, ...rows.slice(fresh.length).map(toRecord)];
    const keysOf = (k: number) => {
      const r = records[k]!;
      return [r.dateOfBirth && `d ${r.dateOfBirth}`, r.familyName && `f ${r.familyName.toLowerCase()}`, rows[k]!.homeId && `h ${rows[k]!.homeId}`];
    };
    const sharing = new Map<string, number[]>();
    for (let k = 0; k < records.length; k++) for (const key of keysOf(k)) if (key) (sharing.get(key) ?? sharing.set(key, []).get(key)!).push(k);
    const scorer = pairScorer(records, model);
    const pairs: ScoredPair[] = [];
    const seen = new Set<number>();
    for (let x = 0; x < fresh.length; x++) {
      seen.clear();
      for (const key of keysOf(x)) {
        // a pair of new records once (from the first of the two); each pair once whatever it shares
        if (key) for (const y of sharing.get(key)!) if (y > x && !seen.has(y)) {
          seen.add(y);
          if (scorer.weight(x, y) >= REVIEW_WEIGHT) pairs.push(scorer.pair(x, y));
        }
      }
    }
    const involved = [...new Set([...fresh.map((r) => r.id), ...pairs.filter((p) => p.probability >= LINK_AT).flatMap((p) => [p.a, p.b])])];
    const existing = await clustersOf(tx, organisationId, involved);
    // Everything in the clusters touched, re-grouped with the new links and every decision among them.
    const memberIds = [...new Set([...involved, ...existing.map((e) => e.personId)])];
    const decisions = await decisionsAmong(tx, organisationId, memberIds);
    const byId = new Map(records.map((r) => [r.id, r]));
    const unread = memberIds.filter((id) => !byId.has(id));
    if (unread.length) for (const r of await readRecords(tx, organisationId, peopleWithIds(unread))) byId.set(r.id, r);
    const kept = new Map<string, string[]>();
    for (const e of existing) (kept.get(e.clusterId) ?? kept.set(e.clusterId, []).get(e.clusterId)!).push(e.personId);
    const { clusters, refused } = clusterRecords(memberIds.map((id) => byId.get(id) ?? blankRecord(id)), pairs, decisions, [...kept.values()]);
    await writeClusters(tx, clusterRows(organisationId, clusters, decisions));
    const clusterOf = new Map(clusters.flatMap((c) => c.map((id) => [id, c] as const)));
    const together = (p: ScoredPair) => clusterOf.has(p.a) && clusterOf.get(p.a) === clusterOf.get(p.b);
    linked += pairs.filter((p) => p.probability >= LINK_AT && together(p)).length;
    // As in a full run: doubtful pairs not already one person, and links refused because of a third record or a decision.
    const refusedSet = new Set(refused);
    const doubtful = pairs.filter((p) => !together(p) && (p.probability < LINK_AT || refusedSet.has(p)));
    await queueReviews(tx, organisationId, doubtful);
    forReview += doubtful.length;
  }
  return { linked, forReview };
}

async function clustersOf(tx: Db, organisationId: string, personIds: string[]): Promise<{ personId: string; clusterId: string }[]> {
  if (!personIds.length) return [];
  return tx.execute(sql`select c2.person_id as "personId", c2.cluster_id as "clusterId" from person_clusters c1
    join person_clusters c2 on c2.organisation_id = c1.organisation_id and c2.cluster_id = c1.cluster_id
    where c1.organisation_id = ${organisationId} and c1.person_id = any(${sql.param(personIds)}::uuid[])`).then((r) => r.rows as { personId: string; clusterId: string }[]);
}

async function decisionsAmong(tx: Db, organisationId: string, ids: string[]): Promise<PairDecision[]> {
  if (!ids.length) return [];
  const rows = await tx.select({ a: linkReviews.aId, b: linkReviews.bId, status: linkReviews.status }).from(linkReviews)
    .where(and(eq(linkReviews.organisationId, organisationId), inArray(linkReviews.status, ['accepted', 'rejected']),
      inArray(linkReviews.aId, ids), inArray(linkReviews.bId, ids)));
  return rows.map((r) => ({ a: r.a, b: r.b, decision: r.status as PairDecision['decision'] }));
}

// ---- Homes ---------------------------------------------------------------------------------------------------
// Deterministic (homes.ts): the same UPRN, or the same address within a postcode where a UPRN is missing.

async function writeHomeClusters(tx: Db, organisationId: string, rows: HomeClusterRow[]) {
  for (let i = 0; i < rows.length; i += 5000) {
    await tx.insert(homeClusters).values(rows.slice(i, i + 5000).map((r) => ({ organisationId, ...r }))).onConflictDoUpdate({
      target: [homeClusters.organisationId, homeClusters.homeId],
      set: { clusterId: sql`excluded.cluster_id`, how: sql`excluded.how`, linkedAt: sql`excluded.linked_at` },
      setWhere: sql`(${homeClusters.clusterId}, ${homeClusters.how}) is distinct from (excluded.cluster_id, excluded.how)`,
    });
  }
}

/** Link every home of the organisation afresh (in the caller's transaction). */
export async function relinkHomes(ctx: Ctx): Promise<{ homeRecords: number; homes: number; linkedHomes: number }> {
  requireWrite(ctx);
  const { tx } = ctx, organisationId = ctx.actor.organisationId;
  // A landlord's first stock list (one source system): only the UPRN rule can join homes, so the database works the
  // clusters out in one statement instead of this process holding every home (300,000 homes: 860 MB → the import's own).
  if (await homesFromOneSystem(ctx)) {
    await tx.delete(homeClusters).where(eq(homeClusters.organisationId, organisationId));
    await tx.execute(sql`insert into home_clusters (organisation_id, home_id, cluster_id, how)
      select c.organisation_id, c.home_id, c.cluster_id, c.how from (${homesByUprnSql(organisationId)}) c`);
    const [n] = (await tx.execute(sql`select count(*)::int as records, count(distinct cluster_id)::int as homes,
        count(distinct cluster_id) filter (where how <> 'alone')::int as linked
      from home_clusters where organisation_id = ${organisationId}`)).rows as { records: number; homes: number; linked: number }[];
    return { homeRecords: n!.records, homes: n!.homes, linkedHomes: n!.linked };
  }
  const rows = clusterHomes(await homesForLinkage(ctx));
  await tx.delete(homeClusters).where(eq(homeClusters.organisationId, organisationId));
  await writeHomeClusters(tx, organisationId, rows);
  const sizes = countBy(rows.map((r) => r.clusterId));
  return { homeRecords: rows.length, homes: Object.keys(sizes).length, linkedHomes: Object.values(sizes).filter((n) => n > 1).length };
}

/**
 * Link some homes (new or changed) with the homes that could be the same: those sharing a UPRN or a postcode with
 * them, and with those, until nothing new is found. The clusters of all of them are worked out again and stored.
 */
export async function linkHomesNear(ctx: Ctx, homeIds: string[]): Promise<{ homes: number; linked: number }> {
  requireWrite(ctx);
  const { tx } = ctx, organisationId = ctx.actor.organisationId;
  if (!homeIds.length) return { homes: 0, linked: 0 };
  const ids = new Set(homeIds), uprns = new Set<string>(), postcodes = new Set<string>();
  let found = await homesNear(ctx, { ids: [...ids] });
  for (let round = 0; round < 5; round++) {
    const before = uprns.size + postcodes.size;
    for (const h of found) { if (h.uprn) uprns.add(h.uprn); if (h.postcode) postcodes.add(h.postcode); }
    if (uprns.size + postcodes.size === before && round > 0) break;
    found = await homesNear(ctx, { ids: [...ids], uprns: [...uprns], postcodes: [...postcodes] });
  }
  // Homes that were in a cluster with these, whatever their address now.
  const members = found.map((h) => h.id);
  const old = (await tx.execute(sql`select distinct c2.home_id from home_clusters c1 join home_clusters c2 on c2.organisation_id = c1.organisation_id and c2.cluster_id = c1.cluster_id
    where c1.organisation_id = ${organisationId} and c1.home_id = any(${sql.param(members)}::uuid[])`)).rows.map((r) => (r as { home_id: string }).home_id);
  const missing = old.filter((id) => !members.includes(id));
  if (missing.length) found = [...found, ...await homesNear(ctx, { ids: missing })];
  const rows = clusterHomes(found);
  await writeHomeClusters(tx, organisationId, rows);
  return { homes: rows.length, linked: rows.filter((r) => ids.has(r.homeId) && r.how !== 'alone').length };
}

export interface LinkedHome { id: string; sourceSystem: string; sourceId: string; how: string }

/** The other rows of the same home: each with its source system and identifier there (the home alone: none). */
export async function linkedHomes(ctx: Ctx, homeId: string): Promise<LinkedHome[]> {
  requireRead(ctx);
  const org = ctx.actor.organisationId;
  const rows = await ctx.tx.execute(sql`select c2.home_id as id, c2.how, coalesce(sr.source_system, 'hearth') as "sourceSystem", coalesce(sr.source_id, c2.home_id::text) as "sourceId"
    from home_clusters c1 join home_clusters c2 on c2.organisation_id = c1.organisation_id and c2.cluster_id = c1.cluster_id and c2.home_id <> c1.home_id
    left join lateral (select s.source_system, s.source_id from source_references s where s.organisation_id = ${org} and s.entity_kind = 'home' and s.record_id = c2.home_id
      order by s.last_seen_at desc, s.source_system limit 1) sr on true
    where c1.organisation_id = ${org} and c1.home_id = ${homeId} order by 3, 4`);
  return rows.rows as unknown as LinkedHome[];
}

// ---- After an import ----------------------------------------------------------------------------------------

/**
 * When an import of people or homes has completed: link everything afresh if the organisation has no linkage model
 * yet, has at least twice the records of people the model was trained on (so the first files loaded are linked
 * without anyone running `hearth link`, and the model is retrained while the data is still growing fast), or the model
 * was trained on one source system's people and a second system's have come. Otherwise each batch was already linked
 * as it loaded. Returns what ran.
 */
export async function linkAfterImport(store: Store, organisationId: string, kind: string): Promise<{ ran: 'relink' | 'incremental' | 'nothing'; summary?: LinkSummary }> {
  if (kind !== 'people' && kind !== 'homes') return { ran: 'nothing' };
  const { model, trainedOn, records, secondSystem } = await store.withOrg(organisationId, async (tx) => {
    const [m] = await tx.select({ model: linkModels.model, stats: linkModels.stats }).from(linkModels).where(eq(linkModels.organisationId, organisationId));
    const [{ n }] = (await tx.execute(sql`select count(*)::int as n from (${peopleForLinkageSql(sql`${organisationId}::uuid`)}) p`)).rows as [{ n: number }];
    // A model trained on one system's records has seen no pair of records of one person (a housing system holds each
    // tenant once), so it links nothing: the first file from a second system must retrain it. Once trained across two
    // systems, a third system's records are linked as they load.
    const known = Object.keys((m?.stats as { systems?: Record<string, number> } | null)?.systems ?? {});
    const secondSystem = known.length < 2 && (await tx.execute(sql`select 1 from source_references where organisation_id = ${organisationId}
      and entity_kind = 'person' and not (source_system = any(${sql.param(known)}::text[])) limit 1`)).rows.length > 0;
    return { model: m?.model ?? null, trainedOn: Number((m?.stats as { records?: number } | null)?.records ?? 0), records: n, secondSystem };
  });
  if (model && records < 2 * trainedOn && !secondSystem) return { ran: 'incremental' };
  return { ran: 'relink', summary: await relinkAll(store, organisationId) };
}

// ---- Decisions -----------------------------------------------------------------------------------------------

function requireDecide(ctx: Ctx) {
  if (!can(ctx.actor.role, 'links:decide')) throw forbidden();
}
function requireRead(ctx: Ctx) {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
}
/** Writing links (clusters of people or homes, reviews) changes what the organisation's records say: records:write. */
function requireWrite(ctx: Ctx) {
  if (!can(ctx.actor.role, 'records:write')) throw forbidden();
}

/** The cluster of a person (or of the person whose id names a cluster); the person alone when unlinked. */
export async function clusterMembers(ctx: Ctx, id: string): Promise<{ clusterId: string; members: string[] }> {
  requireRead(ctx);
  const { tx } = ctx, organisationId = ctx.actor.organisationId;
  const rows = await tx.execute(sql`select c2.person_id, c2.cluster_id from person_clusters c1
    join person_clusters c2 on c2.organisation_id = c1.organisation_id and c2.cluster_id = c1.cluster_id
    where c1.organisation_id = ${organisationId} and (c1.person_id = ${id} or c1.cluster_id = ${id}) order by c2.person_id`);
  const list = rows.rows as { person_id: string; cluster_id: string }[];
  if (!list.length) return { clusterId: id, members: [id] };
  return { clusterId: list[0]!.cluster_id, members: [...new Set(list.map((r) => r.person_id))] };
}

async function scorePair(tx: Db, organisationId: string, a: string, b: string): Promise<ScoredPair> {
  const records = await readRecords(tx, organisationId, peopleWithIds([a, b]));
  const ra = records.find((r) => r.id === a);
  const rb = records.find((r) => r.id === b);
  if (!ra || !rb) throw notFound('person');
  const model = await storedModel(tx, organisationId);
  return model ? explain(ra, rb, model) : { a, b, weight: 0, probability: 0, comparisons: [] };
}

/**
 * A data lead's decision on a pair. Accepted: their clusters merge (and any earlier rejection between the two
 * clusters is superseded). Rejected: if linked they are split apart, and they are never linked automatically again.
 */
export async function decide(ctx: Ctx, a: string, b: string, decision: 'accepted' | 'rejected'): Promise<{ a: string; b: string; decision: string; clusters: string[][] }> {
  requireDecide(ctx);
  if (a === b) throw new Problem(422, 'Invalid pair', 'a and b must be two different records');
  [a, b] = ordered(a, b);
  const org = ctx.actor.organisationId;
  const [existing] = await ctx.tx.select().from(linkReviews).where(and(eq(linkReviews.organisationId, org), eq(linkReviews.aId, a), eq(linkReviews.bId, b)));
  const scored = existing ?? { ...(await scorePair(ctx.tx, org, a, b)) };
  // What the decision changes, kept in its audit event so that it can be undone exactly (undoDecision).
  const beforeMembers = [...new Set([...(await clusterMembers(ctx, a)).members, ...(await clusterMembers(ctx, b)).members])];
  const before = await clusterRowsOf(ctx.tx, org, beforeMembers);
  const superseded = decision === 'accepted' ? await ctx.tx.select({ a: linkReviews.aId, b: linkReviews.bId, decidedBy: linkReviews.decidedBy, decidedAt: linkReviews.decidedAt })
    .from(linkReviews).where(and(eq(linkReviews.organisationId, org), eq(linkReviews.status, 'rejected'), inArray(linkReviews.aId, beforeMembers), inArray(linkReviews.bId, beforeMembers)))
    .then((rows) => rows.filter((r) => r.a !== a || r.b !== b).map((r) => ({ ...r, decidedAt: r.decidedAt ? r.decidedAt.toISOString() : null }))) : [];
  await ctx.tx.insert(linkReviews).values({
    organisationId: org, aId: a, bId: b, weight: scored.weight, probability: scored.probability, comparisons: scored.comparisons,
    status: decision, decidedBy: ctx.actor.name, decidedAt: sql`now()`,
  }).onConflictDoUpdate({ target: [linkReviews.organisationId, linkReviews.aId, linkReviews.bId], set: { status: decision, decidedBy: ctx.actor.name, decidedAt: sql`excluded.decided_at` } });
  const ca = await clusterMembers(ctx, a);
  const cb = await clusterMembers(ctx, b);
  let clusters: string[][];
  if (decision === 'accepted') {
    const all = [...new Set([...ca.members, ...cb.members])];
    // The lead says these are one person: rejections between the two sides no longer hold.
    await ctx.tx.update(linkReviews).set({ status: 'accepted', decidedBy: ctx.actor.name, decidedAt: sql`now()` })
      .where(and(eq(linkReviews.organisationId, org), eq(linkReviews.status, 'rejected'), inArray(linkReviews.aId, all), inArray(linkReviews.bId, all)));
    clusters = [all.sort()];
    await writeClusters(ctx.tx, clusterRows(org, clusters, [{ a, b, decision }]));
  } else if (ca.clusterId === cb.clusterId && ca.members.length > 1) {
    clusters = await recluster(ctx.tx, org, ca.members);
  } else {
    clusters = [ca.members, cb.members];
  }
  const after = await clusterRowsOf(ctx.tx, org, beforeMembers);
  await audit(ctx.tx, ctx.actor, { action: decision === 'accepted' ? 'link-accepted' : 'link-rejected', entityKind: 'person', entityId: a,
    detail: { a, b, probability: scored.probability, clusters, undo: { before, after, superseded } } });
  return { a, b, decision, clusters };
}

/** A person's cluster row as a decision found it (null: not yet linked), to put back on undo. */
interface ClusterState { personId: string; clusterId: string | null; how: string | null }

async function clusterRowsOf(tx: Db, organisationId: string, personIds: string[]): Promise<ClusterState[]> {
  const rows = await tx.select({ personId: personClusters.personId, clusterId: personClusters.clusterId, how: personClusters.how }).from(personClusters)
    .where(and(eq(personClusters.organisationId, organisationId), inArray(personClusters.personId, personIds)));
  const byId = new Map(rows.map((r) => [r.personId, r]));
  return [...personIds].sort().map((personId) => byId.get(personId) ?? { personId, clusterId: null, how: null });
}

/** The latest decision (or undo) on a pair, from the audit log: what an undo must match. */
async function lastPairEvent(tx: Db, organisationId: string, a: string, b: string) {
  const [row] = await tx.select().from(auditEvents).where(and(eq(auditEvents.organisationId, organisationId), eq(auditEvents.entityKind, 'person'),
    eq(auditEvents.entityId, a), inArray(auditEvents.action, ['link-accepted', 'link-rejected', 'link-undone']), sql`${auditEvents.detail}->>'b' = ${b}`))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id)).limit(1);
  return row;
}

/** The audit event of the decision on a pair just made (what the banner's Undo names). */
export async function lastDecisionId(ctx: Ctx, a: string, b: string): Promise<string | null> {
  requireDecide(ctx);
  [a, b] = ordered(a, b);
  const row = await lastPairEvent(ctx.tx, ctx.actor.organisationId, a, b);
  return row && row.action !== 'link-undone' ? row.id : null;
}

export type UndoOutcome = { outcome: 'undone' | 'already-undone'; decision: 'accepted' | 'rejected' };

/**
 * Undo a decision on a pair (`decisionId`: its audit event): the pair waits for a decision again, and the clusters
 * of its records (and any rejection an acceptance superseded) are put back exactly as they were before it. Undoing
 * twice does nothing more; a decision replaced since (the pair decided again, or its records linked or split since)
 * is not undone (409).
 */
export async function undoDecision(ctx: Ctx, a: string, b: string, decisionId: string): Promise<UndoOutcome> {
  requireDecide(ctx);
  [a, b] = ordered(a, b);
  const org = ctx.actor.organisationId;
  const [review] = await ctx.tx.select().from(linkReviews).where(and(eq(linkReviews.organisationId, org), eq(linkReviews.aId, a), eq(linkReviews.bId, b))).for('update');
  if (!review) throw notFound('pair');
  const [event] = await ctx.tx.select().from(auditEvents).where(and(eq(auditEvents.organisationId, org), eq(auditEvents.id, decisionId)));
  const detail = event?.detail as { a?: string; b?: string; undo?: { before: ClusterState[]; after: ClusterState[]; superseded: { a: string; b: string; decidedBy: string | null; decidedAt: string | null }[] }; undid?: string } | null;
  if (!event || !['link-accepted', 'link-rejected'].includes(event.action) || detail?.a !== a || detail?.b !== b) throw notFound('decision');
  const decision = event.action === 'link-accepted' ? 'accepted' : 'rejected';
  const last = await lastPairEvent(ctx.tx, org, a, b);
  if (last?.action === 'link-undone' && (last.detail as { undid?: string } | null)?.undid === decisionId && review.status === 'pending') return { outcome: 'already-undone', decision };
  const since = (why: string) => new Problem(409, 'Decision changed since', why);
  if (last?.id !== decisionId || review.status !== decision) {
    throw since(review.status === 'pending' ? 'This decision has already been undone and the pair is waiting for a decision again.'
      : `${review.decidedBy ?? 'Someone'} has decided this pair again since, so your decision cannot be undone. Open the pair to see the decision now.`);
  }
  const undo = detail.undo;
  if (!undo) throw since('This decision was made before decisions could be undone. Decide the pair again instead.');
  const now = await clusterRowsOf(ctx.tx, org, undo.after.map((r) => r.personId));
  const members = await clustersOf(ctx.tx, org, undo.after.map((r) => r.personId));
  const key = (rows: { personId: string; clusterId: string | null }[]) => JSON.stringify(rows.map((r) => [r.personId, r.clusterId]).sort());
  if (key(now) !== key(undo.after) || members.some((m) => !undo.after.some((r) => r.personId === m.personId))) {
    throw since('These records have been linked or split since, so the decision cannot be undone. Decide the pair again instead.');
  }
  await ctx.tx.update(linkReviews).set({ status: 'pending', decidedBy: null, decidedAt: null })
    .where(and(eq(linkReviews.organisationId, org), eq(linkReviews.aId, a), eq(linkReviews.bId, b)));
  for (const s of undo.superseded) {
    await ctx.tx.update(linkReviews).set({ status: 'rejected', decidedBy: s.decidedBy, decidedAt: s.decidedAt ? new Date(s.decidedAt) : null })
      .where(and(eq(linkReviews.organisationId, org), eq(linkReviews.aId, s.a), eq(linkReviews.bId, s.b), eq(linkReviews.status, 'accepted')));
  }
  const unlinked = undo.before.filter((r) => r.clusterId === null).map((r) => r.personId);
  if (unlinked.length) await ctx.tx.delete(personClusters).where(and(eq(personClusters.organisationId, org), inArray(personClusters.personId, unlinked)));
  const restore = undo.before.filter((r) => r.clusterId !== null).map((r) => ({ organisationId: org, personId: r.personId, clusterId: r.clusterId!, how: r.how! }));
  if (restore.length) await writeClusters(ctx.tx, restore);
  await audit(ctx.tx, ctx.actor, { action: 'link-undone', entityKind: 'person', entityId: a,
    detail: { a, b, undid: decisionId, decision, clusters: undo.before } });
  return { outcome: 'undone', decision };
}

/**
 * Re-group the members of one cluster after a rejection: score every pair among them and cluster them as a full run
 * does (never across a rejected pair, never two records that contradict).
 */
async function recluster(tx: Db, organisationId: string, members: string[]): Promise<string[][]> {
  const read = new Map((await readRecords(tx, organisationId, peopleWithIds(members))).map((r) => [r.id, r]));
  const records = members.map((id) => read.get(id) ?? blankRecord(id));
  const model = await storedModel(tx, organisationId);
  const pairs: ScoredPair[] = [];
  if (model) {
    const scorer = pairScorer(records, model);
    for (let i = 0; i < records.length; i++) for (let j = i + 1; j < records.length; j++) if (scorer.weight(i, j) >= REVIEW_WEIGHT) pairs.push(scorer.pair(i, j));
  }
  const decisions = await decisionsAmong(tx, organisationId, members);
  const { clusters } = clusterRecords(records, pairs, decisions);
  await writeClusters(tx, clusterRows(organisationId, clusters, decisions));
  return clusters;
}

/** Take a record out of its cluster: it is rejected against every other member (undo: accept it with one again). */
export async function split(ctx: Ctx, personId: string): Promise<{ personId: string; from: string[] }> {
  requireDecide(ctx);
  const org = ctx.actor.organisationId;
  const { members } = await clusterMembers(ctx, personId);
  const others = members.filter((m) => m !== personId);
  if (!others.length) return { personId, from: [] };
  const model = await storedModel(ctx.tx, org);
  const records = model ? await readRecords(ctx.tx, org, peopleWithIds(members)) : [];
  const me = records.find((r) => r.id === personId);
  const rows = others.map((o) => {
    const [a, b] = ordered(personId, o);
    const other = records.find((r) => r.id === o);
    const s = me && other && model ? explain(me, other, model) : { weight: 0, probability: 0, comparisons: [] };
    return { organisationId: org, aId: a, bId: b, weight: s.weight, probability: s.probability, comparisons: s.comparisons, status: 'rejected', decidedBy: ctx.actor.name, decidedAt: sql`now()` };
  });
  await ctx.tx.insert(linkReviews).values(rows).onConflictDoUpdate({
    target: [linkReviews.organisationId, linkReviews.aId, linkReviews.bId], set: { status: 'rejected', decidedBy: ctx.actor.name, decidedAt: sql`excluded.decided_at` },
  });
  await recluster(ctx.tx, org, members);
  await audit(ctx.tx, ctx.actor, { action: 'link-split', entityKind: 'person', entityId: personId, detail: { from: others } });
  return { personId, from: others };
}

// ---- Reviews -------------------------------------------------------------------------------------------------

export async function listReviews(ctx: Ctx, status: 'pending' | 'accepted' | 'rejected' = 'pending', limit = 100): Promise<LinkReview[]> {
  requireRead(ctx);
  // Most doubtful first: the probability nearest one half.
  return ctx.tx.select().from(linkReviews).where(and(eq(linkReviews.organisationId, ctx.actor.organisationId), eq(linkReviews.status, status)))
    .orderBy(status === 'pending' ? sql`abs(${linkReviews.probability} - 0.5)` : desc(linkReviews.decidedAt), asc(linkReviews.aId), asc(linkReviews.bId)).limit(limit);
}

export async function getReview(ctx: Ctx, a: string, b: string) {
  requireRead(ctx);
  [a, b] = ordered(a, b);
  const org = ctx.actor.organisationId;
  const [row] = await ctx.tx.select().from(linkReviews).where(and(eq(linkReviews.organisationId, org), eq(linkReviews.aId, a), eq(linkReviews.bId, b)));
  if (!row) throw notFound('pair');
  const records = await linkedRecords(ctx, [a, b]);
  // What linkage compared (the home's address where the person has one), to say which side is missing a field.
  const compared = await readRecords(ctx.tx, org, peopleWithIds([a, b]));
  const names = await namesOf(ctx.tx, org, [a, b]);
  // A person's address is often their home's (a housing system records the tenancy, not an address).
  const homes = (await ctx.tx.execute(sql`select x.id, ${homeLabelByIdSql(org, sql`x."homeId"`)} as home
    from (${peopleForLinkageSql(sql`${org}::uuid`, peopleWithIds([a, b]))}) x`)).rows as { id: string; home: string | null }[];
  const homeOf = (id: string) => homes.find((h) => h.id === id)?.home ?? null;
  return {
    review: row, a: records.find((r) => r.id === a)!, b: records.find((r) => r.id === b)!, homes: { a: homeOf(a), b: homeOf(b) },
    compared: { a: compared.find((r) => r.id === a) ?? null, b: compared.find((r) => r.id === b) ?? null },
    names: { a: names.get(a) ?? 'Unnamed record', b: names.get(b) ?? 'Unnamed record' },
  };
}

/** Each person's name as the source recorded it ("Bob Morgan"): given and family name, no title. */
async function namesOf(tx: Db, organisationId: string, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = (await tx.execute(sql`select x.id, x."givenName", x."familyName" from (${peopleForLinkageSql(sql`${organisationId}::uuid`, peopleWithIds(ids))}) x`)).rows as
    { id: string; givenName: string | null; familyName: string | null }[];
  return new Map(rows.map((r) => [r.id, [r.givenName, r.familyName].filter((n) => n && n.trim()).join(' ')]).filter(([, n]) => n) as [string, string][]);
}

/** A pair with the two names as recorded and the two dates of birth (null when not recorded), to tell same-named records apart. */
export type NamedReview = LinkReview & { aName: string; bName: string; aBorn: string | null; bBorn: string | null };

/** Each record's date of birth as recorded (ISO), where it has one. */
async function datesOfBirthOf(tx: Db, organisationId: string, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = (await tx.execute(sql`select x.id, x."dateOfBirth"::text as born from (${peopleForLinkageSql(sql`${organisationId}::uuid`, peopleWithIds(ids))}) x`)).rows as
    { id: string; born: string | null }[];
  return new Map(rows.filter((r) => r.born).map((r) => [r.id, r.born!]));
}

/**
 * A page of the pairs waiting for a decision, most doubtful first, each with the two names as recorded, and how many
 * there are in all.
 */
export async function pendingReviews(ctx: Ctx, options: { page: number; perPage: number }): Promise<{ total: number; page: number; pages: number; perPage: number; items: NamedReview[] }> {
  requireRead(ctx);
  const org = ctx.actor.organisationId;
  const [{ n }] = (await ctx.tx.execute(sql`select count(*)::int as n from link_reviews where organisation_id = ${org} and status = 'pending'`)).rows as [{ n: number }];
  const pages = Math.max(1, Math.ceil(n / options.perPage));
  const page = Math.min(Math.max(1, Math.floor(options.page)), pages);
  const rows = await ctx.tx.select().from(linkReviews).where(and(eq(linkReviews.organisationId, org), eq(linkReviews.status, 'pending')))
    .orderBy(sql`abs(${linkReviews.probability} - 0.5)`, asc(linkReviews.aId), asc(linkReviews.bId)).limit(options.perPage).offset((page - 1) * options.perPage);
  const ids = [...new Set(rows.flatMap((r) => [r.aId, r.bId]))];
  const names = await namesOf(ctx.tx, org, ids);
  const born = await datesOfBirthOf(ctx.tx, org, ids);
  return {
    total: n, page, pages, perPage: options.perPage,
    items: rows.map((r) => ({
      ...r, aName: names.get(r.aId) ?? 'Unnamed record', bName: names.get(r.bId) ?? 'Unnamed record', aBorn: born.get(r.aId) ?? null, bBorn: born.get(r.bId) ?? null,
    })),
  };
}

/** A pair's probability in words, for staff ("Likely the same person"). */
export function likelihoodInWords(probability: number): string {
  if (probability >= 0.95) return 'Very likely the same person';
  if (probability >= 0.75) return 'Likely the same person';
  if (probability >= 0.5) return 'Possibly the same person';
  return 'Probably different people';
}

// ---- Linked records and golden records -------------------------------------------------------------------------

/** What a source record of a person says: the people module's fields (personValuesJsonSql), their types its table's. */
export type { PersonValues };
export interface LinkedRecord {
  id: string;
  sourceSystem: string;
  sourceId: string;
  lastSeenAt: string | null;
  values: PersonValues;
}

/** SQL: a SELECT of the ids of the records linked as one person with this one (itself included), for composed views. */
export function linkedPersonIdsSql(organisationId: SQL, personId: SQL): SQL {
  return sql`select ${personId} as person_id
    union select c2.person_id from person_clusters c1 join person_clusters c2 on c2.organisation_id = c1.organisation_id and c2.cluster_id = c1.cluster_id
    where c1.organisation_id = ${organisationId} and c1.person_id = ${personId}`;
}

/**
 * SQL (for the person read statement, docs/decisions/0007): the source records linked with a person — every member
 * of its cluster, or the person alone — each with its source system and id and the values it gives, as JSON.
 */
export function linkedRecordsJsonSql(organisationId: SQL, personId: SQL): SQL {
  return sql`(select coalesce(json_agg(json_build_object('id', m.person_id, 'sourceSystem', coalesce(sr.source_system, 'hearth'),
      'sourceId', coalesce(sr.source_id, m.person_id::text), 'lastSeenAt', ${isoTimestamp(sql`sr.last_seen_at`)},
      'values', ${personValuesJsonSql(organisationId, sql`m.person_id`)}) order by m.person_id), '[]'::json)
    from (${linkedPersonIdsSql(organisationId, personId)}) m
    left join lateral (select s.source_system, s.source_id, s.last_seen_at from source_references s
      where s.organisation_id = ${organisationId} and s.entity_kind = 'person' and s.record_id = m.person_id
      order by s.last_seen_at desc, s.source_system limit 1) sr on true)`;
}

/** SQL: whether the person is linked with at least one other record (one index probe), for composed views. */
export function isLinkedSql(organisationId: SQL, personId: SQL): SQL {
  return sql`exists (select 1 from person_clusters c1 join person_clusters c2 on c2.organisation_id = c1.organisation_id
    and c2.cluster_id = c1.cluster_id and c2.person_id <> c1.person_id where c1.organisation_id = ${organisationId} and c1.person_id = ${personId})`;
}

/** SQL: the organisation's source ranking for golden records (explicit ranking, and record counts per system), as JSON. */
export function sourceRankingJsonSql(organisationId: SQL): SQL {
  return sql`(select json_build_object('ranking', m.source_ranking, 'systems', m.stats->'systems') from link_models m where m.organisation_id = ${organisationId})`;
}

export async function linkedRecords(ctx: Ctx, personIds: string[]): Promise<LinkedRecord[]> {
  requireRead(ctx);
  const { tx } = ctx, organisationId = ctx.actor.organisationId;
  const out: LinkedRecord[] = [];
  for (const id of personIds) {
    const rows = await tx.execute(sql`select ${linkedRecordsJsonSql(sql`${organisationId}::uuid`, sql`${id}::uuid`)} as records`);
    const list = ((rows.rows[0] as { records: LinkedRecord[] | string }).records);
    for (const r of (typeof list === 'string' ? JSON.parse(list) : list) as LinkedRecord[]) if (!out.some((o) => o.id === r.id)) out.push(r);
  }
  return out;
}

export interface SourceRanking { ranking?: string[] | null; systems?: Record<string, number> | null }

/** Housing management systems are trusted first by default (they hold the tenancy), then the systems with most records. */
const HOUSING = /housing|hms|northgate|orchard|capita|civica|mri|aareon|qlx|tenanc|rent/i;

export function rankSystems(systems: string[], given: SourceRanking | null | undefined): string[] {
  const explicit = given?.ranking ?? [];
  const counts = given?.systems ?? {};
  return [...new Set(systems)].sort((x, y) => {
    const ex = explicit.indexOf(x), ey = explicit.indexOf(y);
    if (ex !== ey) return (ex < 0 ? Infinity : ex) - (ey < 0 ? Infinity : ey);
    const hx = HOUSING.test(x) ? 0 : 1, hy = HOUSING.test(y) ? 0 : 1;
    if (hx !== hy) return hx - hy;
    return (counts[y] ?? 0) - (counts[x] ?? 0) || (x < y ? -1 : x > y ? 1 : 0);
  });
}

export const GOLDEN_FIELDS = ['title', 'givenName', 'middleNames', 'familyName', 'preferredName', 'dateOfBirth', 'phone', 'email', 'address', 'homeId'] as const;
export type GoldenField = (typeof GOLDEN_FIELDS)[number];
export interface GoldenValue { value: unknown; sourceSystem: string; sourceId: string; personId: string }
export interface GoldenRecord {
  /** The id of the real person: the cluster's golden id. */
  id: string;
  fields: Partial<Record<GoldenField, GoldenValue>>;
  /** Source systems, most trusted first, as used here. */
  sourceRanking: string[];
}

function fieldValue(v: PersonValues, f: GoldenField): unknown {
  if (f === 'phone') return v.contactPoints?.find((c) => c.system === 'phone')?.value ?? null;
  if (f === 'email') return v.contactPoints?.find((c) => c.system === 'email')?.value ?? null;
  const x = v[f];
  if (x === undefined || x === null || x === '') return null;
  if (typeof x === 'object' && !Array.isArray(x) && !Object.keys(x).length) return null;
  return x;
}

/**
 * Survivorship, field by field: the value from the most trusted source system; among equals the most recently
 * seen; then the most complete record. Every value names the source system and source id it came from.
 */
export function survive(records: LinkedRecord[], ranking: SourceRanking | null | undefined): GoldenRecord {
  const order = rankSystems(records.map((r) => r.sourceSystem), ranking);
  const completeness = (r: LinkedRecord) => GOLDEN_FIELDS.filter((f) => fieldValue(r.values, f) !== null).length;
  const sorted = [...records].sort((x, y) => order.indexOf(x.sourceSystem) - order.indexOf(y.sourceSystem)
    || (y.lastSeenAt ?? '').localeCompare(x.lastSeenAt ?? '') || completeness(y) - completeness(x) || (x.id < y.id ? -1 : 1));
  const fields: GoldenRecord['fields'] = {};
  for (const f of GOLDEN_FIELDS) {
    const from = sorted.find((r) => fieldValue(r.values, f) !== null);
    if (from) fields[f] = { value: fieldValue(from.values, f), sourceSystem: from.sourceSystem, sourceId: from.sourceId, personId: from.id };
  }
  const id = [...records.map((r) => r.id)].sort()[0] ?? '';
  return { id, fields, sourceRanking: order };
}

/** The golden record of a person (or of a cluster, by its id), with the records it was made from. */
export async function goldenRecord(ctx: Ctx, clusterOrPersonId: string): Promise<GoldenRecord & { records: LinkedRecord[] }> {
  requireRead(ctx);
  const org = ctx.actor.organisationId;
  const { members } = await clusterMembers(ctx, clusterOrPersonId);
  const records = await linkedRecords(ctx, [members[0]!]);
  if (!records.length || !records[0]!.values) throw notFound('person');
  const [ranking] = (await ctx.tx.execute(sql`select ${sourceRankingJsonSql(sql`${org}::uuid`)} as r`)).rows as { r: SourceRanking | null }[];
  return { ...survive(records, ranking?.r), records };
}

/** Set the organisation's source ranking for golden records (most trusted first; empty: the default). */
export async function setSourceRanking(ctx: Ctx, ranking: string[]): Promise<void> {
  requireDecide(ctx);
  const org = ctx.actor.organisationId;
  await ctx.tx.insert(linkModels).values({ organisationId: org, sourceRanking: ranking.length ? ranking : null })
    .onConflictDoUpdate({ target: linkModels.organisationId, set: { sourceRanking: ranking.length ? ranking : null } });
  await audit(ctx.tx, ctx.actor, { action: 'update', entityKind: 'link-model', detail: { sourceRanking: ranking } });
}

// ---- Overview and export -------------------------------------------------------------------------------------

export interface PeopleFigures {
  records: number; sourceSystems: number; people: number; notYetLinked: number; bySources: SourceBucket[];
  /** What each figure counts, as every page labels it. */
  labels: { records: string; people: string };
}

/** How many people have records from a number of source systems ("2 source systems", "3 or more"). */
export interface SourceBucket { label: string; count: number }

/**
 * The organisation's figures for people, computed once for every page that shows them (the overview, record
 * linkage): the person records held (one per source system's record) and from how many source systems, the people
 * they are after linking (linked records count once, records not yet linked count one each), and how many people
 * have records from 2 (and 3 or more) systems — only the buckets that can exist with this many systems.
 */
export async function peopleFigures(ctx: Ctx): Promise<PeopleFigures> {
  requireRead(ctx);
  const org = sql`${ctx.actor.organisationId}::uuid`;
  const [row] = (await ctx.tx.execute(sql`with recs as (
        select p.id, coalesce(c.cluster_id, p.id) as cl, c.person_id is null as unlinked
        from (${peopleForLinkageSql(org)}) p left join person_clusters c on c.organisation_id = ${org} and c.person_id = p.id),
      src as (select r.cl, coalesce(s.source_system, 'hearth') as sys from recs r
        left join source_references s on s.organisation_id = ${org} and s.entity_kind = 'person' and s.record_id = r.id),
      per as (select cl, count(distinct sys)::int as n from src group by cl)
    select (select count(*)::int from recs) as records, (select count(distinct cl)::int from recs) as people,
      (select count(*)::int from recs where unlinked) as unlinked, (select count(distinct sys)::int from src) as systems,
      (select count(*)::int from per where n = 2) as two, (select count(*)::int from per where n >= 3) as three`)).rows as
    { records: number; people: number; unlinked: number; systems: number; two: number; three: number }[];
  const r = row!;
  const bySources: SourceBucket[] = [];
  if (r.systems === 2) bySources.push({ label: 'People with records from both source systems', count: r.two });
  if (r.systems >= 3) {
    bySources.push({ label: 'People with records from 2 source systems', count: r.two });
    bySources.push({ label: `People with records from ${r.systems === 3 ? 'all 3' : '3 or more'} source systems`, count: r.three });
  }
  const labels = {
    records: `Person records (from ${r.systems === 1 ? '1 source system' : `${r.systems} source systems`})`,
    people: 'People after linking',
  };
  return { records: r.records, sourceSystems: r.systems, people: r.people, notYetLinked: r.unlinked, bySources, labels };
}

export async function linkageOverview(ctx: Ctx) {
  requireRead(ctx);
  const org = ctx.actor.organisationId;
  const [row] = (await ctx.tx.execute(sql`select
      (select count(*)::int from (select cluster_id from person_clusters where organisation_id = ${org} group by cluster_id having count(*) >= 2) x) as clusters2,
      (select count(*)::int from link_reviews where organisation_id = ${org} and status = 'pending') as pending,
      (select count(*)::int from link_reviews where organisation_id = ${org} and status = 'accepted') as accepted,
      (select count(*)::int from link_reviews where organisation_id = ${org} and status = 'rejected') as rejected,
      ${homeCountSql(sql`${org}::uuid`)} as home_records,
      (select count(*)::int from home_clusters where organisation_id = ${org}) as clustered_homes,
      (select count(distinct cluster_id)::int from home_clusters where organisation_id = ${org}) as home_clusters,
      (select count(*)::int from (select cluster_id from home_clusters where organisation_id = ${org} group by cluster_id having count(*) >= 2) x) as linked_homes`)).rows as {
    clusters2: number; pending: number; accepted: number; rejected: number;
    home_records: number; clustered_homes: number; home_clusters: number; linked_homes: number;
  }[];
  const [model] = await ctx.tx.select({ trainedAt: linkModels.trainedAt, stats: linkModels.stats, sourceRanking: linkModels.sourceRanking }).from(linkModels).where(eq(linkModels.organisationId, org));
  const people = await peopleFigures(ctx);
  return {
    people, linkedPeople: row!.clusters2, pending: row!.pending, accepted: row!.accepted, rejected: row!.rejected,
    homes: { records: row!.home_records, homes: row!.home_clusters + (row!.home_records - row!.clustered_homes), inTwoOrMore: row!.linked_homes, notYetLinked: row!.home_records - row!.clustered_homes },
    lastRun: model?.trainedAt ?? null, lastStats: (model?.stats ?? null) as (Record<string, unknown> & { millis?: number }) | null,
    sourceRanking: rankSystems(Object.keys(((model?.stats ?? {}) as { systems?: Record<string, number> }).systems ?? {}),
      { ranking: model?.sourceRanking, systems: ((model?.stats ?? {}) as { systems?: Record<string, number> }).systems }),
  };
}

/** One row per source record: source system, source id, person id (the golden id of its cluster). Streams in pages. */
export async function* linksCsvRows(store: Store, organisationId: string): AsyncGenerator<string[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await store.withOrg(organisationId, (tx) => tx.execute(sql`select p.id, coalesce(c.cluster_id, p.id) as person_id,
        s.source_system, s.source_id
      from (${peopleForLinkageSql(sql`${organisationId}::uuid`, sql`p.id > ${after}::uuid`)} order by p.id limit 5000) p
      left join person_clusters c on c.organisation_id = ${organisationId} and c.person_id = p.id
      left join source_references s on s.organisation_id = ${organisationId} and s.entity_kind = 'person' and s.record_id = p.id
      order by p.id, s.source_system, s.source_id`));
    const list = rows.rows as { id: string; person_id: string; source_system: string | null; source_id: string | null }[];
    if (!list.length) return;
    for (const r of list) yield [r.source_system ?? 'hearth', r.source_id ?? r.id, r.person_id];
    after = list[list.length - 1]!.id;
  }
}
