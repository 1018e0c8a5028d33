#!/usr/bin/env node
// The `hearth` command. Hearth runs on Node 24 (pinned as the `node` dev dependency); when this file is started by
// an older Node (e.g. the machine's), re-run it on the project's Node 24 so TypeScript runs by type stripping.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const main = path.join(root, 'src', 'cli', 'main.ts');
const major = Number(process.versions.node.split('.')[0]);
if (major >= 24) {
  await import(main);
} else {
  const pinned = path.join(root, 'node_modules', 'node', 'bin', 'node');
  if (!fs.existsSync(pinned)) {
    console.error(`Hearth needs Node 24 or later (this is ${process.version}). Run npm install in ${root} first.`);
    process.exit(1);
  }
  const r = spawnSync(pinned, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
