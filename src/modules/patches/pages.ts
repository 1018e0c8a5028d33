// The administrators' patch pages: /patches lists the patches (officer, estates, homes); /patches/new and
// /patches/{id} are one form (name, officer, estates). A change made by someone else since the form was drawn is
// refused (the form carries the version it was drawn from), not overwritten. No JavaScript needed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { Run } from '../../platform/records/api.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, Problem } from '../../platform/http/problem.ts';
import { IdParams, type IdRequest, type PageRun } from '../../web/page.ts';
import { defineForm, errorLookup, type ErrorItem } from '../../web/forms/index.ts';
import { createPatch, getPatch, listPatches, patchChoices, updatePatch, type PatchInput, type PatchSummary } from './service.ts';

const PatchForm = defineForm({
  schema: Type.Object({
    name: Type.String({ maxLength: 100 }),
    officerUserId: Type.Optional(Type.String({ format: 'uuid' })),
    estateIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 1000 })),
    version: Type.Optional(Type.Integer({ minimum: 0, maximum: 999_999_999 })),
  }),
  messages: {
    name: { required: 'Enter a name for the patch', tooLong: 'The name must be 100 characters or fewer' },
    officerUserId: 'Select a housing officer',
    estateIds: 'Select estates from the list',
    version: 'The page was out of date: check the patch below and try again',
  },
  ids: { estateIds: 'estateIds', version: 'name' },
});

type Raw = Record<string, unknown>;
const listOf = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
const textOf = (v: unknown): string => (typeof v === 'string' ? v : '');

function requireManage(req: FastifyRequest) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, 'patches:manage')) throw forbidden('Only administrators manage patches');
}

/** A service's refusal (400 with a field) as an error summary item linked to that field. */
function problemItem(err: Problem): ErrorItem {
  const field = err.errors[0]?.field ?? '/name';
  const href = field === '/officerUserId' ? '#officerUserId' : field === '/estateIds' ? '#estateIds' : '#name';
  return { text: err.errors[0]?.message ?? err.message, href };
}

export function patchPages(app: TypedFastify, page: PageRun, run: Run) {
  app.get('/patches', async (req, reply) => {
    requireManage(req);
    const data = await page(req, async (ctx) => ({ patches: await listPatches(ctx) }));
    return reply.view('patches/patches.njk', { ...data, title: 'Patches', section: 'patches' });
  });

  async function showForm(req: FastifyRequest, reply: FastifyReply, patch: PatchSummary | null, raw?: Raw, errors: ErrorItem[] = []) {
    const data = await page(req, async (ctx) => ({ choices: await patchChoices(ctx) }));
    const values = raw
      ? { name: textOf(raw.name), officerUserId: textOf(raw.officerUserId), estateIds: listOf(raw.estateIds) }
      : { name: patch?.name ?? '', officerUserId: patch?.officer?.id ?? '', estateIds: patch?.estates.map((e) => e.id) ?? [] };
    const officerItems = [
      { value: '', text: 'No officer yet', selected: !values.officerUserId },
      ...data.choices.officers.map((o) => ({
        value: o.id, selected: o.id === values.officerUserId,
        text: o.patch && o.patch !== patch?.name ? `${o.name} (looks after ${o.patch})` : o.name,
      })),
    ];
    const estateItems = data.choices.estates.map((e) => ({ value: e.id, text: e.name, checked: values.estateIds.includes(e.id) }));
    return reply.code(errors.length ? 400 : 200).view('patches/patch.njk', {
      ...data, patch, values, officerItems, estateItems, errors, errorFor: errorLookup(errors),
      title: patch ? patch.name : 'Add a patch', section: 'patches', backLink: '/patches',
      action: patch ? `/patches/${patch.id}` : '/patches/new',
    });
  }

  /** Save the form, or draw it again with what was typed and what is wrong. */
  async function save(req: FastifyRequest, reply: FastifyReply, patch: PatchSummary | null, work: (input: PatchInput, version: number | undefined) => Promise<PatchSummary>) {
    const form = PatchForm.parse(req.body);
    if (!form.ok) return showForm(req, reply, patch, form.raw, form.errors);
    const input: PatchInput = { name: form.values.name, officerUserId: form.values.officerUserId ?? null, estateIds: form.values.estateIds ?? [] };
    try {
      await work(input, form.values.version);
    } catch (err) {
      if (err instanceof Problem && err.status === 400) return showForm(req, reply, patch, form.raw, [problemItem(err)]);
      if (err instanceof Problem && err.status === 412) {
        const now = patch ? await page(req, (ctx) => getPatch(ctx, patch.id)) : null;
        return showForm(req, reply, now, undefined, [{ text: 'Someone changed this patch while you were looking at it. Check it below and make your change again.', href: '#name' }]);
      }
      throw err;
    }
    return reply.redirect('/patches', 303);
  }

  app.get('/patches/new', async (req, reply) => {
    requireManage(req);
    return showForm(req, reply, null);
  });

  app.post('/patches/new', { preHandler: app.csrfProtection }, async (req, reply) => {
    requireManage(req);
    return save(req, reply, null, (input) => run(req, (ctx) => createPatch(ctx, input)));
  });

  const patchOf = (req: IdRequest) => page(req, (ctx) => getPatch(ctx, req.params.id));

  app.get('/patches/:id', { schema: { params: IdParams } }, async (req, reply) => {
    requireManage(req);
    return showForm(req, reply, await patchOf(req));
  });

  app.post('/patches/:id', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireManage(req);
    const patch = await patchOf(req);
    // The version the form was drawn from, or the If-Match header's: a change since is refused.
    const ifMatch = Number(/^(?:W\/)?"?(\d+)"?$/.exec(String(req.headers['if-match'] ?? ''))?.[1] ?? NaN);
    return save(req, reply, patch, (input, version) => run(req, (ctx) => updatePatch(ctx, patch.id, version ?? (Number.isNaN(ifMatch) ? -1 : ifMatch), input)));
  });
}
