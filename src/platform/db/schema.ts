// The platform's own tables. Each module's tables are in its src/modules/<m>/schema.ts, which drizzle-kit finds by
// that path (drizzle.config.ts); the platform never imports a module.
export * from '../auth/schema.ts';
export * from '../audit/schema.ts';
export * from '../provenance/schema.ts';
export * from '../http/schema.ts';
export * from '../events/schema.ts';
