// Files as landlords really have them: title rows above the header (and a row of field codes under it), JSON
// documents that wrap their records ({"results": [...], "pageCount": 3}), and rows that are not records of the kind
// being loaded (street records and shops in an address gazetteer). Pure: no files, no database.

/** How many of the first rows are looked at to find the header. */
export const HEADER_SCAN_ROWS = 30;

export interface HeaderChoice {
  /** Position of the header among the rows given (0-based). */
  index: number;
  /** The row under the header holds field codes (a template's "tenancycode" under "Tenant code"): it is not data. */
  codeRow: boolean;
  /** Why, in plain English. */
  reason: string;
}

const filled = (cells: readonly string[]) => cells.map((c) => (c ?? '').trim()).filter(Boolean);
const NUMBER_OR_DATE = /^[-+£$]?[\d.,/: -]+%?$/;
const CODE = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Does this row read as a header: at least two (or all, for a narrow table) short, distinct text cells, not numbers
 * or dates, filling most of the width the rows below it use? A title ("Lettings log 2024/25") fills one cell.
 */
function headerLike(cells: readonly string[], width: number): boolean {
  const f = filled(cells);
  if (f.length < Math.min(2, width) || f.length < width * 0.5) return false;
  if (new Set(f.map((c) => c.toLowerCase())).size !== f.length) return false;
  if (f.some((c) => c.length > 80)) return false;
  return f.filter((c) => NUMBER_OR_DATE.test(c)).length <= f.length * 0.2;
}

/** A row of field codes: every cell a code-like word ("propcode", "postcode_full"), distinct, as many as the labels. */
function codeLike(cells: readonly string[], labels: readonly string[]): boolean {
  const f = filled(cells);
  const l = filled(labels);
  if (f.length < 2 || f.length < l.length * 0.8) return false;
  if (new Set(f.map((c) => c.toLowerCase())).size !== f.length) return false;
  // Codes are written in lower case or with underscores ("tenancycode", "postcode_full", "Prop_Ref"); a first data row
  // of single words ("PER1", "John", "Smith") is not codes.
  if (!f.every((c) => CODE.test(c) && (c === c.toLowerCase() || c.includes('_')))) return false;
  // Labels read as words ("Tenant code"); codes do not, or they would be a second header row of labels.
  return l.some((c) => /\s/.test(c)) && f.some((c, i) => c.toLowerCase() !== (l[i] ?? '').toLowerCase());
}

/** The width (cells filled) most rows below `from` use: the table's width, whatever the title rows hold. */
function tableWidth(rows: readonly (readonly string[])[], from: number): number {
  const counts = new Map<number, number>();
  for (const r of rows.slice(from, from + HEADER_SCAN_ROWS)) {
    const n = filled(r).length;
    if (n) counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  let best = 0;
  let seen = 0;
  for (const [n, c] of counts) if (c > seen || (c === seen && n > best)) { best = n; seen = c; }
  return best;
}

/**
 * The header among the first rows of a file: the first row that reads as a header (see headerLike) and is followed by
 * data, else the first row (as before). When `fixed` is given (a setting), that row is the header. Either way a row of
 * field codes right under the header is recognised and is not read as data.
 */
export function detectHeader(rows: readonly (readonly string[])[], fixed?: number): HeaderChoice {
  const codeRowAfter = (i: number) => rows[i + 2] !== undefined && codeLike(rows[i + 1] ?? [], rows[i]!) && !codeLike(rows[i + 2]!, rows[i]!);
  if (fixed !== undefined) {
    const codeRow = codeRowAfter(fixed);
    return { index: fixed, codeRow, reason: `set as the header row${codeRow ? '; the row under it holds field codes and is not loaded' : ''}` };
  }
  const first = rows.findIndex((r) => filled(r).length > 0);
  if (first < 0) return { index: 0, codeRow: false, reason: 'the file has no rows' };
  const width = tableWidth(rows, first + 1);
  let index = first;
  // Only a sparse first row (a title) is passed over: a full one is the header, as it always was, even with repeats.
  const sparse = filled(rows[first]!).length < Math.min(2, width) || filled(rows[first]!).length < width * 0.5;
  if (sparse) {
    const found = rows.findIndex((r, i) => i > first && i < HEADER_SCAN_ROWS && headerLike(r, tableWidth(rows, i + 1)) && rows.slice(i + 1).some((x) => filled(x).length));
    if (found > 0) index = found;
  }
  const codeRow = codeRowAfter(index);
  const why = index === first ? 'the first row with values reads as a header' : `the rows above it hold ${index - first === 1 ? 'a title' : 'titles'}, not column names`;
  return { index, codeRow, reason: `${why}${codeRow ? '; the row under it holds field codes and is not loaded' : ''}` };
}

// JSON documents ----------------------------------------------------------------------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How many levels into a wrapping document its list of records is looked for. */
export const RECORDS_DEPTH = 4;

/** A list holds records when at least one of its items, and at least half of them, are objects. */
export const isRecordList = (items: number, objects: number): boolean => objects > 0 && objects >= items / 2;

/** What is wrong with where the records are: the same words whether the document is in memory or streamed. */
export const jsonPathErrors = {
  /** Nothing at `steps[0..i]`: the value at the steps before it is not an object, or has no such key (it has `keys`). */
  nothingAt: (steps: readonly string[], i: number, keys?: readonly string[]) =>
    `the JSON document has nothing at "${steps.slice(0, i + 1).join('.')}" (jsonPath in the mapping)${keys ? `; there it has ${keys.slice(0, 10).map((k) => `"${k}"`).join(', ')}` : ''}`,
  notAList: (path: string) => `"${path}" in the JSON document is not a list of records (jsonPath in the mapping)`,
  noList: 'the JSON document holds no list of records; give the path to it in the mapping ("jsonPath": "results")',
};

/**
 * The records in a JSON document: the array at `path` ("results", "data.items") when given, else the largest array
 * of objects within RECORDS_DEPTH levels ({"results": [...], "pageCount": 3}). Returns the path used ("" for the
 * document itself), or an error naming what is there. A file's document is streamed instead (json-stream.ts), by
 * the same rules.
 */
export function findRecords(doc: unknown, path?: string): { path: string; records: unknown[] } | { error: string } {
  if (path !== undefined && path.trim() !== '') {
    let at: unknown = doc;
    const steps = path.trim().split('.');
    for (const [i, step] of steps.entries()) {
      if (!isObject(at) || !Object.hasOwn(at, step)) return { error: jsonPathErrors.nothingAt(steps, i, isObject(at) ? Object.keys(at) : undefined) };
      at = at[step];
    }
    if (!Array.isArray(at)) return { error: jsonPathErrors.notAList(path) };
    return { path: path.trim(), records: at };
  }
  if (Array.isArray(doc)) return { path: '', records: doc };
  let best: { path: string; records: unknown[] } | undefined;
  const visit = (v: unknown, at: string[], depth: number) => {
    if (depth > RECORDS_DEPTH) return;
    if (Array.isArray(v)) {
      if (isRecordList(v.length, v.filter(isObject).length) && (!best || v.length > best.records.length)) best = { path: at.join('.'), records: v };
      return;
    }
    if (isObject(v)) for (const [k, x] of Object.entries(v)) visit(x, [...at, k], depth + 1);
  };
  visit(doc, [], 0);
  if (best) return best;
  return { error: jsonPathErrors.noList };
}

// Row filter --------------------------------------------------------------------------------------------------------

/** Keep only rows whose column holds one of the values (any case; "RD*" matches every value starting "RD"). */
export interface RowFilter { column: string; values: string[] }

export function checkFilter(filter: unknown, headers: readonly string[]): string[] {
  const list = Array.isArray(filter) ? filter : [filter];
  const errors: string[] = [];
  for (const f of list) {
    if (!isObject(f) || typeof f.column !== 'string' || !Array.isArray(f.values) || !f.values.length || !f.values.every((v) => typeof v === 'string')) {
      errors.push('"filter" must be { "column": "header", "values": ["code", "prefix*"] } (or a list of them): keep only rows whose column holds one of the values');
    } else if (!headers.includes(f.column)) {
      errors.push(`"filter" names a column "${f.column}" that this file does not have`);
    }
  }
  return errors;
}

/** A test for rows to keep; every filter in a list must hold. */
export function rowKeeper(filter: RowFilter | RowFilter[] | undefined): (values: Record<string, string>) => boolean {
  if (!filter) return () => true;
  const tests = (Array.isArray(filter) ? filter : [filter]).map((f) => {
    const exact = new Set(f.values.filter((v) => !v.endsWith('*')).map((v) => v.trim().toLowerCase()));
    const prefixes = f.values.filter((v) => v.endsWith('*')).map((v) => v.slice(0, -1).trim().toLowerCase());
    return (values: Record<string, string>) => {
      const v = (values[f.column] ?? '').trim().toLowerCase();
      return exact.has(v) || prefixes.some((p) => v.startsWith(p));
    };
  });
  return (values) => tests.every((t) => t(values));
}
