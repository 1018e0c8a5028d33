// The NATS publisher (issue 12, decision 0019): an optional relay subscriber that publishes every event, as CloudEvents
// JSON, to a JetStream stream, for systems that would rather read a broker than call Hearth. Off unless HEARTH_NATS_URL
// is set. Subject: <prefix>.<organisation id>.<kind>.<created|updated>. The event id is the message id (Nats-Msg-Id),
// so a batch published again after a crash (published, but the relay's position not committed) is dropped by JetStream
// as a duplicate within the stream's duplicate window. A batch counts as handled only when JetStream has acknowledged
// every message of it; while NATS is down the batch fails and its events wait in the outbox (onFailure 'wait').
import { connect, headers, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, JetStreamApiCodes, JetStreamApiError, type JetStreamClient } from '@nats-io/jetstream';
import type { Subscriber } from './relay.ts';
import { cloudEvent, type StoredEvent } from './outbox.ts';
import { isSensitiveKind } from '../provenance/service.ts';

export interface NatsOptions {
  /** HEARTH_NATS_URL: one server or several, comma-separated (nats://user:password@host:4222 for a user's password). */
  url: string;
  /** The JetStream stream; created, taking `<prefix>.>`, when missing. */
  stream?: string;
  /** First token of every subject. */
  prefix?: string;
  /** How long to wait for a connection, or for JetStream to acknowledge a batch, in milliseconds. */
  timeoutMs?: number;
  log?: { error(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

export interface NatsPublisher extends Subscriber {
  close(): Promise<void>;
}

/** hearth.<organisation id>.<kind>.<created|updated> */
export const natsSubject = (prefix: string, e: StoredEvent) => `${prefix}.${e.organisationId}.${e.entityKind}.${e.type.slice(e.type.lastIndexOf('.') + 1)}`;

/** The servers of HEARTH_NATS_URL, and a user and password if a URL names them (the client takes them apart). */
export function natsServers(url: string): Pick<ConnectionOptions, 'servers' | 'user' | 'pass'> {
  let user: string | undefined;
  let pass: string | undefined;
  const servers = url.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const u = new URL(s.includes('://') ? s : `nats://${s}`);
    if (u.username) { user = decodeURIComponent(u.username); pass = decodeURIComponent(u.password); }
    return `${u.protocol}//${u.host}`;
  });
  return { servers, ...(user ? { user, pass } : {}) };
}

/** A connection after this long a wait is tried again at the next batch, not before. */
const RECONNECT_WAIT_MS = 2000;

export function natsPublisher(options: NatsOptions): NatsPublisher {
  const stream = options.stream ?? 'HEARTH';
  const prefix = options.prefix ?? 'hearth';
  const timeout = options.timeoutMs ?? 5000;
  const where = natsServers(options.url).servers as string[];
  let nc: NatsConnection | undefined;
  let js: JetStreamClient | undefined;
  let opening: Promise<void> | undefined;
  let connected = false;
  let streamReady = false;
  let lastTry = 0;
  let down = false;

  // Connection state comes from the client's status events: a lost connection fails batches at once, rather than
  // each waiting out its timeout, while the client reconnects by itself.
  async function watch(c: NatsConnection) {
    for await (const s of c.status()) {
      if (s.type === 'disconnect') connected = false;
      if (s.type === 'reconnect') connected = true;
    }
  }

  async function ensureStream(c: NatsConnection) {
    const jsm = await jetstreamManager(c, { timeout });
    try {
      await jsm.streams.info(stream);
    } catch (err) {
      if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
      // Another server may create it at the same moment: then it is there, as we wanted.
      await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`] }).catch(async (addErr: unknown) => {
        await jsm.streams.info(stream).catch(() => { throw addErr; });
      });
    }
    streamReady = true;
  }

  async function open() {
    if (nc && !nc.isClosed()) return;
    const c = await connect({ ...natsServers(options.url), name: 'hearth', timeout, maxReconnectAttempts: -1, reconnectTimeWait: RECONNECT_WAIT_MS });
    nc = c;
    js = jetstream(c, { timeout });
    connected = true;
    streamReady = false;
    void watch(c).catch(() => undefined);
  }

  async function ready(): Promise<JetStreamClient> {
    if (!nc || nc.isClosed()) {
      if (!opening) {
        if (Date.now() - lastTry < RECONNECT_WAIT_MS) throw new Error(`NATS at ${where.join(', ')} is not answering; the events wait in the outbox`);
        lastTry = Date.now();
        opening = open().finally(() => { opening = undefined; });
      }
      await opening;
    }
    if (!connected) throw new Error(`the connection to NATS at ${where.join(', ')} is lost (reconnecting); the events wait in the outbox`);
    if (!streamReady) await ensureStream(nc!);
    return js!;
  }

  async function publish(batch: StoredEvent[]) {
    const client = await ready();
    // Published together (one connection keeps their order), then every acknowledgement awaited.
    const acks = batch.map((e) => {
      const h = headers();
      h.set('Content-Type', 'application/cloudevents+json; charset=utf-8');
      return client.publish(natsSubject(prefix, e), JSON.stringify(cloudEvent(e)), { msgID: e.id, headers: h, timeout });
    });
    const results = await Promise.allSettled(acks);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) {
      streamReady = false; // the stream may have been deleted: check (and create) it again next time
      throw failed.reason;
    }
  }

  return {
    name: 'nats',
    types: ['uk.hearth.'],
    onFailure: 'wait',
    async handle(_tx, batch) {
      try {
        // A sensitive kind's events (person alerts) never leave Hearth, as for webhooks (decision 0017).
        await publish(batch.filter((e) => !isSensitiveKind(e.entityKind)));
      } catch (err) {
        if (!down) options.log?.error({ err, servers: where, stream }, 'NATS did not take the events; they wait in the outbox and are published when it does');
        down = true;
        throw err;
      }
      if (down) options.log?.info({ servers: where, stream }, 'NATS takes the events again');
      down = false;
    },
    async close() {
      await opening?.catch(() => undefined);
      if (nc && !nc.isClosed()) await nc.close();
    },
  };
}
