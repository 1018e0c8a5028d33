// A real HTTP server on 127.0.0.1 and a free port, for tests of what the hub fetches (feeds, files): the handler
// answers each request; close() ends open connections too, so a test file never waits on a keep-alive.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  /** http://127.0.0.1:<port> */
  base: string;
  close(): Promise<void>;
}

export async function localServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void): Promise<LocalServer> {
  const server = http.createServer((req, res) => handler(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
