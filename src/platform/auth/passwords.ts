// scrypt is memory-hard and built into Node, so no native addon is needed (docs/decisions/0003-passwords-scrypt.md).
import { scrypt, randomBytes, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Problem } from '../http/problem.ts';

const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const; // 32 MiB per hash
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/**
 * At most `concurrent` hashes at once, up to `queued` more waiting; beyond that refuse at once (429) rather than let a
 * flood of sign-ins queue without end, each waiting for 32 MiB and a core.
 */
export class HashGate {
  inFlight = 0;
  /** Hashes started since the process began (tests count them). */
  started = 0;
  private readonly waiting: (() => void)[] = [];
  readonly concurrent: number;
  readonly maxQueued: number;
  constructor(concurrent: number, maxQueued: number) {
    this.concurrent = concurrent;
    this.maxQueued = maxQueued;
  }
  get queued() { return this.waiting.length; }
  /** How many can be running or waiting before the next is refused. */
  get capacity() { return this.concurrent + this.maxQueued; }

  /** True when the next hash would be refused. */
  get full() { return this.inFlight >= this.concurrent && this.waiting.length >= this.maxQueued; }

  /** Refuse at once (429) when full: sign-in asks before it counts an attempt, so a refused attempt costs the account nothing. */
  refuseIfFull(): void {
    if (this.full) throw new Problem(429, 'Too many requests', 'Too many sign-in attempts. Wait a minute and try again.');
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.concurrent) {
      this.refuseIfFull();
      // A finishing task hands its place straight to the first waiter, so inFlight never goes over the limit.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.inFlight++;
    }
    this.started++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); else this.inFlight--;
    }
  }
}

/** One gate for the process: scrypt runs on libuv's thread pool, so more hashes at once than cores only queue there. */
export const passwordHashing = new HashGate(availableParallelism(), availableParallelism() * 8);

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await passwordHashing.run(() => derive(password, salt, PARAMS));
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await passwordHashing.run(() => derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p), maxmem: PARAMS.maxmem }));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A stored hash to compare against when the account does not exist, so timing does not reveal which emails exist. */
export const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export const MIN_PASSWORD_LENGTH = 12;
