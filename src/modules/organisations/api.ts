import { Type } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { presentRecord, recordRoutes, type Run } from '../../platform/records/api.ts';
import { line, lineText, codeList, storedCode, strict, pageQuery } from '../../platform/http/schemas.ts';
import { organisationService, ORGANISATION_KINDS } from './service.ts';

const fields = {
  name: line(200, { minLength: 1, description: 'The landlord\'s name: one line, no control characters' }),
  registrationNumber: lineText(20, 'Regulator of Social Housing registration number'),
  kind: codeList(ORGANISATION_KINDS, 'Kind of landlord'),
};
const Organisation = Type.Object({
  id: Type.String({ format: 'uuid' }), version: Type.Integer(), createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }), ...fields,
}, { $id: 'Organisation' });

export function organisationsApi(app: TypedFastify, run: Run) {
  recordRoutes(app, run, {
    path: '/organisations', tag: 'Organisations', name: 'organisation', service: organisationService, record: Organisation,
    // Landlords are created by the operator (`hearth orgs add`): every API caller belongs to exactly one.
    without: ['create'], update: Type.Partial(Type.Object(fields), strict),
    query: Type.Object(pageQuery, strict),
    present: ({ organisationId: _o, sourceReferences: _r, ...o }) => ({ ...presentRecord(o), kind: storedCode(ORGANISATION_KINDS, o.kind) }),
  });
}
