// Parses oslo.messaging transport URLs for RabbitMQ:
// `rabbit://user:pass@host1:5672,user:pass@host2:5672/vhost?ssl=1`. Several hosts are tried
// in order on each connect, as oslo's rabbit driver fails over between them.

import { InvalidTransportUrl } from '../errors.js';

export interface RabbitHost {
  readonly protocol: 'amqp' | 'amqps';
  readonly hostname: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
}

export interface RabbitUrl {
  readonly hosts: readonly RabbitHost[];
  /** Virtual host; `/` when the URL has no path. */
  readonly vhost: string;
}

const URL_PATTERN = /^(rabbit|amqp|amqps):\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/;

export function parseRabbitUrl(url: string): RabbitUrl {
  const match = URL_PATTERN.exec(url);
  if (match === null) throw new InvalidTransportUrl(`Not a RabbitMQ transport URL: ${redact(url)}`);
  const [, scheme = '', authority = '', path = '', query = ''] = match;
  const secure = scheme === 'amqps' || isTrue(new URLSearchParams(query).get('ssl'));
  const hosts = authority.split(',').map((entry) => parseHost(entry, secure, url));
  const vhost = path === '' || path === '/' ? '/' : decodeURIComponent(path.slice(1));
  return { hosts, vhost };
}

/** `amqp://guest@127.0.0.1:5672/` without the password, for logs and error messages. */
export function describeRabbitHost(host: RabbitHost, vhost: string): string {
  const hostname = host.hostname.includes(':') ? `[${host.hostname}]` : host.hostname;
  const path = vhost === '/' ? '' : encodeURIComponent(vhost);
  return `${host.protocol}://${encodeURIComponent(host.username)}@${hostname}:${host.port}/${path}`;
}

function parseHost(entry: string, secure: boolean, url: string): RabbitHost {
  const at = entry.lastIndexOf('@');
  const credentials = at < 0 ? '' : entry.slice(0, at);
  const address = entry.slice(at + 1);
  const hostMatch = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(address);
  if (hostMatch === null) throw new InvalidTransportUrl(`Bad host '${address}' in transport URL ${redact(url)}`);
  const [, rawHost = '', rawPort] = hostMatch;
  const colon = credentials.indexOf(':');
  const username = credentials === '' ? 'guest' : decodeURIComponent(colon < 0 ? credentials : credentials.slice(0, colon));
  const password = credentials === '' ? 'guest' : decodeURIComponent(colon < 0 ? '' : credentials.slice(colon + 1));
  return {
    protocol: secure ? 'amqps' : 'amqp',
    hostname: rawHost.replace(/^\[|\]$/g, ''),
    port: rawPort === undefined ? (secure ? 5671 : 5672) : Number(rawPort),
    username,
    password,
  };
}

function isTrue(value: string | null): boolean {
  return value !== null && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

/** Keeps passwords out of error messages. */
function redact(url: string): string {
  return url.replace(/:[^:@/,]*@/g, ':***@');
}
