// Builds Hearth's stylesheet from GOV.UK Frontend's Sass once, and caches it by content so later starts are instant.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const SOURCE = new URL('./styles/app.scss', import.meta.url).pathname;
export const GOVUK_DIST = path.dirname(require.resolve('govuk-frontend/package.json')) + '/dist';

export async function buildStylesheet(cacheDir: string): Promise<string> {
  const govukVersion = JSON.parse(fs.readFileSync(path.join(GOVUK_DIST, '..', 'package.json'), 'utf8')).version as string;
  const key = createHash('sha256').update(fs.readFileSync(SOURCE)).update(govukVersion).digest('hex').slice(0, 16);
  const file = path.join(cacheDir, `hearth-${key}.css`);
  if (fs.existsSync(file)) return file;
  const sass = await import('sass');
  const result = sass.compile(SOURCE, { loadPaths: [path.join(GOVUK_DIST, 'govuk', '..')], style: 'compressed', quietDeps: true, silenceDeprecations: ['import'] });
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(file + '.tmp', result.css);
  fs.renameSync(file + '.tmp', file);
  return file;
}
