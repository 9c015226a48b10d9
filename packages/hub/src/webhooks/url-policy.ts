import { BlockList, isIP, type LookupFunction } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import { invalid, unprocessable } from '@tillstream/kernel';

/** Loopback, private, link-local, shared, multicast, documentation and reserved ranges (RFC 6890 and kin). */
const BLOCKED_V4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
];
/**
 * IPv4-compatible, IPv4-mapped, IPv4-translated, NAT64 (well-known and local-use) and 6to4 ranges are blocked
 * whole: they could smuggle any IPv4 address. `::/96` also holds `::` and `::1`.
 */
const BLOCKED_V6 = [
  '::/96',
  '::ffff:0:0/96',
  '::ffff:0:0:0/96',
  '64:ff9b::/96',
  '64:ff9b:1::/48',
  '100::/64',
  '2001::/23',
  '2001:db8::/32',
  '2002::/16',
  // Documentation (RFC 9637) and SRv6 SIDs (RFC 9602): never a receiver on the public internet.
  '3fff::/20',
  '5f00::/16',
  'fc00::/7',
  'fe80::/10',
  'fec0::/10',
  'ff00::/8',
];

function subnets(ranges: readonly string[], type: 'ipv4' | 'ipv6', list = new BlockList()): BlockList {
  for (const range of ranges) {
    const [network, prefix] = range.split('/');
    list.addSubnet(network!, Number(prefix), type);
  }
  return list;
}

// Two lists: a BlockList holding the IPv6 range ::ffff:0:0/96 would match every IPv4 address too.
const blockedV4 = subnets(BLOCKED_V4, 'ipv4');
const blockedV6 = subnets(BLOCKED_V6, 'ipv6');

const family = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');
const isBlocked = (address: string) =>
  family(address) === 'ipv6' ? blockedV6.check(address, 'ipv6') : blockedV4.check(address, 'ipv4');

export type Resolver = (hostname: string) => Promise<string[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses.map((entry) => entry.address)),
    ),
  );

/** An absolute http(s) URL without credentials or fragment; anything else is refused as invalid input. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('webhook_url_invalid', 'The webhook URL is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid('webhook_url_invalid', `Webhooks are sent over http or https, not ${url.protocol}`);
  if (url.username || url.password)
    throw invalid('webhook_url_invalid', 'Put credentials in the secret, not in the URL');
  if (url.hash) throw invalid('webhook_url_invalid', 'A webhook URL has no fragment');
  // Port 0 is no port a server listens on; connecting to it fails, or picks whatever the OS does with it.
  if (url.port === '0') throw invalid('webhook_url_invalid', 'A webhook URL cannot use port 0');
  return url;
}

/** URL hostnames keep IPv6 literals in brackets. */
const bareHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/**
 * Guards outgoing webhooks against SSRF. A URL is refused when its host is, or resolves to, an address in a
 * blocked range, unless the operator allowed that host name, address or CIDR range (`webhookAllowedHosts`).
 * The check runs when a subscription is saved and again, on the address actually connected to, for every
 * attempt (`lookup`), so a DNS answer that changes later cannot redirect deliveries inside the network.
 */
export function createUrlPolicy(options: { allowedHosts: readonly string[]; resolve?: Resolver }) {
  const names = new Set<string>();
  const allowed = new BlockList();
  for (const entry of options.allowedHosts.map((host) => host.trim().toLowerCase()).filter(Boolean)) {
    const [address, prefix] = entry.replace(/^\[(.*)\]$/, '$1').split('/');
    if (isIP(address!) && prefix) allowed.addSubnet(address!, Number(prefix), family(address!));
    else if (isIP(address!)) allowed.addAddress(address!, family(address!));
    else names.add(entry);
  }
  const resolve = options.resolve ?? systemResolver;
  const permitted = (address: string) => !isBlocked(address) || allowed.check(address, family(address));

  return {
    permitted,
    /** Validates a URL for a subscription; throws the DomainError the API answers with. */
    async check(raw: string): Promise<URL> {
      const url = parseWebhookUrl(raw);
      const host = bareHost(url);
      if (names.has(host)) return url;
      let addresses = [host];
      if (!isIP(host)) {
        addresses = await resolve(host).catch(() => []);
        if (addresses.length === 0)
          throw unprocessable('webhook_url_unresolvable', `${host} has no DNS address`);
      }
      const refused = addresses.filter((address) => !permitted(address));
      if (refused.length > 0)
        throw unprocessable(
          'webhook_url_not_allowed',
          `${host} is or resolves to a private, loopback or reserved address`,
          { addresses: refused },
        );
      return url;
    },
    /** For an attempt to an IP literal, which never passes through `lookup`. */
    literalRefused(url: URL): boolean {
      const host = bareHost(url);
      return isIP(host) !== 0 && !names.has(host) && !permitted(host);
    },
    /** A `lookup` for node:http that fails the connection when a name resolves to a refused address. */
    lookup: ((hostname, lookupOptions, callback) => {
      dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
        if (error) return callback(error, '', 0);
        const refused = names.has(hostname.toLowerCase())
          ? []
          : addresses.filter((entry) => !permitted(entry.address));
        if (refused.length > 0 || addresses.length === 0) {
          const reason = new Error(`${hostname} resolves to a refused address ${refused[0]?.address ?? ''}`);
          return callback(Object.assign(reason, { code: 'EADDRREFUSED' }), '', 0);
        }
        if (lookupOptions.all) return (callback as (e: null, a: typeof addresses) => void)(null, addresses);
        return callback(null, addresses[0]!.address, addresses[0]!.family);
      });
    }) as LookupFunction,
  };
}

export type UrlPolicy = ReturnType<typeof createUrlPolicy>;
