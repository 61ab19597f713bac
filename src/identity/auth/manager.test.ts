// Authentication and token validation end to end over real Fernet keys and fake lookups.
import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthManager } from './manager.js';
import { FakeAuthLookups } from './fake-lookups.js';
import { TokenProvider } from '../token/provider.js';
import { FernetKeyRepository, TokenFormatter, fernetRotate, fernetSetup } from '../token/fernet/index.js';
import { IdentityEvents } from '../events.js';
import { RevokeManager, SqlRevokeBackend, revokeMigrations } from '../revoke/index.js';
import type { RevokeTables } from '../revoke/index.js';
import { migrateDatabase, openDatabase } from '../../common/db/index.js';
import { ServiceUnavailable, Unauthorized } from '../../common/errors/index.js';
import { ForbiddenAction, ValidationError } from '../errors.js';

const ADMIN = { id: 'r-admin', name: 'admin' };
const MEMBER = { id: 'r-member', name: 'member' };

async function setup(now: { value: Date }) {
  const keyDir = join(mkdtempSync(join(tmpdir(), 'tstack-keys-')), 'keys');
  await fernetSetup(keyDir);
  const lookups = new FakeAuthLookups();
  lookups.users.set('u1', { id: 'u1', name: 'alice', domainId: 'default', enabled: true, password: 'secret' });
  lookups.projects.set('p1', { id: 'p1', name: 'demo', domainId: 'default', enabled: true });
  lookups.grants.set('u1|p1', [MEMBER]);
  lookups.grants.set('u1|system', [ADMIN]);
  lookups.grants.set('u1|domain:default', [ADMIN]);
  const database = openDatabase<RevokeTables>('sqlite:///:memory:');
  await migrateDatabase(database, 'identity', revokeMigrations);
  const events = new IdentityEvents();
  const sleep = async (ms: number) => { now.value = new Date(now.value.getTime() + ms); };
  const revoke = new RevokeManager({ backend: new SqlRevokeBackend(database.db), events, now: () => now.value, sleep });
  const clock = () => now.value;
  const tokens = new TokenProvider({
    codec: new TokenFormatter({ keys: new FernetKeyRepository({ directory: keyDir, recheckIntervalMs: 0, clock }), clock }),
    lookups, revoke, now: clock, expirationSeconds: 3600, allowExpiredWindowSeconds: 600,
  });
  return { keyDir, lookups, events, tokens, auth: new AuthManager({ lookups, tokens }) };
}

const password = (extra: object = {}) => ({
  identity: { methods: ['password'], password: { user: { name: 'alice', domain: { name: 'Default' }, password: 'secret' } } }, ...extra,
});

describe('AuthManager and TokenProvider', () => {
  const now = { value: new Date('2026-01-01T00:00:00Z') };
  let env: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    now.value = new Date('2026-01-01T00:00:00Z');
    env = await setup(now);
  });

  it('issues a project-scoped token that validates with roles and expiry', async () => {
    const { token, data } = await env.auth.authenticate(password({ scope: { project: { name: 'demo', domain: { id: 'default' } } } }));
    assert.ok(token.length < 255);
    assert.equal(data.scope.kind, 'project');
    assert.deepEqual(data.roles.map((r) => r.name), ['member']);
    assert.equal(data.payload.expiresAt.toISOString(), '2026-01-01T01:00:00.000Z');
    const again = await env.tokens.validate(token);
    assert.equal(again.user.id, 'u1');
  });

  it('issues unscoped, domain and system tokens', async () => {
    assert.equal((await env.auth.authenticate(password())).data.scope.kind, 'unscoped');
    assert.equal((await env.auth.authenticate(password({ scope: { domain: { id: 'default' } } }))).data.scope.kind, 'domain');
    assert.equal((await env.auth.authenticate(password({ scope: { system: { all: true } } }))).data.scope.kind, 'system');
  });

  it('refuses a wrong password, an unknown user and a project without roles with 401', async () => {
    const wrong = { identity: { methods: ['password'], password: { user: { id: 'u1', password: 'nope' } } } };
    await assert.rejects(env.auth.authenticate(wrong), { status: 401 });
    const unknown = { identity: { methods: ['password'], password: { user: { id: 'ghost', password: 'x' } } } };
    await assert.rejects(env.auth.authenticate(unknown), { status: 401 });
    env.lookups.projects.set('p2', { id: 'p2', name: 'other', domainId: 'default', enabled: true });
    await assert.rejects(env.auth.authenticate(password({ scope: { project: { id: 'p2' } } })), { status: 401 });
  });

  it('rescopes with the token method, keeping expiry and the audit chain', async () => {
    const first = await env.auth.authenticate(password());
    now.value = new Date('2026-01-01T00:10:00Z');
    const second = await env.auth.authenticate({ identity: { methods: ['token'], token: { id: first.token } }, scope: { project: { id: 'p1' } } });
    assert.equal(second.data.payload.expiresAt.getTime(), first.data.payload.expiresAt.getTime());
    assert.equal(second.data.payload.auditIds[1], first.data.payload.auditIds[0]);
    assert.deepEqual([...second.data.payload.methods].sort(), ['password', 'token']);
  });

  it('stops validating expired, revoked, or orphaned tokens', async () => {
    const { token, data } = await env.auth.authenticate(password({ scope: { project: { id: 'p1' } } }));
    now.value = new Date('2026-01-01T01:00:01Z');
    await assert.rejects(env.tokens.validate(token), { status: 401 });
    assert.equal((await env.tokens.validate(token, { allowExpired: true })).user.id, 'u1');
    now.value = new Date('2026-01-01T00:30:00Z');
    await env.tokens.revoke(data);
    await assert.rejects(env.tokens.validate(token), { status: 401 });
    const fresh = await env.auth.authenticate(password({ scope: { project: { id: 'p1' } } }));
    env.lookups.projects.set('p1', { id: 'p1', name: 'demo', domainId: 'default', enabled: false });
    await assert.rejects(env.tokens.validate(fresh.token), { status: 401 });
  });

  it('revokes every token of a user whose credentials changed, but not tokens issued after', async () => {
    const before = await env.auth.authenticate(password());
    now.value = new Date('2026-01-01T00:00:05.500Z');
    await env.events.emit('user.credentials_invalidated', { userId: 'u1' });
    await assert.rejects(env.tokens.validate(before.token), { status: 401 });
    const after = await env.auth.authenticate(password());
    assert.equal((await env.tokens.validate(after.token)).user.id, 'u1');
    assert.equal(after.data.payload.issuedAt.toISOString(), '2026-01-01T00:00:06.000Z', 'issued in the next second');
  });

  it('keeps tokens valid across one key rotation', async () => {
    const { token } = await env.auth.authenticate(password());
    await fernetRotate(env.keyDir);
    assert.equal((await env.tokens.validate(token)).user.id, 'u1');
    await fernetRotate(env.keyDir);
    await fernetRotate(env.keyDir);
    await assert.rejects(env.tokens.validate(token), { status: 401 });
  });

  it('binds application credential tokens to their project and roles', async () => {
    env.lookups.grants.set('u1|p1', [MEMBER, ADMIN]);
    env.lookups.appCreds.set('ac1', { id: 'ac1', name: 'ci', userId: 'u1', projectId: 'p1', roles: [MEMBER], unrestricted: false, expiresAt: null, secret: 's3' });
    const { data, token } = await env.auth.authenticate({ identity: { methods: ['application_credential'], application_credential: { id: 'ac1', secret: 's3' } } });
    assert.equal(data.scope.kind, 'project');
    assert.deepEqual(data.roles.map((r) => r.name), ['member']);
    assert.equal(data.applicationCredential?.restricted, true);
    await assert.rejects(env.auth.authenticate({ identity: { methods: ['application_credential'], application_credential: { id: 'ac1', secret: 'bad' } } }), { status: 401 });
    env.lookups.appCreds.delete('ac1');
    await assert.rejects(env.tokens.validate(token), { status: 401 });
  });

  it('refuses a trust scope instead of issuing a token of another scope', async () => {
    await assert.rejects(env.auth.authenticate(password({ scope: { 'OS-TRUST:trust': { id: 'x' } } })),
      (error: unknown) => error instanceof ForbiddenAction && error.status === 403 && /Trusts are disabled/.test(error.message) && /OS-TRUST/.test(error.message));
    // Even alongside a scope it implements.
    await assert.rejects(env.auth.authenticate(password({ scope: { project: { id: 'p1' }, 'OS-TRUST:trust': { id: 'x' } } })), ForbiddenAction);
    // A scope object naming no scope at all is malformed, not "unscoped".
    await assert.rejects(env.auth.authenticate(password({ scope: {} })), (error: unknown) => error instanceof ValidationError && /in scope/.test(error.message));
  });

  it('lets an outage through as itself, never as a 401 or another scope', async () => {
    const outage = () => Promise.reject(new ServiceUnavailable('database down'));
    const { token } = await env.auth.authenticate(password({ scope: { project: { id: 'p1' } } }));
    // User lookup fails: a correct password must not be told it is wrong.
    env.lookups.getUserByName = outage;
    await assert.rejects(env.auth.authenticate(password()), (error: unknown) => error instanceof ServiceUnavailable && !(error instanceof Unauthorized));
    delete (env.lookups as Partial<typeof env.lookups>).getUserByName;
    // Rescope: the parent token cannot be checked, so no token at all (not an unscoped one).
    env.lookups.getUser = outage;
    await assert.rejects(env.auth.authenticate({ identity: { methods: ['token'], token: { id: token } } }), ServiceUnavailable);
    delete (env.lookups as Partial<typeof env.lookups>).getUser;
    // Default project: unreadable is an outage; missing is an unscoped token, as in Keystone.
    env.lookups.users.set('u1', { ...env.lookups.users.get('u1')!, defaultProjectId: 'p1' });
    env.lookups.getProject = outage;
    await assert.rejects(env.auth.authenticate(password()), ServiceUnavailable);
    delete (env.lookups as Partial<typeof env.lookups>).getProject;
    env.lookups.users.set('u1', { ...env.lookups.users.get('u1')!, defaultProjectId: 'gone' });
    assert.equal((await env.auth.authenticate(password())).data.scope.kind, 'unscoped');
  });

  it('still answers 401 for credentials that are wrong or name nothing', async () => {
    await assert.rejects(env.auth.authenticate(password({ identity: { methods: ['password'], password: { user: { name: 'nobody', domain: { name: 'Default' }, password: 'x' } } } })), Unauthorized);
    await assert.rejects(env.auth.authenticate({ identity: { methods: ['token'], token: { id: 'not-a-token' } } }), Unauthorized);
    await assert.rejects(env.auth.authenticate(password({ scope: { project: { id: 'missing' } } })), Unauthorized);
  });
});
