// bench/hub.ts's feed server, in a worker thread (so making pages does not share the hub's event loop): every
// landlord's HHDS change feed as RPDE 1.0 pages at http://127.0.0.1:<port>/feeds/<registration>?afterTimestamp=<m>,
// made on the fly by bench/hub-generate.ts. The parent sets the version (0: initial, 1: after 1% of homes changed)
// and asks for the counts served.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { changesOf, feedPage, type HubPlan } from './hub-generate.ts';

export interface FeedsData { plan: HubPlan }
export type FeedsMessage =
  | { type: 'listening'; port: number }
  | { type: 'version-set'; version: 0 | 1 }
  | { type: 'stats'; pages: number; items: number; bytes: number; busyMs: number }
  | { type: 'error'; message: string };
export type FeedsCommand = { type: 'version'; version: 0 | 1 } | { type: 'stats' } | { type: 'close' };

if (parentPort) {
  const port = parentPort;
  const { plan } = workerData as FeedsData;
  const byRegistration = new Map(plan.landlords.map((l) => [l.registration, l]));
  const changes = new Map<string, ReturnType<typeof changesOf>>();
  let version: 0 | 1 = 0;
  const stats = { pages: 0, items: 0, bytes: 0, busyMs: 0 };

  const server = http.createServer((req, res) => {
    const t0 = performance.now();
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const match = /^\/feeds\/([A-Z0-9]+)$/.exec(url.pathname);
      const l = match ? byRegistration.get(match[1]!) : undefined;
      if (!l) { res.writeHead(404, { 'content-type': 'text/plain' }).end('no such feed'); return; }
      const afterText = url.searchParams.get('afterTimestamp');
      const after = afterText === null ? -1 : Number(afterText);
      let ch = changes.get(l.registration);
      if (version === 1 && !ch) changes.set(l.registration, ch = changesOf(plan.seed, l));
      const items = feedPage(plan.seed, l, version, after, ch);
      const last = items.at(-1);
      const next = last ? `/feeds/${l.registration}?afterTimestamp=${last.modified}&afterId=${encodeURIComponent(last.id)}` : `${url.pathname}${url.search}`;
      const body = JSON.stringify({ next, items, license: 'https://creativecommons.org/licenses/by/4.0/' });
      stats.pages++;
      stats.items += items.length;
      stats.bytes += Buffer.byteLength(body);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end((err as Error).message);
    } finally {
      stats.busyMs += performance.now() - t0;
    }
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    port.postMessage({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 } satisfies FeedsMessage);
  });
  server.on('error', (err) => port.postMessage({ type: 'error', message: err.message } satisfies FeedsMessage));
  port.on('message', (m: FeedsCommand) => {
    if (m.type === 'version') { version = m.version; port.postMessage({ type: 'version-set', version } satisfies FeedsMessage); }
    else if (m.type === 'stats') port.postMessage({ type: 'stats', ...stats } satisfies FeedsMessage);
    else if (m.type === 'close') { server.closeAllConnections(); server.close(() => port.close()); }
  });
}
