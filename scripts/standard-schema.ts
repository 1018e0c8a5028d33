// Writes the Hearth Housing Data Standard's published files from its TypeBox schema, so they are the ones the
// validator uses: the JSON Schema (docs/standard/hhds-<version>.schema.json) and the field reference between the
// markers of docs/hub-standard.md. `--check` writes nothing and fails when either differs (a test checks the same).
//   node scripts/standard-schema.ts [--check]
import fs from 'node:fs';
import path from 'node:path';
import { STANDARD_SCHEMA_FILE, standardJsonSchemaText } from '../src/modules/hub/standard/schema.ts';
import { STANDARD_DOC_FILE, withFieldReference } from '../src/modules/hub/standard/reference.ts';

const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => (fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), 'utf8') : '');
const files = [
  { file: STANDARD_SCHEMA_FILE, text: standardJsonSchemaText() },
  { file: STANDARD_DOC_FILE, text: withFieldReference(read(STANDARD_DOC_FILE)) },
];
if (process.argv.includes('--check')) {
  const stale = files.filter((f) => read(f.file) !== f.text).map((f) => f.file);
  if (stale.length) {
    console.error(`hearth: ${stale.join(' and ')} differ${stale.length === 1 ? 's' : ''} from src/modules/hub/standard/schema.ts: run node scripts/standard-schema.ts`);
    process.exit(1);
  }
  console.log('hearth: the standard\'s published files are up to date');
} else {
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(root, f.file)), { recursive: true });
    fs.writeFileSync(path.join(root, f.file), f.text);
    console.log(`hearth: wrote ${f.file}`);
  }
}
