import { isIP } from 'node:net';
import type { Config } from './config.js';

/**
 * The settings that hold comma-separated lists, checked item by item once the schema has read them: what
 * would otherwise fail later (the hub building its URL policy from a range of /99) or never match is refused
 * at start, with every other problem.
 */

/** A setting that holds a comma-separated list (origins, hosts, delays), as its items. */
export const listSetting = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** What is wrong with the list settings, one line an item. */
export function listSettingProblems(
  config: Pick<Config, 'trustProxy' | 'webhookAllowedHosts' | 'webhookRetryScheduleSeconds'>,
): string[] {
  return [
    ...trustProxyProblems(config.trustProxy),
    ...webhookAllowedHostsProblems(config.webhookAllowedHosts),
    ...retryScheduleProblems(config.webhookRetryScheduleSeconds),
  ];
}

const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Entries of TILLSTREAM_TRUST_PROXY that are no address, range or range name (refused at start, not later). */
function trustProxyProblems(value: string): string[] {
  return listSetting(value)
    .filter((entry) => !PROXY_RANGE_NAMES.has(entry) && !isAddressOrRange(entry))
    .map((entry) => `trustProxy: ${JSON.stringify(entry)} is not an address, a CIDR range or a range name`);
}

/** A DNS host name: dot-separated labels of letters, digits and inner hyphens, at most 253 characters. */
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
/** A last label of digits only is a mistyped address (10.0.0.300), not a name. */
const isHostName = (value: string) => HOST_NAME.test(value) && !/(?:^|\.)\d+$/.test(value);

/**
 * Entries of TILLSTREAM_WEBHOOK_ALLOWED_HOSTS that are no host name, address or range: refused at start, with
 * the others, rather than failing the hub as it builds its URL policy (a range of /99) or never matching.
 */
function webhookAllowedHostsProblems(value: string): string[] {
  return listSetting(value)
    .filter((entry) => {
      const bare = entry.replace(/^\[(.*)\]$/, '$1');
      return !isAddressOrRange(bare) && !isHostName(bare);
    })
    .map(
      (entry) =>
        `webhookAllowedHosts: ${JSON.stringify(entry)} is not a host name, an IP address or a CIDR range`,
    );
}

/** The longest wait between two attempts of a webhook: a week. */
const LONGEST_RETRY_DELAY_SECONDS = 604_800;

/** Delays of TILLSTREAM_WEBHOOK_RETRY_SCHEDULE_SECONDS past a week (the pattern has checked their form). */
function retryScheduleProblems(value: string): string[] {
  return listSetting(value)
    .filter((delay) => Number(delay) > LONGEST_RETRY_DELAY_SECONDS)
    .map(
      (delay) =>
        `webhookRetryScheduleSeconds: ${delay} is more than a week (${LONGEST_RETRY_DELAY_SECONDS} s) between attempts`,
    );
}

/** An IPv4 or IPv6 address, or a CIDR range of one with a prefix its family allows. */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
