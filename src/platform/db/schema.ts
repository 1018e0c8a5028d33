// The whole schema, for drizzle-kit and for typed queries. Each module owns its tables.
export * from '../../modules/organisations/schema.ts';
export * from '../../modules/homes/schema.ts';
export * from '../../modules/people/schema.ts';
export * from '../../modules/tenancies/schema.ts';
export * from '../../modules/repairs/schema.ts';
export * from '../../modules/notes/schema.ts';
export * from '../../modules/ingest/schema.ts';
export * from '../../modules/linkage/schema.ts';
export * from '../auth/schema.ts';
export * from '../audit/schema.ts';
export * from '../provenance/schema.ts';
export * from '../http/schema.ts';
export * from '../../modules/hazards/schema.ts';
export * from '../../modules/insight/schema.ts';
export * from '../events/schema.ts';
export * from '../../modules/webhooks/schema.ts';
