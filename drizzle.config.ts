import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the platform's tables and every module's schema.ts (a module's tables live in its
// folder; src/modules/modules.test.ts checks each is declared by a module in the list, src/modules/index.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/platform/db/schema.ts', './src/modules/*/schema.ts'],
  out: './drizzle',
});
