// Load generator, run as its own process so it does not share the server's event loop.
// Usage: node bench/load.ts <baseUrl> <token> <idsFile> <seconds> <connections>
import fs from 'node:fs';
import autocannon from 'autocannon';

const [base, token, idsFile, seconds, connections] = process.argv.slice(2);
const ids = fs.readFileSync(idsFile!, 'utf8').trim().split('\n');
let i = 0;
const result = await autocannon({
  url: base!,
  connections: Number(connections),
  duration: Number(seconds),
  headers: { authorization: `Bearer ${token}` },
  requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/people/${ids[i++ % ids.length]}` }) }],
});
console.log(JSON.stringify({
  requestsPerSecond: Math.round(result.requests.average),
  p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max,
  total: result.requests.total, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
}));
