// The hub operator's pages (issue 16 part 2; administrators, hub:operate): /hub-operator lists the publishers (name,
// registration, homes, last received, sources, status); /hub-operator/new adds one; /hub-operator/publishers/{reg} is
// a publisher's page: its push keys (a new key's secret shown once, on the page that made it), the feeds and files
// the hub pulls (register, pause, resume, remove, "pull now" with the results), and an upload (multipart) answered
// with its receipt, row and column errors. Every form is a POST with a CSRF token (an upload's is its first field,
// checked before the file is read); no JavaScript needed. Hub tables are written as the owner (service.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import type { TypedFastify } from '../../../platform/http/typed.ts';
import type { PageDeps } from '../../../platform/modules.ts';
import { forbidden, Problem } from '../../../platform/http/problem.ts';
import { defineForm, errorLookup, type ErrorItem } from '../../../web/forms/index.ts';
import { fieldOf } from '../../../web/forms/fields.ts';
import { multipartCsrfExpired, multipartCsrfValid } from '../../../web/forms/multipart.ts';
import { checkDestination } from '../../webhooks/index.ts';
import { REGISTRATION_PATTERN } from '../standard/schema.ts';
import { FILE_KINDS, SOURCE_KINDS, SourceRefused, type FileKind } from '../sources/registry.ts';
import { UploadRefused, type FileReceipt } from '../sources/file.ts';
import type { PullResult } from '../sources/state.ts';
import type { NewKey } from '../push/credentials.ts';
import {
  OPERATOR_PAGE_SIZE, OperatorRefused, PUBLISHER_KINDS, UPLOAD_KINDS, addPublisher, addSource, changeSource, createPushKey, listPublishers, publisherDetail,
  pullNow, requireOperator, isHubOperator, revokePushKey, uploadFor, type PublisherDetail, type SourceAction,
} from './service.ts';

type Raw = Record<string, unknown>;
const REGISTRATION = new RegExp(REGISTRATION_PATTERN);
const KEY_ID = /^[A-Za-z0-9_-]{1,100}$/;
/** Errors of an upload's receipt shown on the page (the receipt counts them all). */
const SHOWN_ERRORS = 200;
const rawText = (raw: Raw | undefined, name: string) => (typeof raw?.[name] === 'string' ? raw[name] as string : '');

const KIND_WORDS: Readonly<Record<string, string>> = { 'private-registered-provider': 'Private registered provider', 'local-authority': 'Local authority' };
const STATUS_TAGS = {
  none: { text: 'No data yet', classes: 'govuk-tag--grey' },
  ok: { text: 'OK', classes: 'govuk-tag--green' },
  failing: { text: 'Failing', classes: 'govuk-tag--red' },
  paused: { text: 'Paused', classes: 'govuk-tag--yellow' },
} as const;
const FILE_KIND_WORDS: Readonly<Record<string, string>> = { homes: 'homes.csv (the CSV profile\'s homes)', measures: 'measures.csv (the CSV profile\'s measures)', batch: 'A JSON batch' };
const OUTCOME_WORDS: Readonly<Record<string, string>> = {
  ok: 'Taken in', unchanged: 'Nothing new', replayed: 'Unchanged file (taken in before)', refused: 'Refused', failing: 'Failing', paused: 'Paused', moved: 'Pulled by another poll at the same time',
};

const PublisherForm = defineForm({
  schema: Type.Object({
    // As the Regulator writes them, in either case (kept in capitals).
    registration: Type.String({ maxLength: 20, pattern: '^([A-Za-z]{1,2}[0-9]{4}|[0-9]{4}|[0-9]{2}[A-Za-z]{2})$' }),
    name: Type.String({ maxLength: 200 }),
    kind: Type.Union(PUBLISHER_KINDS.map((k) => Type.Literal(k))),
    region: Type.Optional(Type.String({ maxLength: 20 })),
  }),
  messages: {
    registration: { required: 'Enter the registration number', invalid: 'The registration number must be a Regulator of Social Housing registration number, such as L1234, LH1234, 4567 or 12AB' },
    name: { required: "Enter the landlord's name", tooLong: 'The name must be 200 characters or fewer' },
    kind: 'Select the kind of landlord',
    region: 'The region must be an ONS region code, such as E12000003, or left empty',
  },
  ids: { kind: 'kind' },
});

const SourceForm = defineForm({
  schema: Type.Object({
    kind: Type.Union(SOURCE_KINDS.map((k) => Type.Literal(k))),
    url: Type.String({ maxLength: 2000 }),
    fileKind: Type.Optional(Type.Union(FILE_KINDS.map((k) => Type.Literal(k)))),
  }),
  messages: {
    kind: 'Select whether it is a change feed or a file',
    url: { required: 'Enter the address of the feed or file', tooLong: 'The address must be 2,000 characters or fewer' },
    fileKind: 'Select what the file holds',
  },
  ids: { kind: 'sourceKind', url: 'url', fileKind: 'fileKind' },
});

/** Where an error on the source form goes: the field the registry named. */
const SOURCE_FIELDS: Readonly<Record<string, { id: string; words: string }>> = {
  url: { id: 'url', words: 'The address' }, kind: { id: 'sourceKind', words: 'The kind of source' }, fileKind: { id: 'fileKind', words: 'What the file holds' },
  publisher: { id: 'url', words: 'The publisher' },
};

interface PublisherExtras {
  errors?: ErrorItem[];
  sourceRaw?: Raw;
  pulled?: PullResult[];
  receipt?: { fileName: string; receipt: FileReceipt };
  status?: number;
}

export function hubOperatorPages(app: TypedFastify, deps: Pick<PageDeps, 'page' | 'store' | 'config'>): void {
  const { page, store, config } = deps;
  // Private and loopback addresses are refused unless this hub allows them (HEARTH_HUB_ALLOW_PRIVATE: outside production).
  const checkUrl = config.hubAllowPrivate ? undefined : async (url: string) => { await checkDestination(url); };
  const limitWords = () => `${Math.round(config.uploadLimit / 1024 / 1024).toLocaleString('en-GB')} MB`;
  /** Only the organisations that run this hub (hub.operators) operate it: never a landlord's administrator. */
  const runsTheHub = async (actor: { organisationId: string }) => {
    if (!(await store.system((db) => isHubOperator(db, actor.organisationId)))) {
      throw forbidden("Only the organisation that runs this hub manages its publishers: ask the hub's operator (hearth hub operator)");
    }
  };
  /** The signed-in operator's organisation name, for the layout. */
  const layout = async (req: FastifyRequest) => page(req, async () => ({}));

  const registrationOf = (req: FastifyRequest): string => {
    const reg = String(fieldOf(req.params, 'registration') ?? '').toUpperCase();
    if (!REGISTRATION.test(reg)) throw new Problem(404, 'Not found', `“${reg.slice(0, 20)}” is not a registration number: they look like L1234, 4567 or 12AB`);
    return reg;
  };

  // ---- the list ------------------------------------------------------------------------------------------------------
  app.get('/hub-operator', async (req, reply) => {
    requireOperator(req.actor); await runsTheHub(req.actor);
    const asked = Number(fieldOf(req.query, 'page'));
    const current = Number.isInteger(asked) && asked > 0 ? asked : 1;
    const [{ rows, total }, data] = [await store.system((db) => listPublishers(db, current)), await layout(req)];
    const pages = Math.max(1, Math.ceil(total / OPERATOR_PAGE_SIZE));
    return reply.view('hub/operator/publishers.njk', {
      ...data, title: 'Hub publishers', section: 'hub-operator', total, STATUS_TAGS,
      rows: rows.map((r) => ({ ...r, kindWords: KIND_WORDS[r.kind] ?? r.kind })),
      pagination: pages > 1 ? {
        ...(current > 1 ? { previous: { href: `/hub-operator?page=${current - 1}` } } : {}),
        ...(current < pages ? { next: { href: `/hub-operator?page=${current + 1}` } } : {}),
        items: Array.from({ length: pages }, (_, i) => ({ number: i + 1, href: `/hub-operator?page=${i + 1}`, current: i + 1 === current })),
      } : null,
    });
  });

  // ---- add a publisher -----------------------------------------------------------------------------------------------
  async function showNew(req: FastifyRequest, reply: FastifyReply, raw?: Raw, errors: ErrorItem[] = []) {
    requireOperator(req.actor); await runsTheHub(req.actor);
    const data = await layout(req);
    const kind = rawText(raw, 'kind');
    return reply.code(errors.length ? 400 : 200).view('hub/operator/new.njk', {
      ...data, title: 'Add a publisher', section: 'hub-operator', backLink: '/hub-operator', errors, errorFor: errorLookup(errors),
      values: { registration: rawText(raw, 'registration'), name: rawText(raw, 'name'), region: rawText(raw, 'region') },
      kindItems: PUBLISHER_KINDS.map((k) => ({ value: k, text: KIND_WORDS[k], checked: k === kind })),
    });
  }
  app.get('/hub-operator/new', async (req, reply) => showNew(req, reply));
  app.post('/hub-operator/new', { preHandler: app.csrfProtection }, async (req, reply) => {
    requireOperator(req.actor); await runsTheHub(req.actor);
    const form = PublisherForm.parse(req.body);
    if (!form.ok) return showNew(req, reply, form.raw, form.errors);
    try {
      const reg = await addPublisher(store, req.actor, form.values);
      return reply.redirect(`/hub-operator/publishers/${reg}`, 303);
    } catch (err) {
      if (err instanceof OperatorRefused) return showNew(req, reply, form.raw, [{ text: err.message, href: `#${err.field}` }]);
      throw err;
    }
  });

  // ---- a publisher ---------------------------------------------------------------------------------------------------
  async function detailOf(reg: string): Promise<PublisherDetail> {
    const detail = await store.system((db) => publisherDetail(db, reg));
    if (!detail) throw new Problem(404, 'Not found', `No publisher ${reg} on this hub: add it first`);
    return detail;
  }

  async function showPublisher(req: FastifyRequest, reply: FastifyReply, extras: PublisherExtras = {}) {
    requireOperator(req.actor); await runsTheHub(req.actor);
    const reg = registrationOf(req);
    const detail = await detailOf(reg);
    const data = await layout(req);
    const errors = extras.errors ?? [];
    const raw = extras.sourceRaw;
    const sourceKind = rawText(raw, 'kind');
    const fileKind = rawText(raw, 'fileKind');
    const r = extras.receipt?.receipt;
    return reply.code(extras.status ?? (errors.length ? 400 : 200)).view('hub/operator/publisher.njk', {
      ...data, title: detail.publisher.name, section: 'hub-operator', backLink: '/hub-operator', errors, errorFor: errorLookup(errors),
      detail, kindWords: KIND_WORDS[detail.publisher.kind] ?? detail.publisher.kind, limitWords: limitWords(),
      sources: detail.sources.map((s) => ({
        ...s, what: s.kind === 'feed' ? 'Change feed' : `File: ${FILE_KIND_WORDS[s.fileKind ?? ''] ?? s.fileKind}`,
        tag: s.status === 'ok' ? { text: 'OK', classes: 'govuk-tag--green' } : s.status === 'failing' ? { text: 'Failing', classes: 'govuk-tag--red' } : { text: 'Paused', classes: 'govuk-tag--yellow' },
      })),
      sourceValues: { url: rawText(raw, 'url') },
      sourceKindItems: [
        { value: 'feed', text: 'A change feed (RPDE)', hint: { text: 'Pulled every 5 minutes, from where it left off' }, checked: sourceKind === 'feed' },
        { value: 'file', text: 'A published file', hint: { text: 'Fetched every hour, taken in when it has changed' }, checked: sourceKind === 'file' },
      ],
      fileKindItems: [{ value: '', text: 'Not a file (a change feed)' }, ...FILE_KINDS.map((k) => ({ value: k, text: FILE_KIND_WORDS[k], selected: k === fileKind }))],
      uploadKindItems: [{ value: '', text: 'Tell from the file\'s name' }, ...UPLOAD_KINDS.map((k) => ({ value: k, text: FILE_KIND_WORDS[k] }))],
      pulled: extras.pulled?.map((p) => ({
        ...p, outcomeWords: OUTCOME_WORDS[p.outcome] ?? p.outcome, source: detail.sources.find((s) => s.id === p.sourceId)?.url ?? p.sourceId,
      })),
      receipt: r ? {
        fileName: extras.receipt!.fileName, records: r.records, accepted: r.accepted, rejected: r.rejected, withdrawn: r.withdrawn, refused: r.refused, replayed: r.replayed,
        errorCount: r.errors.length, shown: SHOWN_ERRORS,
        errors: r.errors.slice(0, SHOWN_ERRORS).map((e) => ({
          where: e.row !== undefined ? `Row ${e.row.toLocaleString('en-GB')}` : e.index !== undefined ? `Record ${(e.index + 1).toLocaleString('en-GB')}` : 'The file',
          field: e.field === '' ? '(the whole row or file)' : e.field.startsWith('/') ? e.field.slice(1).replaceAll('/', '.') : e.field,
          message: e.message,
        })),
      } : null,
    });
  }

  app.get('/hub-operator/publishers/:registration', async (req, reply) => showPublisher(req, reply));

  // Keys: a new one's secret is shown on this answer only.
  app.post('/hub-operator/publishers/:registration/keys', { preHandler: app.csrfProtection }, async (req, reply) => {
    requireOperator(req.actor); await runsTheHub(req.actor);
    const reg = registrationOf(req);
    const detail = await detailOf(reg);
    const key: NewKey = await createPushKey(store, req.actor, reg);
    const data = await layout(req);
    return reply.header('cache-control', 'no-store').view('hub/operator/key.njk', {
      ...data, title: 'Push key created', section: 'hub-operator', publisher: detail.publisher, key,
    });
  });

  app.post('/hub-operator/publishers/:registration/keys/:keyId/revoke', { preHandler: app.csrfProtection }, async (req, reply) => {
    requireOperator(req.actor); await runsTheHub(req.actor);
    const reg = registrationOf(req);
    const keyId = String(fieldOf(req.params, 'keyId') ?? '');
    if (!KEY_ID.test(keyId)) throw new Problem(404, 'Not found', `Publisher ${reg} has no key ${keyId.slice(0, 100)}`);
    await revokePushKey(store, req.actor, reg, keyId);
    return reply.redirect(`/hub-operator/publishers/${reg}#keys`, 303);
  });

  // Sources.
  app.post('/hub-operator/publishers/:registration/sources', { preHandler: app.csrfProtection }, async (req, reply) => {
    requireOperator(req.actor); await runsTheHub(req.actor);
    const reg = registrationOf(req);
    const form = SourceForm.parse(req.body);
    if (!form.ok) return showPublisher(req, reply, { errors: form.errors, sourceRaw: form.raw });
    try {
      await addSource(store, req.actor, reg, form.values, checkUrl);
    } catch (err) {
      if (err instanceof SourceRefused) {
        const f = SOURCE_FIELDS[err.field] ?? SOURCE_FIELDS.url!;
        const message = err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message;
        return showPublisher(req, reply, { errors: [{ text: `${f.words} ${message}`, href: `#${f.id}` }], sourceRaw: form.raw });
      }
      throw err;
    }
    return reply.redirect(`/hub-operator/publishers/${reg}#sources`, 303);
  });

  for (const action of ['pause', 'resume', 'remove'] as const satisfies readonly SourceAction[]) {
    app.post(`/hub-operator/publishers/:registration/sources/:id/${action}`, { preHandler: app.csrfProtection }, async (req, reply) => {
      requireOperator(req.actor); await runsTheHub(req.actor);
      const reg = registrationOf(req);
      const id = String(fieldOf(req.params, 'id') ?? '');
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new Problem(404, 'Not found', `Publisher ${reg} has no source ${id.slice(0, 40)}`);
      await changeSource(store, req.actor, reg, id, action);
      return reply.redirect(`/hub-operator/publishers/${reg}#sources`, 303);
    });
  }

  app.post('/hub-operator/publishers/:registration/pull', { preHandler: app.csrfProtection }, async (req, reply) => {
    requireOperator(req.actor); await runsTheHub(req.actor);
    const reg = registrationOf(req);
    await detailOf(reg);
    const pulled = await pullNow(store, req.actor, reg, { maxBytes: config.uploadLimit, checkUrl });
    return showPublisher(req, reply, { pulled });
  });

  // An upload: multipart, parsed in this scope only; the CSRF token is the form's first field, checked before the file.
  app.register(async (scope: TypedFastify) => {
    await scope.register(multipart);
    scope.post('/hub-operator/publishers/:registration/upload', async (req, reply) => {
      requireOperator(req.actor); await runsTheHub(req.actor);
      const reg = registrationOf(req);
      if (!req.isMultipart()) throw new Problem(400, 'Invalid request', 'The form was not sent as a file upload');
      let csrf = false;
      let kind = '';
      let file: { bytes: Buffer; name: string } | undefined;
      let tooLarge = false;
      try {
        for await (const part of req.parts({ limits: { fileSize: config.uploadLimit, files: 1, fields: 4, fieldSize: 1000, parts: 6 } })) {
          if (part.type === 'field') {
            if (part.fieldname === '_csrf') csrf = multipartCsrfValid(app, req, reply, String(part.value ?? ''));
            else if (part.fieldname === 'kind') kind = String(part.value ?? '');
            continue;
          }
          if (!csrf) throw multipartCsrfExpired();
          if (part.fieldname !== 'file' || file) { part.file.resume(); continue; }
          file = { bytes: await part.toBuffer(), name: part.filename ?? '' };
        }
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') tooLarge = true;
        else throw err;
      }
      if (!csrf) throw multipartCsrfExpired();
      await detailOf(reg);
      const again = (text: string, href = '#file', status = 400) => showPublisher(req, reply, { errors: [{ text, href }], status });
      if (tooLarge) return again(`The selected file must be smaller than ${limitWords()}`, '#file', 413);
      if (kind && !(UPLOAD_KINDS as readonly string[]).includes(kind)) return again('Select what the file holds', '#uploadKind');
      if (!file || !file.name) return again('Select a file');
      if (!file.bytes.length) return again(`${file.name} is empty`);
      try {
        const receipt = await uploadFor(store, req.actor, reg, file.name, file.bytes, (kind || undefined) as FileKind | undefined, { maxBytes: config.uploadLimit });
        return showPublisher(req, reply, { receipt: { fileName: file.name, receipt } });
      } catch (err) {
        if (err instanceof UploadRefused) return again(err.message);
        throw err;
      }
    });
  });
}
