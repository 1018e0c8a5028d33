// Every setting Hearth reads, in one place, with its default and what it is for.
// Validated once at start: a bad value stops the process with a message naming the variable.
import path from 'node:path';
import proxyAddr from '@fastify/proxy-addr';

export interface Config {
  /** PostgreSQL server URL; when unset Hearth uses embedded PGlite on disk. */
  databaseUrl: string | undefined;
  /**
   * Where the application's request connections go, when not to DATABASE_URL: a connection pooler (PgBouncer) or a
   * login as the role hearth_app (docs/scaling.md). Every such connection must be hearth_app, or it is refused.
   */
  appDatabaseUrl: string | undefined;
  /** Folder for the embedded database (PGlite) and other local state. */
  dataDir: string;
  host: string;
  port: number;
  /** Production mode: secure cookies required, no demo data, secrets must be set. */
  production: boolean;
  /** Secret that signs cookies (CSRF secret cookie). Must be set in production. */
  cookieSecret: string;
  /** Load the synthetic demo landlord on first start when the database is empty. */
  demoOnFirstStart: boolean;
  demoHomes: number;
  /** Largest JSON body the API accepts, in bytes. */
  bodyLimit: number;
  /** Idle session lifetime in minutes. */
  sessionMinutes: number;
  /** Days an API token lives unless its creator chooses (1 to 3650): every token expires. */
  tokenDays: number;
  /** Sign-in attempts allowed per IP address per minute. */
  signInPerMinute: number;
  /** Wrong passwords in a row that lock an account, and for how many minutes. */
  signInLockoutAttempts: number;
  signInLockoutMinutes: number;
  /**
   * Proxies whose X-Forwarded-For is believed (addresses, CIDR ranges, or loopback/linklocal/uniquelocal). Empty: none,
   * so the client's address is the connection's own, whatever a request claims.
   */
  trustedProxies: string[];
  logLevel: string;
  /** Where uploaded files wait until their import has run (then they are deleted). */
  uploadDir: string;
  /** Largest file the upload page and POST /api/v1/imports accept, in bytes. */
  uploadLimit: number;
  /**
   * Whether the hub may pull feeds and files from private and loopback addresses (HEARTH_HUB_ALLOW_PRIVATE): by default
   * only outside production, where the demo's feed is served by the same machine. In production a source must be public.
   */
  hubAllowPrivate: boolean;
  /**
   * Where a visitor who is not signed in lands from / (HEARTH_FRONT_PAGE, a path): unset, the sign-in page. `hearth hub
   * start` sets it to the hub's public site, so a hub's front door is its public pages and staff sign in at /sign-in.
   */
  frontPage: string | null;
  /** PostgreSQL schema of the job queue (pg-boss) that runs imports in the background. */
  jobsSchema: string;
  /** NATS server(s) to publish every event to (JetStream stream HEARTH, subjects hearth.>); unset: no NATS. */
  natsUrl: string | undefined;
  /**
   * GOV.UK Notify API key (`{key name}-{service id}-{secret}`, both ids UUIDs), to send residents' emails and texts;
   * unset: the local provider only keeps each message, shown on /notifications (development and tests).
   */
  notifyApiKey: string | undefined;
  /** GOV.UK Notify's API address (another only for a test double on this machine). */
  notifyBaseUrl: string;
  /**
   * The GOV.UK Notify template of each of Hearth's templates, by channel, as JSON:
   * {"repair-reported": {"email": "<template id>", "sms": "<template id>"}, …}. Required with the API key, for every
   * template (checked as Hearth starts: src/modules/notifications/templates.ts names them).
   */
  notifyTemplates: Record<string, { email?: string; sms?: string }>;
}

function int(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`Setting ${name} must be a whole number, got "${raw}"`);
  return n;
}

/** A path on this server (/hub), never another site: an open redirect would let a link to Hearth lead anywhere. */
function frontPage(value: string | undefined): string | null {
  const v = value?.trim();
  if (!v) return null;
  if (!/^\/[A-Za-z0-9/_-]*$/.test(v) || v.startsWith('//')) throw new Error(`Setting HEARTH_FRONT_PAGE must be a path on this server, such as /hub (got ${JSON.stringify(v)})`);
  return v;
}

function bool(name: string, fallback: boolean, env: NodeJS.ProcessEnv): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new Error(`Setting ${name} must be true or false, got "${raw}"`);
}

function tokenDays(days: number): number {
  if (days < 1 || days > 3650) throw new Error(`Setting HEARTH_TOKEN_DAYS must be a whole number from 1 to 3650, got "${days}"`);
  return days;
}

/** A comma-separated list, each entry checked by the same library Fastify uses to decide whom to trust. */
function trustedProxies(raw: string | undefined): string[] {
  const list = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const entry of list) {
    try {
      proxyAddr.compile(entry);
    } catch {
      throw new Error(`Setting HEARTH_TRUSTED_PROXIES must list IP addresses or CIDR ranges (such as 10.0.0.0/8), separated by commas, got "${entry}"`);
    }
  }
  return list;
}

function atLeastOne(name: string, n: number): number {
  if (n < 1) throw new Error(`Setting ${name} must be at least 1, got "${n}"`);
  return n;
}

function jobsSchema(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Setting HEARTH_JOBS_SCHEMA must be a lower-case PostgreSQL name, got "${name}"`);
  return name;
}

/** nats://host:port (or tls://), several separated by commas; a user and password may be in the URL. */
function natsUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  for (const entry of raw.split(',').map((s) => s.trim())) {
    let ok = false;
    try {
      const u = new URL(entry.includes('://') ? entry : `nats://${entry}`);
      ok = ['nats:', 'tls:'].includes(u.protocol) && u.hostname !== '' && (u.pathname === '' || u.pathname === '/');
    } catch { /* not a URL */ }
    if (!ok) throw new Error(`Setting HEARTH_NATS_URL must be NATS server addresses such as nats://127.0.0.1:4222, separated by commas, got "${entry.replace(/\/\/[^@/]*@/, '//…@')}"`);
  }
  return raw;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** A Notify API key ends with two UUIDs: the service's id and the secret. Never echoed in the message: it is a secret. */
function notifyApiKey(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!new RegExp(`^.+-${UUID}-${UUID}$`, 'i').test(raw.trim())) {
    throw new Error('Setting HEARTH_NOTIFY_API_KEY must be a GOV.UK Notify API key: its name, the service id and the secret, separated by hyphens');
  }
  return raw.trim();
}

/** https://, or http:// to this machine only (a test double): a key must never travel unencrypted. */
function notifyBaseUrl(raw: string | undefined): string {
  const value = (raw || 'https://api.notifications.service.gov.uk').replace(/\/+$/, '');
  let ok = false;
  try {
    const u = new URL(value);
    ok = u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname));
  } catch { /* not a URL */ }
  if (!ok) throw new Error(`Setting HEARTH_NOTIFY_BASE_URL must be an https:// address (http:// only to this machine), got "${value}"`);
  return value;
}

/** {"template name": {"email": "<uuid>", "sms": "<uuid>"}}; required (not empty) when the API key is set. */
function notifyTemplates(raw: string | undefined, apiKey: string | undefined): Config['notifyTemplates'] {
  const fail = (why: string): never => {
    throw new Error(`Setting HEARTH_NOTIFY_TEMPLATES must be JSON such as {"repair-reported": {"email": "<template id>", "sms": "<template id>"}}: ${why}`);
  };
  if (!raw) {
    if (apiKey) fail('it is required with HEARTH_NOTIFY_API_KEY');
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return fail('it is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('it is not an object');
  const out: Config['notifyTemplates'] = {};
  for (const [name, ids] of Object.entries(parsed)) {
    if (typeof ids !== 'object' || ids === null || Array.isArray(ids)) return fail(`"${name}" must name an email and a text message template`);
    const entry: { email?: string; sms?: string } = {};
    for (const [channel, id] of Object.entries(ids)) {
      if (channel !== 'email' && channel !== 'sms') return fail(`"${name}" has "${channel}": only "email" and "sms"`);
      if (typeof id !== 'string' || !new RegExp(`^${UUID}$`, 'i').test(id)) return fail(`"${name}" ${channel} must be a template id (a UUID)`);
      entry[channel] = id.toLowerCase();
    }
    out[name] = entry;
  }
  return out;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const cookieSecret = env.HEARTH_COOKIE_SECRET ?? '';
  if (production && cookieSecret.length < 32) {
    throw new Error('Setting HEARTH_COOKIE_SECRET must be at least 32 characters in production');
  }
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    appDatabaseUrl: env.HEARTH_APP_DATABASE_URL || undefined,
    dataDir: path.resolve(env.HEARTH_DATA_DIR || './data'),
    host: env.HOST || '127.0.0.1',
    port: int('PORT', 3000, env),
    production,
    cookieSecret: cookieSecret || 'development-only-cookie-secret-not-for-production',
    demoOnFirstStart: bool('HEARTH_DEMO', !production, env),
    demoHomes: int('HEARTH_DEMO_HOMES', 5000, env),
    bodyLimit: int('HEARTH_BODY_LIMIT', 1024 * 1024, env),
    sessionMinutes: int('HEARTH_SESSION_MINUTES', 8 * 60, env),
    tokenDays: tokenDays(int('HEARTH_TOKEN_DAYS', 90, env)),
    signInPerMinute: int('HEARTH_SIGN_IN_PER_MINUTE', 10, env),
    signInLockoutAttempts: atLeastOne('HEARTH_SIGN_IN_LOCKOUT_ATTEMPTS', int('HEARTH_SIGN_IN_LOCKOUT_ATTEMPTS', 10, env)),
    signInLockoutMinutes: atLeastOne('HEARTH_SIGN_IN_LOCKOUT_MINUTES', int('HEARTH_SIGN_IN_LOCKOUT_MINUTES', 15, env)),
    trustedProxies: trustedProxies(env.HEARTH_TRUSTED_PROXIES),
    logLevel: env.LOG_LEVEL || (production ? 'info' : 'warn'),
    uploadDir: path.resolve(env.HEARTH_UPLOAD_DIR || path.join(env.HEARTH_DATA_DIR || './data', 'uploads')),
    uploadLimit: int('HEARTH_UPLOAD_LIMIT', 200 * 1024 * 1024, env),
    hubAllowPrivate: bool('HEARTH_HUB_ALLOW_PRIVATE', !production, env),
    frontPage: frontPage(env.HEARTH_FRONT_PAGE),
    jobsSchema: jobsSchema(env.HEARTH_JOBS_SCHEMA || 'pgboss'),
    natsUrl: natsUrl(env.HEARTH_NATS_URL),
    notifyApiKey: notifyApiKey(env.HEARTH_NOTIFY_API_KEY),
    notifyBaseUrl: notifyBaseUrl(env.HEARTH_NOTIFY_BASE_URL),
    notifyTemplates: notifyTemplates(env.HEARTH_NOTIFY_TEMPLATES, notifyApiKey(env.HEARTH_NOTIFY_API_KEY)),
  };
}
