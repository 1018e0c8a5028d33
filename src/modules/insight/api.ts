// The higher-risk buildings register over the API: every block the caller's organisation holds, assessed against the
// Building Safety Act 2022 line (18 m or 7 storeys, with 2 or more residential units), in three lists.
import { Type, type Static } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { API_ROUTE, type Run } from '../../platform/records/api.ts';
import { ProblemSchema } from '../../platform/http/schemas.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { higherRiskRegister, type HrbEntry } from './higher-risk.ts';

const errors = { 401: ProblemSchema, 403: ProblemSchema };
const security = [{ bearer: [] }];

const n = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });
const s = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

const HrbEntrySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  estateName: s('The estate the block is on'),
  storeys: n('Storeys above ground'),
  heightMetres: n('Height in metres'),
  heightMethod: s('measured or estimated; null when not recorded'),
  residentialUnits: n('Residential units recorded for the block'),
  yearBuilt: n('Year built'),
  buildingNumber: s('Building number'),
  street: s('Street'),
  town: s('Town'),
  postcode: s('Postcode'),
  homes: Type.Integer({ description: 'Homes Hearth holds in the block' }),
  residents: Type.Integer({ description: 'People living in the block today: members of current tenancies of its homes' }),
  assessment: Type.Object({
    status: Type.Union([Type.Literal('higher-risk'), Type.Literal('data-needed'), Type.Literal('not-higher-risk')]),
    reasons: Type.Array(Type.String(), { description: 'Why: the facts that put the block on (or off) the register, or what to measure' }),
  }),
  self: Type.String({ description: 'The block’s page' }),
});

export const HigherRiskRegisterSchema = Type.Object({
  counts: Type.Object({ blocks: Type.Integer(), higherRisk: Type.Integer(), dataNeeded: Type.Integer(), notHigherRisk: Type.Integer() }),
  higherRisk: Type.Array(HrbEntrySchema, { description: 'Blocks that are higher-risk buildings: to register with the Building Safety Regulator' }),
  dataNeeded: Type.Array(HrbEntrySchema, { description: 'Blocks that cannot be ruled out until measured' }),
  notHigherRisk: Type.Array(HrbEntrySchema),
});
export type HigherRiskRegister = Static<typeof HigherRiskRegisterSchema>;

const present = (e: HrbEntry) => ({ ...e, assessment: { status: e.assessment.status, reasons: e.assessment.reasons }, self: `/blocks/${e.id}` });

/** The register as the API, the CLI's --json and the page show it. */
export async function higherRiskRegisterView(ctx: Ctx): Promise<HigherRiskRegister> {
  const r = await higherRiskRegister(ctx);
  return {
    counts: {
      blocks: r.higherRisk.length + r.dataNeeded.length + r.notHigherRisk.length,
      higherRisk: r.higherRisk.length, dataNeeded: r.dataNeeded.length, notHigherRisk: r.notHigherRisk.length,
    },
    higherRisk: r.higherRisk.map(present), dataNeeded: r.dataNeeded.map(present), notHigherRisk: r.notHigherRisk.map(present),
  };
}

export function insightApi(app: FastifyInstance, run: Run) {
  app.get('/insight/higher-risk-buildings', {
    ...API_ROUTE,
    schema: {
      tags: ['Insight'], security,
      summary: 'The higher-risk buildings register: every block assessed against 18 m or 7 storeys with 2 or more residential units; those that need measuring listed apart',
      response: { 200: HigherRiskRegisterSchema, ...errors },
    },
  }, async (req) => run(req, higherRiskRegisterView));
}
