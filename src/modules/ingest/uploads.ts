// Files uploaded for loading (the upload page and POST /api/v1/imports) wait on disk until their import has run:
// `<upload dir>/<upload id>/data<.ext>`, streamed there with a size limit while its SHA-256 is worked out. The upload
// page's file also has `upload.json` beside it until its mapping is confirmed (an upload that is never confirmed is
// swept away after a day). The worker deletes the folder when the import has finished.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { v7 as uuidv7 } from 'uuid';
import type { RecordKind } from './mapping.ts';
import { isUuid } from '../../platform/uuid.ts';

export interface StoredFile {
  uploadId: string;
  /** The stored file: keeps the original extension, which tells the readers its format. */
  path: string;
  /** The original file name, as the person's computer named it (cleaned). */
  fileName: string;
  bytes: number;
  sha256: string;
}

/** An upload from the page, waiting for its mapping to be confirmed. */
export interface PendingUpload extends StoredFile {
  organisationId: string;
  uploadedBy: string;
  sourceSystem: string;
  kind: RecordKind;
  /** How the kind was decided: chosen on the form, or worked out from the headers (with the reason). */
  kindReason: string | null;
  /** Excel workbooks: the sheet asked for (else the first with data). */
  sheet?: string;
  /** The row holding the column names, when given on the form (else found by looking). */
  headerRow?: number;
  createdAt: string;
}

export class FileTooLarge extends Error {}

const INFO = 'upload.json';
const SWEEP_AFTER_MS = 24 * 60 * 60 * 1000;

/** A file name safe to show and to keep: no folders, no control characters, not too long. */
export function cleanFileName(name: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const base = path.basename(String(name ?? '').replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (base || 'upload').slice(-200);
}

function extensionOf(fileName: string): string {
  const ext = path.extname(fileName).toLowerCase();
  return /^\.[a-z0-9]{1,8}$/.test(ext) ? ext : '';
}

/**
 * Stream an upload to disk, hashing it on the way. Over `limit` bytes: the partial file is removed and FileTooLarge
 * thrown (whichever notices first: this counter, or the multipart parser's own limit error, which is rethrown as
 * FileTooLarge too).
 */
export async function storeUpload(dir: string, stream: Readable, originalName: string | undefined, limit: number): Promise<StoredFile> {
  const uploadId = uuidv7();
  const fileName = cleanFileName(originalName);
  const folder = path.join(dir, uploadId);
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `data${extensionOf(fileName)}`);
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > limit) return done(new FileTooLarge(`the file is larger than ${limit} bytes`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(stream, count, fs.createWriteStream(file, { flags: 'wx' }));
  } catch (err) {
    fs.rmSync(folder, { recursive: true, force: true });
    const code = (err as { code?: string }).code;
    if (err instanceof FileTooLarge || code === 'FST_REQ_FILE_TOO_LARGE') throw new FileTooLarge((err as Error).message, { cause: err });
    throw err;
  }
  return { uploadId, path: file, fileName, bytes, sha256: hash.digest('hex') };
}

export function savePending(dir: string, upload: PendingUpload): void {
  fs.writeFileSync(path.join(dir, upload.uploadId, INFO), JSON.stringify(upload));
}

/** The pending upload with this id, if it exists and belongs to this organisation. */
export function readPending(dir: string, uploadId: string, organisationId: string): PendingUpload | null {
  if (!isUuid(uploadId)) return null;
  try {
    const upload = JSON.parse(fs.readFileSync(path.join(dir, uploadId, INFO), 'utf8')) as PendingUpload;
    if (upload.organisationId !== organisationId || !fs.existsSync(upload.path)) return null;
    return upload;
  } catch {
    return null;
  }
}

/** The upload's mapping is confirmed: its file now belongs to an import, so it is no longer swept. */
export function confirmPending(dir: string, uploadId: string): void {
  if (isUuid(uploadId)) fs.rmSync(path.join(dir, uploadId, INFO), { force: true });
}

/** Remove a stored file and, when it is an upload's, its folder. Never touches anything outside `dir`. */
export function removeStored(dir: string, file: string | null | undefined): void {
  if (!file) return;
  const folder = path.dirname(path.resolve(file));
  if (path.dirname(folder) === path.resolve(dir) && isUuid(path.basename(folder))) fs.rmSync(folder, { recursive: true, force: true });
}

export function removeUpload(dir: string, uploadId: string): void {
  if (isUuid(uploadId)) fs.rmSync(path.join(dir, uploadId), { recursive: true, force: true });
}

/** Remove uploads that were never confirmed (older than a day) and empty folders. Returns how many were removed. */
export function sweepUploads(dir: string, now = Date.now()): number {
  let removed = 0;
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return 0; }
  for (const e of entries) {
    if (!e.isDirectory() || !isUuid(e.name)) continue;
    const folder = path.join(dir, e.name);
    try {
      const files = fs.readdirSync(folder);
      const info = path.join(folder, INFO);
      if (!files.length || (files.includes(INFO) && now - fs.statSync(info).mtimeMs > SWEEP_AFTER_MS)) {
        fs.rmSync(folder, { recursive: true, force: true });
        removed++;
      }
    } catch { /* removed meanwhile */ }
  }
  return removed;
}
