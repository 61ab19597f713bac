// Fixtures for tests of this subsystem and of the routes built on it: an IdentityManager on an
// in-memory SQLite database with cheap hashing, a record of emitted events, and a policy
// enforcer loaded with this subsystem's defaults.

import { randomUUID } from 'node:crypto';
import { migrateDatabase, openDatabase } from '../../common/db/index.js';
import type { Database } from '../../common/db/index.js';
import { EntityNotFound } from '../errors.js';
import { IdentityEvents } from '../events.js';
import type { IdentityEventName } from '../events.js';
import { SqlUserBackend } from './backends/sql.js';
import type { UserTables } from './backends/sql.js';
import { IdentityManager } from './manager.js';
import { userMigrations } from './migrations.js';
import { ScryptPasswordHasher } from '../password-hash.js';
import type { PasswordHasher } from '../password-hash.js';
import { userPolicies } from './policies.js';
import { testAuthorizer } from '../api/testing.js';
import type { Authorizer } from '../api/common.js';

export interface TestIdentity {
  readonly identity: IdentityManager;
  readonly events: IdentityEvents;
  readonly database: Database<UserTables>;
  /** `event:payload-values` for every user/group event emitted, in order. */
  readonly emitted: string[];
  /** The id the next created user or group gets; random when unset. */
  nextId: string | undefined;
  close(): Promise<void>;
}

/** Domains the fixture's domain lookup knows. */
export const TEST_DOMAINS: readonly string[] = ['default', 'other'];

const RECORDED: readonly IdentityEventName[] = ['user.deleted', 'user.credentials_invalidated', 'group.deleted'];

export async function openTestIdentity(hasher: PasswordHasher = new ScryptPasswordHasher({ cost: 16, blockSize: 1 })): Promise<TestIdentity> {
  const database = openDatabase<UserTables>('sqlite:///:memory:');
  await migrateDatabase(database, 'identity', userMigrations);
  const events = new IdentityEvents();
  const emitted: string[] = [];
  for (const name of RECORDED) {
    events.on(name, async (payload) => { emitted.push(`${name}:${Object.values(payload).join(',')}`); });
  }
  const fixture: TestIdentity = {
    events, database, emitted, nextId: undefined,
    identity: new IdentityManager({
      backend: new SqlUserBackend(database.db), events, hasher,
      domains: { getDomain: async (id) => { if (!TEST_DOMAINS.includes(id)) throw new EntityNotFound('domain', id); return { id }; } },
      newId: () => {
        const id = fixture.nextId ?? randomUUID().replaceAll('-', '');
        fixture.nextId = undefined;
        return id;
      },
    }),
    close: () => database.close(),
  };
  return fixture;
}

/** An Authorizer enforcing this subsystem's defaults with Keystone's base rules. */
export function testPolicy(): Authorizer {
  return testAuthorizer(userPolicies);
}
