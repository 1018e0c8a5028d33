// Where a webhook may be sent (server-side request forgery): only to public addresses. A landlord's administrator
// names the URL, so without this check Hearth could be made to post into its own network (the database, a cloud
// metadata service at 169.254.169.254, an admin port on localhost). The host is resolved and every address it has
// must be public, when the endpoint is added and again at each delivery (DNS can change), and the delivery connects
// to the very addresses that were checked (the lookup below), so a name cannot resolve to a public address for the
// check and a private one for the connection. HEARTH_WEBHOOKS_ALLOW_PRIVATE=1 lifts this for development and tests.
import dns from 'node:dns';
import net, { BlockList } from 'node:net';

/** A URL that passed the checks below (made only by checkDestination). */
export interface SafeUrl {
  readonly href: string;
  readonly checked: true;
}

export const allowPrivate = () => ['1', 'true', 'yes'].includes((process.env.HEARTH_WEBHOOKS_ALLOW_PRIVATE ?? '').toLowerCase());

/** A refusal, with the message for the person who gave the URL. */
export class DestinationRefused extends Error {}

const RANGES: [reason: string, family: 'ipv4' | 'ipv6', prefix: string, bits: number][] = [
  // Any IPv4 address in IPv6 form (::ffff:10.0.0.1), whatever the IPv4 address: public hosts do not publish these.
  ['an IPv4-mapped IPv6 address', 'ipv6', '::ffff:0:0', 96],
  ['a loopback address', 'ipv4', '127.0.0.0', 8],
  ['a loopback address', 'ipv6', '::1', 128],
  ['the unspecified address', 'ipv4', '0.0.0.0', 8],
  ['the unspecified address', 'ipv6', '::', 128],
  ['a private address', 'ipv4', '10.0.0.0', 8],
  ['a private address', 'ipv4', '172.16.0.0', 12],
  ['a private address', 'ipv4', '192.168.0.0', 16],
  ['a carrier-grade NAT address', 'ipv4', '100.64.0.0', 10],
  ['a link-local address (such as a cloud metadata service)', 'ipv4', '169.254.0.0', 16],
  ['a link-local address', 'ipv6', 'fe80::', 10],
  ['a unique local address', 'ipv6', 'fc00::', 7],
  ['a site-local address', 'ipv6', 'fec0::', 10],
  ['a multicast address', 'ipv4', '224.0.0.0', 4],
  ['a multicast address', 'ipv6', 'ff00::', 8],
  ['a reserved address', 'ipv4', '240.0.0.0', 4],
  ['a reserved address', 'ipv4', '192.0.0.0', 24],
  ['a reserved address', 'ipv4', '198.18.0.0', 15],
  ['a reserved address', 'ipv4', '192.88.99.0', 24],
  ['a documentation address', 'ipv4', '192.0.2.0', 24],
  ['a documentation address', 'ipv4', '198.51.100.0', 24],
  ['a documentation address', 'ipv4', '203.0.113.0', 24],
  ['a documentation address', 'ipv6', '2001:db8::', 32],
  ['a documentation address', 'ipv6', '3fff::', 20],
  // Other IPv6 forms that carry an IPv4 address, which could be a private one: compatible, NAT64, 6to4, Teredo (2001::/32).
  ['an IPv4-compatible IPv6 address', 'ipv6', '::', 96],
  ['a NAT64 address', 'ipv6', '64:ff9b::', 96],
  ['a NAT64 address', 'ipv6', '64:ff9b:1::', 48],
  ['a 6to4 address', 'ipv6', '2002::', 16],
  ['a reserved address', 'ipv6', '2001::', 23],
  ['a reserved address', 'ipv6', '100::', 64],
];

// One list per reason, in the order above, so the message names the most telling one.
const LISTS = RANGES.map(([reason, family, prefix, bits]) => {
  const list = new BlockList();
  list.addSubnet(prefix, bits, family);
  return { reason, family, list };
});

/** Why an IP address is not a public one (undefined when it is). */
export function blockedReason(address: string): string | undefined {
  const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : undefined;
  if (!family) return 'not an IP address';
  // Only the rules of the address's own family: BlockList matches an IPv4 address against IPv6 rules by its mapped form.
  return LISTS.find((l) => l.family === family && l.list.check(address, family))?.reason;
}

const isLoopback = (address: string) => blockedReason(address) === 'a loopback address' || /^::ffff:127\./i.test(address);

const LOOKUP_MS = 5000;

/** Every address a host name has (an IP literal is its own), within 5 seconds. */
export async function resolveHost(host: string): Promise<string[]> {
  if (net.isIP(host)) return [host];
  let timer: NodeJS.Timeout | undefined;
  try {
    const found = await Promise.race([
      dns.promises.lookup(host, { all: true, verbatim: true }),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new DestinationRefused(`its host ${host} could not be looked up within ${LOOKUP_MS / 1000} seconds`)), LOOKUP_MS); }),
    ]);
    if (!found.length) throw new DestinationRefused(`its host ${host} has no address`);
    return found.map((a) => a.address);
  } catch (err) {
    if (err instanceof DestinationRefused) throw err;
    const code = (err as { code?: string }).code;
    throw new DestinationRefused(code === 'ENOTFOUND' || code === 'ENODATA' ? `its host ${host} could not be found` : `its host ${host} could not be looked up (${code ?? 'error'})`);
  } finally {
    clearTimeout(timer);
  }
}

/** The first address of `addresses` that may not be sent to, with why; undefined when all may. */
function refusal(addresses: readonly string[], host: string, scheme: string, allow: boolean): string | undefined {
  for (const a of addresses) {
    if (scheme === 'http:' && !(allow && isLoopback(a))) {
      return allow ? 'must use https (http only to a loopback address)' : 'must use https';
    }
    const reason = blockedReason(a);
    if (reason && !allow) return `${host === a ? host : `its host ${host} resolves to ${a}, which`} is ${reason}: webhooks are sent only to public addresses`;
  }
  return undefined;
}

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

/** Check a webhook URL as given: its form, then every address its host resolves to. Throws DestinationRefused. */
export async function checkDestination(text: string): Promise<SafeUrl> {
  let url: URL;
  try { url = new URL(text); } catch { throw new DestinationRefused('must be a full URL such as https://example.org/hearth-events'); }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DestinationRefused('must use https');
  if (url.username || url.password) throw new DestinationRefused('must not hold a user name or password (Hearth signs each delivery instead)');
  if (url.hash) throw new DestinationRefused('must not have a #fragment');
  const allow = allowPrivate();
  if (url.protocol === 'http:' && !allow) throw new DestinationRefused('must use https');
  const host = bare(url.hostname);
  const why = refusal(await resolveHost(host), host, url.protocol, allow);
  if (why) throw new DestinationRefused(why);
  return { href: url.href, checked: true };
}

/**
 * A `lookup` for http.request that resolves the host, refuses it unless every address may be sent to, and hands the
 * connection exactly those addresses. An IP literal never reaches a lookup, so deliveries check those beforehand
 * (checkDestination again at each attempt).
 */
export function guardedLookup(scheme: string): net.LookupFunction {
  return (hostname, options, callback) => {
    resolveHost(hostname).then((addresses) => {
      const why = refusal(addresses, hostname, scheme, allowPrivate());
      if (why) throw new DestinationRefused(why);
      const family = (a: string) => (net.isIPv6(a) ? 6 : 4);
      const wanted = addresses.filter((a) => !options.family || family(a) === options.family);
      if (!wanted.length) throw new DestinationRefused(`its host ${hostname} has no IPv${options.family} address`);
      if (options.all) (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, wanted.map((a) => ({ address: a, family: family(a) })));
      else callback(null, wanted[0]!, family(wanted[0]!));
    }).catch((err: Error) => callback(err as NodeJS.ErrnoException, '', 0));
  };
}
