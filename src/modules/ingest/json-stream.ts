// A JSON document read as a stream (docs/decisions/0015-streaming-json.md): the records in its list, one at a time,
// so memory holds one record, not the file. @streamparser/json tokenizes and assembles; the walker here only keeps
// track of where in the document each token is (which list is the records', which record is being read).
import fs from 'node:fs';
import { Tokenizer, TokenParser, TokenType } from '@streamparser/json';
import type { ParsedTokenInfo } from '@streamparser/json';
import { isRecordList, jsonPathErrors, RECORDS_DEPTH } from './layout.ts';

/** What is wrong with a document, without the file's name (the reader adds it), and where. */
export class JsonDocumentError extends Error {
  /**
   * Where it broke, in bytes of the file's text as decoded (UTF-8, byte-order mark left out): see textPosition.
   * Absent for a problem with the document's shape (no list at jsonPath).
   */
  offset: number | undefined;
  /** The record being read when it broke (1 = the first), or the one it broke after. */
  record: number | undefined;
  after: boolean;
  constructor(message: string, where: { offset?: number; record?: number; after?: boolean } = {}) {
    super(message);
    this.offset = where.offset;
    this.record = where.record;
    this.after = where.after ?? false;
  }
}

interface Frame {
  array: boolean;
  /** Object: the key of the member being read, and whether the next string is a key. */
  key: string | undefined;
  awaitingKey: boolean;
  /** Not inside any list: where a wrapping document's records may be. */
  open: boolean;
  /** Array: its items so far, and how many were objects. */
  items: number;
  objects: number;
  /** Scanning: a list that may be the records, and its keys from the root. */
  candidate?: string[];
  /** Reading: this is the value at the first `depth` keys of the path; the keys it has (for the message when the next is missing). */
  onPath: boolean;
  keys?: string[];
  sawStep?: boolean;
  target?: boolean;
}

/**
 * Follows the tokens through the document. Scanning (no `path`): finds the largest list of records within
 * RECORDS_DEPTH levels, as findRecords does for a document in memory. Reading (`path`): knows when a value is one of
 * the records at the path, numbers them, and says what is there instead when the path is not a list.
 */
class Walker {
  private stack: Frame[] = [];
  private rootDone = false;
  private readonly path: string[] | undefined;
  best: { keys: string[]; items: number } | undefined;
  /** Records started so far in the list at the path. */
  record = 0;

  constructor(path?: string[]) {
    this.path = path;
  }

  /** The list of records is the innermost open value: a record just ended (or a plain value was one). */
  get atTarget(): boolean { return this.stack.at(-1)?.target === true; }
  /** Where a failure falls: inside record n, or after it (between records), or outside the list. */
  where(offset: number): { offset: number; record?: number; after?: boolean } {
    const i = this.stack.findIndex((f) => f.target);
    if (i < 0 || !this.record) return { offset };
    return { offset, record: this.record, after: i === this.stack.length - 1 };
  }

  token(t: ParsedTokenInfo): void {
    const top = this.stack.at(-1);
    switch (t.token) {
      case TokenType.LEFT_BRACE: this.start(t.offset, 'object'); break;
      case TokenType.LEFT_BRACKET: this.start(t.offset, 'array'); break;
      case TokenType.RIGHT_BRACE: case TokenType.RIGHT_BRACKET: this.end(t); break;
      case TokenType.COMMA: if (top && !top.array) top.awaitingKey = true; break;
      case TokenType.COLON: case TokenType.SEPARATOR: break;
      case TokenType.STRING:
        if (top && !top.array && top.awaitingKey) { this.key(top, t.value as string); break; }
        this.start(t.offset, 'value');
        break;
      default: this.start(t.offset, 'value');
    }
  }

  private key(frame: Frame, key: string) {
    frame.key = key;
    frame.awaitingKey = false;
    if (frame.keys) {
      if (frame.keys.length < 10 && !frame.keys.includes(key)) frame.keys.push(key);
      if (key === this.path![this.stack.length - 1]) frame.sawStep = true;
    }
  }

  private start(offset: number, kind: 'object' | 'array' | 'value') {
    const parent = this.stack.at(-1);
    if (!parent && this.rootDone) throw new JsonDocumentError('more follows the end of the document', { offset });
    const depth = this.stack.length;
    if (parent?.array) {
      parent.items++;
      if (kind === 'object') parent.objects++;
      if (parent.target) this.record++;
    }
    const open = !parent || (parent.open && !parent.array);
    const onPath = this.path !== undefined && (!parent || (parent.onPath && !parent.array && parent.key === this.path[depth - 1]));
    if (onPath) {
      const path = this.path!;
      if (depth < path.length && kind !== 'object') throw new JsonDocumentError(jsonPathErrors.nothingAt(path, depth));
      if (depth === path.length && kind !== 'array') throw new JsonDocumentError(jsonPathErrors.notAList(path.join('.')));
    }
    if (kind === 'value') {
      if (!parent) this.rootDone = true;
      return;
    }
    const frame: Frame = { array: kind === 'array', key: undefined, awaitingKey: kind === 'object', open, items: 0, objects: 0, onPath };
    if (this.path === undefined && kind === 'array' && open && depth >= 1 && depth <= RECORDS_DEPTH) frame.candidate = this.stack.map((f) => f.key!);
    if (onPath && depth < this.path!.length) frame.keys = [];
    if (onPath && depth === this.path!.length) frame.target = true;
    this.stack.push(frame);
  }

  private end(t: ParsedTokenInfo) {
    const frame = this.stack.pop();
    if (!frame || frame.array !== (t.token === TokenType.RIGHT_BRACKET)) throw new JsonDocumentError(`unexpected "${String(t.value)}"`, { offset: t.offset });
    this.consider(frame);
    if (frame.keys && !frame.sawStep) throw new JsonDocumentError(jsonPathErrors.nothingAt(this.path!, this.stack.length, frame.keys));
    if (!this.stack.length) this.rootDone = true;
  }

  private consider(frame: Frame) {
    if (frame.candidate && isRecordList(frame.items, frame.objects) && (!this.best || frame.items > this.best.items)) this.best = { keys: frame.candidate, items: frame.items };
  }

  /** The document stopped early: a list still open counts with the records read so far. */
  cutShort(): void {
    for (const f of this.stack) this.consider(f);
  }

  get complete(): boolean { return this.rootDone && !this.stack.length; }
}

/** The parser's state, as what it expected instead. */
const EXPECTED: Record<string, string> = {
  VALUE: 'a value', KEY: 'a name in double quotes', COLON: '":"', COMMA: '"," or the end of the list or object',
  ENDED: 'nothing (the document had ended)', SEPARATOR: 'nothing (the document had ended)',
};

/** The library's error, said plainly: what was found, and what was expected there. */
function explain(err: unknown, walker: Walker, last: ParsedTokenInfo | undefined, end: number): JsonDocumentError {
  if (err instanceof JsonDocumentError) {
    if (err.offset !== undefined) Object.assign(err, walker.where(err.offset));
    return err;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/ended in the middle|ended in mid-parsing/.test(message)) return truncated(walker, end);
  const tokenizer = /^Unexpected "(.*)" at chunk position "\d+" \(absolute position "(\d+)"\)/.exec(message);
  if (tokenizer) return new JsonDocumentError(`unexpected ${JSON.stringify(tokenizer[1])}`, walker.where(Number(tokenizer[2])));
  const parser = /^Unexpected \w+ \((.*)\) in state (\w+)/.exec(message);
  if (parser && last) {
    const expected = EXPECTED[parser[2]!];
    return new JsonDocumentError(`found ${parser[1]}${expected ? ` where ${expected} should be` : ''}`, walker.where(last.offset));
  }
  return new JsonDocumentError(message, last ? walker.where(last.offset) : {});
}

function truncated(walker: Walker, end: number): JsonDocumentError {
  return new JsonDocumentError('the file ends part-way through the document (is it cut short?)', walker.where(end));
}

/** Selects no value: the parser checks the document and keeps nothing of it. */
const NOTHING = '$.\u0000';

/** A selector for the records at `path`; "*" at each level when a key cannot be written in one (the walker checks). */
function recordsSelector(path: readonly string[]): string {
  const plain = path.every((k) => k !== '' && k !== '*' && !k.includes('.'));
  return plain ? ['$', ...path, '*'].join('.') : '$' + '.*'.repeat(path.length + 1);
}

export interface JsonRecord { record: number; value: unknown }

/**
 * One pass over the file: the tokens go to the walker and, when `parse`, to the parser, which checks the document
 * and builds each record (the parser keeps nothing it has handed over). Yields the records of `walker`'s path as
 * each chunk of the file is read; a broken document throws after the records before the break.
 * The bytes are decoded here, as NDJSON lines are: a byte that is not UTF-8 becomes U+FFFD, where the library would
 * refuse the file.
 */
async function* pass(file: string, walker: Walker, options: { parse: boolean; path?: readonly string[]; onBytes?: (bytes: number) => void }): AsyncGenerator<JsonRecord> {
  const decoder = new TextDecoder('utf-8');
  let written = 0;
  const tokenizer = new Tokenizer();
  const parser = options.parse ? new TokenParser({ paths: [options.path ? recordsSelector(options.path) : NOTHING], keepStack: false }) : undefined;
  let ready: JsonRecord[] = [];
  let last: ParsedTokenInfo | undefined;
  tokenizer.onToken = (t) => { last = t; walker.token(t); parser?.write(t); };
  if (parser) parser.onValue = ({ value }) => { if (walker.atTarget) ready.push({ record: walker.record, value }); };
  const write = (text: string) => {
    written += Buffer.byteLength(text);
    if (text) tokenizer.write(text);
  };
  const input = fs.createReadStream(file);
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      options.onBytes?.(chunk.length);
      let broken: JsonDocumentError | undefined;
      try { write(decoder.decode(chunk, { stream: true })); } catch (err) { broken = explain(err, walker, last, written); }
      const records = ready;
      ready = [];
      yield* records;
      if (broken) throw broken;
    }
    try {
      write(decoder.decode());
      tokenizer.end();
      if (parser && !parser.isEnded) parser.end(); // it ends by itself once the document is whole
    } catch (err) {
      throw explain(err, walker, last, written);
    }
    yield* ready;
    if (!walker.complete) throw truncated(walker, written);
  } finally {
    input.destroy(); // the caller may stop early
  }
}

/**
 * Where the records are in a document that wraps them: the largest list of objects within RECORDS_DEPTH levels
 * (as findRecords). One pass over the tokens, keeping only counts. A document cut short still gives the largest
 * list seen before the break (reading it then stops there, with the error); one with no list at all is an error,
 * its syntax error if it has one.
 */
export async function findRecordList(file: string): Promise<string[]> {
  const walker = new Walker();
  let broken: unknown;
  try {
    for await (const _ of pass(file, walker, { parse: false })) void _;
  } catch (err) {
    broken = err;
    walker.cutShort();
  }
  if (walker.best) return walker.best.keys;
  if (broken) throw broken;
  for await (const _ of pass(file, new Walker(), { parse: true })) void _;
  throw new JsonDocumentError(jsonPathErrors.noList);
}

/** The records of the list at `path` ([] for a document that is a list), one at a time, numbered from 1. */
export function readRecords(file: string, path: readonly string[], onBytes?: (bytes: number) => void): AsyncGenerator<JsonRecord> {
  return pass(file, new Walker([...path]), { parse: true, path, onBytes });
}

/** Could this text be the start of one JSON document (a pretty-printed one's first lines)? Nothing is kept. */
export function startsOneDocument(text: string): boolean {
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({ paths: [NOTHING], keepStack: false });
  parser.onValue = () => undefined;
  tokenizer.onToken = (t) => parser.write(t);
  try {
    tokenizer.write(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The line and column (from 1, in characters) of an offset in bytes of the file's decoded text, as pass() counts
 * them: the file is read again up to it, only when reporting an error.
 */
export async function textPosition(file: string, offset: number): Promise<{ line: number; column: number }> {
  const decoder = new TextDecoder('utf-8');
  let line = 1;
  let column = 1;
  let at = 0;
  const input = fs.createReadStream(file);
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let text = decoder.decode(chunk, { stream: true });
      const bytes = Buffer.byteLength(text);
      const done = at + bytes >= offset;
      if (done) text = Buffer.from(text).subarray(0, offset - at).toString();
      const lines = text.split('\n');
      if (lines.length > 1) { line += lines.length - 1; column = 1; }
      column += lines.at(-1)!.length;
      at += bytes;
      if (done) break;
    }
  } finally {
    input.destroy();
  }
  return { line, column };
}
