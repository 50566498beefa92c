import { lookup, LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';

const MAX_URL_LENGTH = 2048;
const CREATION_LOOKUP_TIMEOUT_MS = 3000;

export class WebhookUrlRefused extends Error {
  constructor(
    readonly code: 'url_invalid' | 'url_not_allowed',
    message: string,
  ) {
    super(message);
  }
}

/** IPv4 ranges a webhook may never reach: this host, private networks, carrier NAT, link-local (cloud metadata). */
const BLOCKED_IPV4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

/** Ranges inside 2000::/3 (global unicast) that are still not public. */
const BLOCKED_IPV6: ReadonlyArray<readonly [string, number]> = [
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
];

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function ipv4Blocked(address: string): boolean {
  const value = ipv4ToNumber(address);
  return BLOCKED_IPV4.some(([network, prefix]) => {
    const size = 2 ** (32 - prefix);
    return Math.floor(value / size) === Math.floor(ipv4ToNumber(network) / size);
  });
}

/** The 16 bytes of an IPv6 address (zone id dropped; a trailing dotted IPv4 part allowed). */
export function ipv6Bytes(address: string): number[] {
  let text = address.split('%')[0].toLowerCase();
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail.push(...dotted[1].split('.').map(Number));
    text = text.slice(0, -dotted[1].length);
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const groupsWanted = (16 - tail.length) / 2;
  const [head, rest] = text.includes('::') ? text.split('::') : [text, null];
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const zeros = rest === null ? 0 : groupsWanted - headGroups.length - restGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...restGroups];
  const bytes: number[] = [];
  for (const group of groups) {
    const value = parseInt(group || '0', 16);
    bytes.push(value >> 8, value & 0xff);
  }
  return [...bytes, ...tail];
}

function bytesInPrefix(bytes: number[], network: number[], prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((bytes[bit >> 3] & mask) !== (network[bit >> 3] & mask)) return false;
  }
  return true;
}

function embeddedIpv4(bytes: number[], offset: number): string {
  return bytes.slice(offset, offset + 4).join('.');
}

function ipv6Blocked(address: string): boolean {
  const bytes = ipv6Bytes(address);
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
  if (bytesInPrefix(bytes, ipv6Bytes('::ffff:0:0'), 96)) return ipv4Blocked(embeddedIpv4(bytes, 12));
  if (bytesInPrefix(bytes, ipv6Bytes('64:ff9b::'), 96)) return ipv4Blocked(embeddedIpv4(bytes, 12));
  if (bytesInPrefix(bytes, ipv6Bytes('::'), 96)) return true;
  // Everything outside global unicast: ULA fc00::/7, link-local fe80::/10, multicast, loopback, unspecified.
  if (!bytesInPrefix(bytes, ipv6Bytes('2000::'), 3)) return true;
  return BLOCKED_IPV6.some(([network, prefix]) => bytesInPrefix(bytes, ipv6Bytes(network), prefix));
}

/** Whether an IP address is a public internet address a webhook may be sent to. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address.split('%')[0]);
  if (family === 4) return !ipv4Blocked(address);
  if (family === 6) return !ipv6Blocked(address);
  return false;
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Syntax only: an absolute http(s) URL without credentials. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlRefused('url_invalid', 'url must be an absolute http or https URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebhookUrlRefused('url_invalid', `url must use http or https, not ${url.protocol.replace(':', '')}.`);
  }
  if (url.username || url.password) {
    throw new WebhookUrlRefused('url_invalid', 'url must not carry credentials; authenticate with the signature.');
  }
  if (raw.length > MAX_URL_LENGTH) {
    throw new WebhookUrlRefused('url_invalid', `url must be at most ${MAX_URL_LENGTH} characters long.`);
  }
  return url;
}

function refusedAddress(host: string, address: string): WebhookUrlRefused {
  const shown = host === address ? address : `${host} (${address})`;
  return new WebhookUrlRefused(
    'url_not_allowed',
    `Webhooks cannot be sent to ${shown}: loopback, private, link-local and metadata addresses are not allowed.`,
  );
}

/** Refuses IP literals and names (localhost) that can only mean this host or a private network. */
export function assertPublicHostLiteral(url: URL): void {
  const host = hostOf(url);
  if (isIP(host) && !isPublicAddress(host)) throw refusedAddress(host, host);
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) throw refusedAddress(host, name);
}

export type ResolveAll = (host: string) => Promise<LookupAddress[]>;

const resolveAll: ResolveAll = (host) =>
  new Promise((resolve, reject) => {
    lookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

/**
 * Checks a URL given for an endpoint. Names are resolved now to refuse those that point inside; a name that
 * does not resolve yet is accepted, since every delivery resolves and checks it again before connecting.
 */
export async function assertWebhookUrlAllowed(
  raw: string,
  allowPrivate: boolean,
  resolve: ResolveAll = resolveAll,
): Promise<URL> {
  const url = parseWebhookUrl(raw);
  if (allowPrivate) return url;
  assertPublicHostLiteral(url);
  const host = hostOf(url);
  if (isIP(host)) return url;
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    resolve(host).catch(() => []),
    new Promise<LookupAddress[]>((done) => {
      timer = setTimeout(() => done([]), CREATION_LOOKUP_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  const inside = addresses.find((entry) => !isPublicAddress(entry.address));
  if (inside) throw refusedAddress(host, inside.address);
  return url;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that resolves the name and refuses it when any address is not public, so the
 * connection goes to an address that was checked (no window for DNS rebinding between check and connect).
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const inside = addresses.find((entry) => !isPublicAddress(entry.address));
    if (inside || addresses.length === 0) {
      return callback(refusedAddress(hostname, inside?.address ?? 'no address'), []);
    }
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
}
