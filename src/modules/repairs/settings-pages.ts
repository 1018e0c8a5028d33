// The administrator's pages for the landlord's repair settings (issue 14): the current version, its triage tree as
// nested lists, priorities, emergency screen, alert rules and slots; download it as JSON; upload a new version (a file
// or pasted text), validated with every error named by its JSON path, saved as the next version.
import type { FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { PageDeps } from '../../platform/modules.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { Problem } from '../../platform/http/problem.ts';
import { govukDateTime } from '../../platform/uk-time.ts';
import { fieldOf } from '../../web/forms/fields.ts';
import { formTokenFor, oncePerFormToken, postedFormToken, type ErrorItem } from '../../web/forms/index.ts';
import { currentSettings, saveSettings, type VersionedSettings } from './settings-service.ts';
import { isExit, isLeaf, isNode, TRADES, type RepairSettings, type TriageOption } from './rules/settings.ts';

/** The largest settings document accepted (the tree is at most 2,000 options). */
const MAX_DOCUMENT_BYTES = 1024 * 1024;

const refuse = () => new Problem(403, 'You cannot change the repair settings', 'Only administrators manage the repair settings. Ask an administrator.');
const requireAdmin = (ctx: Ctx) => { if (!can(ctx.actor.role, 'repairs:settings')) throw refuse(); };

interface TreeItem { text: string; detail?: string; children?: TreeItem[] }

const EXIT_WORDS = { emergency: 'Stop: call us now', 'cannot-book': 'Stop: cannot be booked online', 'not-responsible': 'Stop: not our responsibility', 'contact-us': 'Stop: contact us' };

/** The tree as nested lists: each question's options, each repair with its SOR code, priority, trade and minutes. */
function treeItems(options: readonly TriageOption[], settings: RepairSettings): TreeItem[] {
  const priority = (code: string) => settings.priorities.find((p) => p.code === code)?.label ?? code;
  return options.map((o) => {
    if (isNode(o)) return { text: o.label, detail: o.question, children: treeItems(o.options, settings) };
    if (isLeaf(o)) return { text: o.label, detail: `${o.sorCode} · ${priority(o.priority)} · ${(TRADES as Record<string, string>)[o.trade] ?? o.trade} · ${o.minutes} minutes` };
    if (isExit(o)) return { text: o.label, detail: EXIT_WORDS[o.exit] };
    return { text: String((o as { label?: unknown }).label ?? '') };
  });
}

const targetWords = (t: { amount: number; unit: string }) => `${t.amount} ${t.unit === 'hours' ? (t.amount === 1 ? 'hour' : 'hours') : (t.amount === 1 ? 'working day' : 'working days')}`;

function settingsView(v: VersionedSettings) {
  const s = v.settings;
  return {
    version: v.version,
    savedWords: v.version === 0 ? 'Hearth\'s default settings: none have been saved yet' : `Saved ${govukDateTime(v.createdAt!)} by ${v.createdBy}`,
    priorities: s.priorities.slice().sort((a, b) => a.rank - b.rank).map((p) => [
      { text: p.label }, { text: p.code }, { text: targetWords(p.target) }, { text: p.emergency ? 'Yes' : 'No' },
    ]),
    awaab: s.priorities.find((p) => p.code === s.awaabPriority)?.label ?? s.awaabPriority,
    emergencies: s.emergencies.map((e) => `${e.label} (${e.action === 'gas' ? 'call the National Gas Emergency number' : 'call us now'})`),
    tree: { text: s.tree.question ?? 'Where is the problem?', children: treeItems(s.tree.options, s) },
    alertRules: s.alertRules.map((r) => [
      { text: r.name }, { text: r.codes.join(', ') }, { text: r.raiseTo ? s.priorities.find((p) => p.code === r.raiseTo)?.label ?? r.raiseTo : 'No change' }, { text: r.operativeWords },
    ]),
    slots: s.slots.map((x) => [{ text: x.label }, { text: x.code }, { text: `${x.start} to ${x.end}` }]),
  };
}

export function settingsPages(app: TypedFastify, deps: PageDeps): void {
  const { page } = deps;

  async function show(req: FastifyRequest, reply: FastifyReply, extra: { errors?: ErrorItem[]; document?: string; saved?: number } = {}) {
    const data = await page(req, async (ctx) => {
      requireAdmin(ctx);
      return settingsView(await currentSettings(ctx));
    });
    const errors = extra.errors ?? [];
    return reply.code(errors.length ? 400 : 200).view('repairs/settings.njk', {
      ...data, title: 'Repair settings', section: 'repairs', errors, document: extra.document ?? '', saved: extra.saved,
      formToken: formTokenFor(req),
    });
  }

  app.get('/repairs/settings', async (req, reply) => {
    const saved = Number(fieldOf(req.query, 'saved'));
    return show(req, reply, Number.isInteger(saved) && saved > 0 ? { saved } : {});
  });

  app.get('/repairs/settings.json', async (req, reply) => {
    const v = await page(req, async (ctx) => {
      requireAdmin(ctx);
      return currentSettings(ctx);
    });
    return reply.type('application/json; charset=utf-8').header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="repair-settings-v${v.version}.json"`).send(`${JSON.stringify(v.settings, null, 2)}\n`);
  });

  // The upload: multipart (a file, or the document pasted), parsed in this scope only; the CSRF token is a field.
  app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_DOCUMENT_BYTES + 1, files: 1, fields: 5, fieldSize: MAX_DOCUMENT_BYTES, parts: 8 },
      throwFileSizeLimit: false,
      async onFile(part) {
        const bytes = await part.toBuffer();
        (part as unknown as { value: unknown }).value = { filename: part.filename, bytes, truncated: part.file.truncated };
      },
    });
    scope.post('/repairs/settings', { preHandler: app.csrfProtection }, async (req, reply) => {
      const file = fieldOf(req.body, 'file') as { filename?: string; bytes?: Buffer; truncated?: boolean } | undefined;
      const pasted = fieldOf(req.body, 'document');
      const fromFile = file?.bytes?.length ? file : undefined;
      const text = fromFile ? fromFile.bytes!.toString('utf8') : typeof pasted === 'string' ? pasted : '';
      const again = (errors: ErrorItem[]) => show(req, reply, { errors, document: fromFile ? '' : text });
      if (fromFile?.truncated) return again([{ text: 'The selected file must be smaller than 1MB', href: '#file' }]);
      if (!text.trim()) return again([{ text: 'Select a JSON file, or paste the settings', href: '#file' }]);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (err) {
        return again([{ text: `The settings are not valid JSON: ${(err as Error).message}`, href: fromFile ? '#file' : '#document' }]);
      }
      try {
        const done = await oncePerFormToken(req, postedFormToken(req), async () => {
          const saved = await page(req, (ctx) => saveSettings(ctx, json).then((v) => ({ version: v.version })));
          return `/repairs/settings?saved=${saved.version}`;
        });
        if (done.kind === 'unknown') return again([{ text: 'This page had expired. Upload the settings again', href: '#file' }]);
        return reply.redirect(done.location, 303);
      } catch (err) {
        if (!(err instanceof Problem) || err.status !== 400) throw err;
        // Every error, by JSON path, as the error summary lists them.
        const href = fromFile ? '#file' : '#document';
        return again((err.errors.length ? err.errors : [{ field: '/', message: err.message }]).slice(0, 100)
          .map((e) => ({ text: `${e.field || '/'}: ${e.message}`, href })));
      }
    });
  });
}
