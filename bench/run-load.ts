// Runs bench/load.ts in a child process without blocking this process's event loop (the server may live here).
import fs from 'node:fs';
import { spawn } from 'node:child_process';

export interface LoadResult {
  requestsPerSecond: number; p50: number; p90: number; p99: number; max: number;
  total: number; non2xx: number; errors: number; timeouts: number;
}

/** wrk (C, from Debian) if installed: it leaves more of a small machine to the server; else autocannon. */
export const loadTool = fs.existsSync('/usr/bin/wrk') && process.env.BENCH_TOOL !== 'autocannon' ? 'wrk' : 'autocannon';

export function runLoad(base: string, token: string, idsFile: string, seconds: number, connections: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = loadTool === 'wrk'
      ? spawn('/usr/bin/wrk', ['-t', '1', '-c', String(connections), '-d', `${seconds}s`, '--latency', '-s',
          new URL('./wrk-people.lua', import.meta.url).pathname, base, '--', idsFile, token])
      : spawn(process.execPath, [new URL('./load.ts', import.meta.url).pathname, base, token, idsFile, String(seconds), String(connections)]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(err || out));
      const r = JSON.parse(out.trim().split('\n').pop()!);
      resolve(loadTool === 'wrk' ? { ...r, requestsPerSecond: Math.round(r.total / r.seconds), timeouts: 0 } : r);
    });
  });
}
