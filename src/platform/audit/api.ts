import { Type } from 'typebox';
import type { TypedFastify } from '../http/typed.ts';
import { API_ROUTE, type Run } from '../records/api.ts';
import { can } from '../auth/roles.ts';
import { forbidden } from '../http/problem.ts';
import { ProblemSchema, strict } from '../http/schemas.ts';
import { listAudit } from './service.ts';

const AuditEvent = Type.Object({
  id: Type.String(), at: Type.String({ format: 'date-time' }), actorKind: Type.String(), actorId: Type.String(), actorName: Type.String(),
  action: Type.String(), entityKind: Type.String(), entityId: Type.Union([Type.String(), Type.Null()]), detail: Type.Unknown(),
}, { $id: 'AuditEvent' });

export function auditApi(app: TypedFastify, run: Run) {
  app.get('/audit-events', {
    ...API_ROUTE,
    schema: {
      tags: ['Audit'], summary: 'The audit log: every write, every read of person alerts, every sign-in (administrators and data leads)',
      operationId: 'listAuditEvents',
      description: 'Audit events of your organisation, newest first, filtered by entity, action or time; for the next page send the oldest `at` as `before`. ' +
        'Needs audit:read (administrators and data leads): other roles get 403.',
      security: [{ bearer: [] }],
      querystring: Type.Object({
        entityKind: Type.Optional(Type.String({ maxLength: 50 })), entityId: Type.Optional(Type.String({ format: 'uuid' })),
        action: Type.Optional(Type.String({ maxLength: 50 })), before: Type.Optional(Type.String({ format: 'date-time' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
      }, strict),
      response: { 200: Type.Object({ items: Type.Array(AuditEvent) }), 401: ProblemSchema, 403: ProblemSchema },
    },
  }, async (req) => {
    const q = req.query;
    return run(req, async (ctx) => {
      if (!can(ctx.actor.role, 'audit:read')) throw forbidden();
      const items = await listAudit(ctx.tx, ctx.actor.organisationId, { ...q, before: q.before ? new Date(q.before) : undefined, limit: q.limit ?? 100 });
      return { items: items.map((e) => ({ ...e, at: e.at.toISOString() })) };
    });
  });
}
