// `hearth … | head`: when the reader of its output goes away early, the command stops quietly (no EPIPE crash).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';

const bin = path.resolve(import.meta.dirname, '../../bin/hearth.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-cli-epipe-'));
const env = { ...process.env, HEARTH_DATA_DIR: path.join(dir, 'data') };
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function closedReader(...args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Close our end of its output at once, as `head` does when it has read enough: every write the command makes then
  // meets a closed pipe (EPIPE).
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  return { code, stderr };
}

test('hearth export links and orgs list into a reader that has gone (| head) exit quietly, without an EPIPE crash', async () => {
  const added = await promisify(execFile)(process.execPath, [bin, 'orgs', 'add', '--name', 'Pipe Homes', '--json'], { env, timeout: 120_000 });
  // On a shared PostgreSQL database other test files' landlords are there too: name this one.
  const { id } = JSON.parse(added.stdout) as { id: string };
  for (const args of [['export', 'links', '--organisation', id], ['orgs', 'list', '--json']]) {
    const r = await closedReader(...args);
    assert.doesNotMatch(r.stderr, /EPIPE|Error/, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  }
});
