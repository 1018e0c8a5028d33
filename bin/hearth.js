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
// V8's young generation is sized for throughput on big machines: while Hearth's modules load it grows to about
// 150 MB of memory that is never given back. 8 MB semi-spaces keep a long import under 500 MB at no cost in speed
// (measured: docs/decisions/0009). It can only be set when Node starts, so the command starts Node with it.
export const NODE_FLAGS = ['--max-semi-space-size=8'];
if (major >= 24 && process.execArgv.some((a) => a.startsWith('--max-semi-space-size'))) {
  await import(main);
} else {
  const pinned = major >= 24 ? process.execPath : path.join(root, 'node_modules', 'node', 'bin', 'node');
  if (!fs.existsSync(pinned)) {
    console.error(`Hearth needs Node 24 or later (this is ${process.version}). Run npm install in ${root} first.`);
    process.exit(1);
  }
  const r = spawnSync(pinned, [...NODE_FLAGS, main, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.signal) process.kill(process.pid, r.signal); // end as the command ended (a kill -9 stays a kill -9)
  process.exit(r.status ?? 1);
}
