// Demo: the synthetic landlord (`hearth demo`, and the first start's demo data) and its staff accounts. The manifest,
// and the public functions other modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import { demoCommands } from './cli.ts';

export const demoModule = defineModule({
  name: 'demo',
  commands: demoCommands,
});

export { DEMO_PASSWORD, DEMO_USERS } from './users.ts';
export type { DemoOptions, DemoSummary } from './generate.ts';

/** Generate a demo landlord. The generator (and its fake-data library) is loaded only when a demo is made. */
export async function generateDemo(...args: Parameters<typeof import('./generate.ts').generateDemo>) {
  return (await import('./generate.ts')).generateDemo(...args);
}
