// A journey: a form in several steps, one question page each, then a check-your-answers page (govukSummaryList, a
// "Change" link back to each step) that sends them all once. The pages, under one base URL:
//   GET  <base>                → the first step
//   GET  <base>/<step>         → the step's form, filled from the answers so far (a step is not reached before the
//                                ones ahead of it are answered); ?change=1 comes back to the check page afterwards
//   POST <base>/<step>         → parsed by the step's form: errors on the same page, else kept, then the next page
//   GET  <base>/check          → every answer, each with a Change link, and the send button (with a one-time token)
//   POST <base>/check          → submit(answers) once: a double click, or sending the page again, goes where the
//                                first led and writes nothing more; the answers are then forgotten
// Answers are kept per session and per journey URL (two homes' journeys never mix), in memory like the form tokens
// (docs/decisions/0020-forms.md): a restart loses a journey half done.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static, TObject } from 'typebox';
import { Problem } from '../../platform/http/problem.ts';
import type { Form, FormResult } from './define.ts';
import { errorLookup, type ErrorItem } from './errors.ts';
import { fieldOf } from './fields.ts';
import { formTokens, postedFormToken, tokenSession } from './tokens.ts';

/** One step: a form and the module's view that draws it. */
export interface JourneyStep<S extends TObject = TObject> {
  /** The step's URL segment ("hazard", "when"): not "check". */
  slug: string;
  /** The page's title (its question). */
  title: string;
  form: Form<S>;
  /** The view, as "<module>/<view>.njk". It is given title, values (as posted), errors, errorFor, action, backLink. */
  template: string;
  /** The step's rows on the check page: what was asked and what was answered. */
  summary(values: Static<S>): { key: string; value: string }[];
}

/** Declare a step with its form's types checked. */
export const step = <S extends TObject>(s: JourneyStep<S>): JourneyStep => s as unknown as JourneyStep;

export type Answers = Record<string, Record<string, unknown>>;

export interface JourneyDefinition {
  /** The URL the journey lives under, with route parameters: "/homes/:id/repairs/report". */
  base: string;
  steps: JourneyStep[];
  /** The check page's title and button. */
  checkTitle?: string;
  submitText: string;
  /** Refuse the request (a permission) before any page of the journey. */
  guard?(req: FastifyRequest): void;
  /** What every page's view is also given (the home's address, say), and the layout's data (the page runner). */
  context(req: FastifyRequest): Promise<Record<string, unknown>>;
  /** Do the work with every step's values (by slug); where to go afterwards. Run once per check page. */
  submit(req: FastifyRequest, answers: Answers): Promise<string>;
}

interface Kept { values: Record<string, unknown>; raw: Record<string, unknown> }

/** The journeys' answers: per session and journey URL, the most recent 10,000 (least recently used forgotten). */
class AnswerStore {
  readonly #journeys = new Map<string, Map<string, Kept>>();
  get(key: string): Map<string, Kept> {
    const kept = this.#journeys.get(key) ?? new Map<string, Kept>();
    this.#journeys.delete(key);
    this.#journeys.set(key, kept);
    while (this.#journeys.size > 10_000) this.#journeys.delete(this.#journeys.keys().next().value!);
    return kept;
  }
  forget(key: string) { this.#journeys.delete(key); }
}
const store = new AnswerStore();

class Incomplete extends Error {}

/** Register a journey's pages. Posts need the CSRF token, as every form does. */
export function journey(app: FastifyInstance, def: JourneyDefinition) {
  if (def.steps.some((s) => s.slug === 'check') || new Set(def.steps.map((s) => s.slug)).size !== def.steps.length) {
    throw new Error('A journey\'s steps need different slugs, none of them "check"');
  }
  const urlOf = (req: FastifyRequest) => def.base.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(String(fieldOf(req.params, p))));
  const keyOf = (req: FastifyRequest) => `${tokenSession(req)} ${urlOf(req)}`;
  const firstMissing = (kept: Map<string, Kept>) => def.steps.find((s) => !kept.has(s.slug));
  const stepOf = (req: FastifyRequest) => {
    const found = def.steps.find((s) => s.slug === fieldOf(req.params, 'step'));
    if (!found) throw new Problem(404, 'Page not found');
    return found;
  };
  const changing = (req: FastifyRequest) => fieldOf(req.query, 'change') === '1';
  const csrfProtection = (app as { csrfProtection?: unknown }).csrfProtection;
  if (typeof csrfProtection !== 'function') throw new Error('A journey\'s forms need the CSRF protection (app.csrfProtection)');
  const csrf = { preHandler: csrfProtection } as object;

  async function showStep(req: FastifyRequest, reply: FastifyReply, s: JourneyStep, result?: FormResult<Record<string, unknown>>) {
    const kept = store.get(keyOf(req));
    const i = def.steps.indexOf(s);
    const url = urlOf(req);
    const errors = result && !result.ok ? result.errors : [];
    return reply.code(errors.length ? 400 : 200).view(s.template, {
      ...(await def.context(req)), title: s.title, errors, errorFor: result && !result.ok ? result.errorFor : {},
      values: result?.raw ?? kept.get(s.slug)?.raw ?? {},
      action: `${url}/${s.slug}${changing(req) ? '?change=1' : ''}`,
      backLink: changing(req) ? `${url}/check` : i > 0 ? `${url}/${def.steps[i - 1]!.slug}` : undefined,
    });
  }

  async function showCheck(req: FastifyRequest, reply: FastifyReply, errors: ErrorItem[] = []) {
    const kept = store.get(keyOf(req));
    const url = urlOf(req);
    const rows = def.steps.flatMap((s) => s.summary(kept.get(s.slug)!.values as never).map((r) => ({
      key: { text: r.key }, value: { text: r.value },
      actions: { items: [{ href: `${url}/${s.slug}?change=1`, text: 'Change', visuallyHiddenText: r.key.toLowerCase() }] },
    })));
    return reply.code(errors.length ? 400 : 200).view('web/check-answers.njk', {
      ...(await def.context(req)), title: def.checkTitle ?? 'Check your answers', rows, errors, errorFor: errorLookup(errors),
      action: `${url}/check`, submitText: def.submitText, formToken: formTokens.issue(tokenSession(req)), backLink: `${url}/${def.steps[def.steps.length - 1]!.slug}`,
    });
  }

  app.get(def.base, async (req, reply) => {
    def.guard?.(req);
    return reply.redirect(`${urlOf(req)}/${def.steps[0]!.slug}`, 303);
  });

  app.get(`${def.base}/check`, async (req, reply) => {
    def.guard?.(req);
    const missing = firstMissing(store.get(keyOf(req)));
    if (missing) return reply.redirect(`${urlOf(req)}/${missing.slug}`, 303);
    return showCheck(req, reply);
  });

  app.post(`${def.base}/check`, csrf, async (req, reply) => {
    def.guard?.(req);
    const key = keyOf(req);
    try {
      const done = await formTokens.once(tokenSession(req), postedFormToken(req), async () => {
        const kept = store.get(key);
        if (firstMissing(kept)) throw new Incomplete();
        const location = await def.submit(req, Object.fromEntries([...kept].map(([slug, k]) => [slug, k.values])));
        store.forget(key);
        return location;
      });
      if (done.kind === 'unknown') {
        const missing = firstMissing(store.get(key));
        if (missing) return reply.redirect(`${urlOf(req)}/${missing.slug}`, 303);
        return showCheck(req, reply, [{ text: 'This page had expired. Check your answers and send them again', href: '#submit' }]);
      }
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (!(err instanceof Incomplete)) throw err;
      return reply.redirect(`${urlOf(req)}/${firstMissing(store.get(key))!.slug}`, 303);
    }
  });

  app.get(`${def.base}/:step`, async (req, reply) => {
    def.guard?.(req);
    const s = stepOf(req);
    const missing = firstMissing(store.get(keyOf(req)));
    if (missing && def.steps.indexOf(missing) < def.steps.indexOf(s)) return reply.redirect(`${urlOf(req)}/${missing.slug}`, 303);
    return showStep(req, reply, s);
  });

  app.post(`${def.base}/:step`, csrf, async (req, reply) => {
    def.guard?.(req);
    const s = stepOf(req);
    const result = s.form.parse(req.body) as FormResult<Record<string, unknown>>;
    if (!result.ok) return showStep(req, reply, s, result);
    const kept = store.get(keyOf(req));
    kept.set(s.slug, { values: result.values, raw: result.raw });
    // The next question not yet answered; after a change, or when all are answered, the check page.
    const next = changing(req) ? undefined : firstMissing(kept);
    return reply.redirect(`${urlOf(req)}/${next ? next.slug : 'check'}`, 303);
  });
}
