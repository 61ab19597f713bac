// The one place where a database that cannot be reached becomes ServiceUnavailable (503), on
// every dialect: a Kysely dialect wrapper whose driver translates the drivers' connection errors
// (better-sqlite3, pg, mysql2) as they are thrown, so no caller has to know driver error codes,
// and the API edge answers 503 in the service's own error body instead of a 500.

import type { CompiledQuery, DatabaseConnection, DatabaseIntrospector, Dialect, DialectAdapter, Driver, Kysely, QueryCompiler, QueryResult, TransactionSettings } from 'kysely';
import { ServiceUnavailable } from '../errors/index.js';

/** The database could not be reached or used right now; retrying later may succeed. */
export class DatabaseUnavailable extends ServiceUnavailable {}

/** SQLite: the file is locked past busy_timeout, cannot be opened, or the disk failed. */
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|NOLFS|PROTOCOL)(_|$)/;

/** Socket-level failures every network driver reports with Node's codes. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01..57P03 (server shutting down,
 * crashed, not yet accepting), 53300 (too many connections).
 */
const POSTGRES_STATES = /^(08\d{3}|57P0[1-3]|53300)$/;

/** mysql2's own codes for a lost or refused connection, and MariaDB's "too many connections". */
const MYSQL_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR']);

/** pg raises these without a code when the socket drops or the pool cannot connect in time. */
const POSTGRES_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** True for a driver error that means "the database is unreachable", not "the query is wrong". */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof DatabaseUnavailable) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SQLITE_CODES.test(code) || SOCKET_CODES.has(code) || POSTGRES_STATES.test(code) || MYSQL_CODES.has(code)) return true;
  }
  // An AggregateError (pg over IPv4 and IPv6) holds the per-address socket errors.
  if (error instanceof AggregateError && error.errors.some((inner) => isConnectionFailure(inner))) return true;
  return POSTGRES_MESSAGES.test(error.message);
}

/** `error` as DatabaseUnavailable when it is a connection failure; otherwise `error` itself. */
export function asDatabaseError(error: unknown): unknown {
  if (error instanceof DatabaseUnavailable || !isConnectionFailure(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new DatabaseUnavailable(`The database is unavailable: ${detail}`, { cause: error });
}

async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asDatabaseError(error);
  }
}

class GuardedConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return translated(() => this.inner.executeQuery<R>(compiledQuery));
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(compiledQuery, chunkSize);
    } catch (error) {
      throw asDatabaseError(error);
    }
  }
}

function innerOf(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof GuardedConnection ? connection.inner : connection;
}

class GuardedDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return translated(() => this.inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new GuardedConnection(await translated(() => this.inner.acquireConnection()));
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return translated(() => this.inner.beginTransaction(innerOf(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return translated(() => this.inner.commitTransaction(innerOf(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return translated(() => this.inner.rollbackTransaction(innerOf(connection)));
  }

  async savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    const method = this.inner.savepoint?.bind(this.inner);
    if (!method) throw new Error('This dialect does not support savepoints.');
    await translated(() => method(innerOf(connection), name, compileQuery));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    const method = this.inner.rollbackToSavepoint?.bind(this.inner);
    if (!method) throw new Error('This dialect does not support savepoints.');
    await translated(() => method(innerOf(connection), name, compileQuery));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    const method = this.inner.releaseSavepoint?.bind(this.inner);
    if (!method) throw new Error('This dialect does not support savepoints.');
    await translated(() => method(innerOf(connection), name, compileQuery));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(innerOf(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** `dialect`, with every connection failure of its driver thrown as DatabaseUnavailable. */
export class ConnectionFailureDialect implements Dialect {
  constructor(private readonly inner: Dialect) {}

  createDriver(): Driver {
    return new GuardedDriver(this.inner.createDriver());
  }

  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return this.inner.createAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }
}
