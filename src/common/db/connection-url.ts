// Parses the SQLAlchemy-style connection URLs OpenStack operators already write in
// `[database] connection`, so a tstack.conf reads like a nova.conf or keystone.conf.

import { BadRequest } from '../errors/index.js';

export type DialectName = 'sqlite' | 'postgresql' | 'mysql';

export interface ConnectionSettings {
  readonly dialect: DialectName;
  /** SQLite: file path, or ':memory:'. */
  readonly filename?: string;
  readonly host?: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
}

export class InvalidConnectionUrl extends BadRequest {}

const SCHEME_DIALECTS: Readonly<Record<string, DialectName>> = {
  sqlite: 'sqlite',
  postgres: 'postgresql',
  postgresql: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
};

/**
 * Accepts `sqlite:///abs/path.db`, `sqlite:///:memory:`, `postgresql://user:pw@host:5432/db`,
 * `mysql://root@127.0.0.1:3306/db`; a `+driver` suffix (`mysql+pymysql://`) is ignored.
 * Throws InvalidConnectionUrl naming what is wrong.
 */
export function parseConnectionUrl(url: string): ConnectionSettings {
  const match = /^([a-z]+)(?:\+[a-z0-9_]+)?:\/\/(.*)$/i.exec(url.trim());
  if (!match) throw new InvalidConnectionUrl(`database connection "${redact(url)}" is not a URL like sqlite:///path or postgresql://host/db`);
  const scheme = match[1]!.toLowerCase();
  const dialect = SCHEME_DIALECTS[scheme];
  if (!dialect) throw new InvalidConnectionUrl(`database connection "${redact(url)}": unsupported scheme "${scheme}" (use sqlite, postgresql or mysql)`);
  if (dialect === 'sqlite') {
    const rest = match[2]!;
    // sqlite:///relative, sqlite:////absolute in SQLAlchemy; both mean "everything after the third slash".
    const filename = rest.startsWith('/') ? rest.slice(1) : rest;
    if (filename === '') throw new InvalidConnectionUrl(`database connection "${url}": no SQLite file named`);
    return { dialect, filename: filename === ':memory:' ? ':memory:' : filename.startsWith('/') ? filename : `/${filename}` };
  }
  const parsed = new URL(url.replace(/^[a-z]+(\+[a-z0-9_]+)?:/i, 'http:'));
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) throw new InvalidConnectionUrl(`database connection "${redact(url)}": no database name`);
  return {
    dialect,
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : dialect === 'postgresql' ? 5432 : 3306,
    user: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database,
  };
}

/** The URL with its password replaced, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
