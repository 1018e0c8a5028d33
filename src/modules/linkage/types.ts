// Record linkage of people (Fellegi–Sunter, as in Splink): the shapes the engine (engine/*.ts, pure, no database)
// and the module's service (service.ts: storage, review, golden records) share.

/** One source record of a person, as the engine compares it: a Hearth person row (one per source system and id). */
export interface PersonRecord {
  id: string;
  sourceSystem: string;
  givenName: string | null;
  middleNames?: string | null;
  familyName: string | null;
  /** ISO yyyy-mm-dd. */
  dateOfBirth: string | null;
  uprn?: string | null;
  /** Normalised postcode ("LS6 1AA"). */
  postcode?: string | null;
  /** The address without postcode or town, as words ("flat 12 bronte house moor road"). */
  address?: string | null;
  /** E.164. */
  phone?: string | null;
  email?: string | null;
}

/** One field's comparison of two records: the level it fell in and its contribution to the match weight. */
export interface FieldComparison {
  field: 'name' | 'dateOfBirth' | 'address' | 'phone' | 'email';
  /** A stable level id, e.g. 'exact', 'jaro-winkler-0.92', 'nickname', 'swapped', 'transposed', 'else', 'null'. */
  level: string;
  /** Plain English: "Given names Bob and Robert are the same name (nickname)". */
  label: string;
  /** log2(m/u), after term-frequency adjustment; 0 when either side is missing. */
  weight: number;
  /** The comparison within the field: 'given' or 'family' for names, else the field. */
  comparison?: string;
  /** The model's m and u for this level (u before term-frequency adjustment). */
  m?: number;
  u?: number;
  /** The term-frequency adjustment included in weight (exact name and date matches), if any. */
  tfAdjustment?: number;
}

export interface ScoredPair {
  /** The two records in id order (a < b), as a review keeps them; each comparison's label names a's value first. */
  a: string;
  b: string;
  /** Prior log2 odds plus the sum of the field weights. */
  weight: number;
  /** Match probability from the weight. */
  probability: number;
  comparisons: FieldComparison[];
}

/** A data lead's decision on a pair, which the engine must respect: a rejected pair is never linked automatically. */
export interface PairDecision {
  a: string;
  b: string;
  decision: 'accepted' | 'rejected';
}
