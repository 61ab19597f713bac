// /v3/users/{user_id}/application_credentials through the whole HTTP stack, with Keystone's
// default policies and a fake role lookup.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { ValidatedToken } from '../../common/auth/index.js';
import { migrateDatabase, openDatabase } from '../../common/db/index.js';
import { ApplicationCredentialManager, SqlApplicationCredentialBackend, applicationCredentialMigrations, applicationCredentialPolicies } from '../application-credential/index.js';
import type { ApplicationCredentialTables, RoleLookup, RoleRecord } from '../application-credential/index.js';
import { EntityNotFound } from '../errors.js';
import { IdentityEvents } from '../events.js';
import { registerApplicationCredentialRoutes } from './application-credentials.js';
import { TEST_TOKENS, buildTestApp, testAuthorizer } from './testing.js';
import { ScryptPasswordHasher } from '../password-hash.js';

const ROLES: Record<string, RoleRecord> = {
  admin: { id: 'r-admin', name: 'admin', domainId: null },
  member: { id: 'r-member', name: 'member', domainId: null },
  reader: { id: 'r-reader', name: 'reader', domainId: null },
};
const roles: RoleLookup = {
  async getRoleByName(name) {
    const role = ROLES[name];
    if (!role) throw new EntityNotFound('role', name);
    return role;
  },
  async listImpliedRoles(roleId) {
    return roleId === 'r-member' ? [ROLES.reader!] : [];
  },
};

function memberToken(fields: Partial<ValidatedToken>): ValidatedToken {
  return { ...TEST_TOKENS.member.validated, ...fields };
}

const BASE = '/v3/users/member-user/application_credentials';
const member = { 'x-auth-token': TEST_TOKENS.member.token };
const admin = { 'x-auth-token': TEST_TOKENS.admin.token };
const other = { 'x-auth-token': TEST_TOKENS.reader.token };

describe('/v3/users/{user_id}/application_credentials', () => {
  let app: FastifyInstance;
  let manager: ApplicationCredentialManager;
  before(async () => {
    const database = openDatabase<ApplicationCredentialTables>('sqlite:///:memory:');
    await migrateDatabase(database, 'identity', applicationCredentialMigrations);
    manager = new ApplicationCredentialManager({ backend: new SqlApplicationCredentialBackend(database.db), roles, events: new IdentityEvents(), hasher: new ScryptPasswordHasher({ cost: 1024 }) });
    const restricted = await manager.create({ userId: 'member-user', projectId: 'member-project', name: 'restricted', tokenRoles: ['member'] });
    const unrestricted = await manager.create({ userId: 'member-user', projectId: 'member-project', name: 'unrestricted', tokenRoles: ['member'], unrestricted: true });
    app = await buildTestApp((a) => registerApplicationCredentialRoutes(a, { policy: testAuthorizer(applicationCredentialPolicies), applicationCredentials: manager }), {
      'restricted-token': memberToken({ applicationCredentialId: restricted.id }),
      'unrestricted-token': memberToken({ applicationCredentialId: unrestricted.id }),
      'domain-token': memberToken({ projectId: undefined, projectDomainId: undefined, projectName: undefined, domainId: 'default', domainName: 'Default' }),
      'system-reader-token': { ...TEST_TOKENS.systemAdmin.validated, userId: 'auditor', roles: ['reader'] },
    });
  });
  after(async () => app.close());

  const create = async (body: Record<string, unknown>, headers: Record<string, string> = member, url = BASE) =>
    app.inject({ method: 'POST', url, headers, payload: { application_credential: body } });

  it('creates a credential and shows its secret once', async () => {
    const res = await create({ name: 'monitoring', description: 'Monitoring', expires_at: '2031-02-27T18:30:59Z', access_rules: [{ service: 'compute', path: '/v2.1/servers', method: 'GET' }] });
    assert.equal(res.statusCode, 201);
    const cred = res.json().application_credential;
    assert.match(cred.secret, /^[A-Za-z0-9_-]{86}$/);
    assert.match(cred.access_rules[0].id, /^[0-9a-f]{32}$/);
    assert.deepEqual({ ...cred, secret: '', access_rules: undefined }, {
      id: cred.id, name: 'monitoring', description: 'Monitoring', user_id: 'member-user', project_id: 'member-project', system: null,
      expires_at: '2031-02-27T18:30:59.000000', unrestricted: false,
      roles: [{ id: 'r-member', name: 'member', domain_id: null }, { id: 'r-reader', name: 'reader', domain_id: null }],
      links: { self: `http://localhost:80/v3/users/member-user/application_credentials/${cred.id}` }, secret: '', access_rules: undefined,
    });
    assert.equal((await manager.authenticate({ id: cred.id }, cred.secret)).projectId, 'member-project');

    const shown = await app.inject({ method: 'GET', url: `${BASE}/${cred.id}`, headers: member });
    assert.equal(shown.statusCode, 200);
    const { secret: _secret, ...withoutSecret } = cred;
    assert.deepEqual(shown.json().application_credential, withoutSecret);
    assert.equal((await app.inject({ method: 'HEAD', url: `${BASE}/${cred.id}`, headers: member })).statusCode, 200);
  });

  it('keeps the secret the caller chose and the roles asked for', async () => {
    const res = await create({ name: 'chosen', secret: 'my-secret', roles: [{ name: 'reader' }], unrestricted: true });
    assert.equal(res.statusCode, 201);
    const cred = res.json().application_credential;
    assert.equal(cred.secret, 'my-secret');
    assert.deepEqual(cred.roles, [{ id: 'r-reader', name: 'reader', domain_id: null }]);
    assert.equal(cred.unrestricted, true);
    assert.equal((await manager.authenticate({ name: 'chosen', userId: 'member-user' }, 'my-secret')).id, cred.id);
  });

  it('lists the user\'s credentials, filtered by name', async () => {
    const all = await app.inject({ method: 'GET', url: BASE, headers: member });
    assert.equal(all.statusCode, 200);
    assert.deepEqual(all.json().application_credentials.map((c: { name: string }) => c.name).sort(), ['chosen', 'monitoring', 'restricted', 'unrestricted']);
    assert.equal(all.json().application_credentials.some((c: Record<string, unknown>) => 'secret' in c), false);
    const one = await app.inject({ method: 'GET', url: `${BASE}?name=chosen`, headers: member });
    assert.deepEqual(one.json().application_credentials.map((c: { name: string }) => c.name), ['chosen']);
    assert.equal((await app.inject({ method: 'HEAD', url: BASE, headers: member })).statusCode, 200);
  });

  it('refuses bad bodies with 400 and duplicates with 409', async () => {
    const bad: Array<Record<string, unknown>> = [
      {}, { name: '' }, { name: 5 }, { name: 'x', color: 'red' }, { name: 'x', unrestricted: 'yes' },
      { name: 'x', roles: [{ id: 'r-member', name: 'member' }] }, { name: 'x', roles: [{}] }, { name: 'x', expires_at: 'tomorrow' },
      { name: 'x', expires_at: '2001-01-01T00:00:00' }, { name: 'x', roles: [{ name: 'admin' }] }, { name: 'x', access_rules: [{ method: 'FETCH' }] },
    ];
    for (const body of bad) assert.equal((await create(body)).statusCode, 400, JSON.stringify(body));
    const past = await create({ name: 'x', expires_at: '2001-01-01T00:00:00' });
    assert.match(past.json().error.message, /^The 'expires_at' must not be before now\./);
    const unassigned = await create({ name: 'x', roles: [{ name: 'admin' }] });
    assert.equal(unassigned.json().error.message, 'Invalid application credential: Cannot create an application credential with unassigned role');
    const unknown = await create({ name: 'x', roles: [{ name: 'nope' }] });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.message, 'Could not find role: nope.');
    const dup = await create({ name: 'chosen' });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error.message, 'Conflict occurred attempting to store application_credential - Duplicate entry found with name chosen.');
  });

  it('lets only the user, on a project-scoped token, create', async () => {
    assert.equal((await create({ name: 'y' }, admin)).statusCode, 403);
    assert.equal((await create({ name: 'y' }, { 'x-auth-token': TEST_TOKENS.systemAdmin.token })).statusCode, 403);
    assert.equal((await create({ name: 'y' }, { 'x-auth-token': 'domain-token' })).statusCode, 403);
    const restricted = await create({ name: 'y' }, { 'x-auth-token': 'restricted-token' });
    assert.equal(restricted.statusCode, 403);
    assert.match(restricted.json().error.message, /Using method 'application_credential' is not allowed/);
    assert.equal((await create({ name: 'y' }, { 'x-auth-token': 'unrestricted-token' })).statusCode, 201);
    assert.equal((await app.inject({ method: 'POST', url: BASE, payload: { application_credential: { name: 'z' } } })).statusCode, 401);
  });

  it('shows credentials to their owner, admins and system readers only', async () => {
    const [cred] = await manager.list('member-user', { name: 'chosen' });
    const url = `${BASE}/${cred!.id}`;
    assert.equal((await app.inject({ method: 'GET', url, headers: other })).statusCode, 403);
    // The owner checked is the credential's, whatever user the path names.
    assert.equal((await app.inject({ method: 'GET', url: `/v3/users/reader-user/application_credentials/${cred!.id}`, headers: other })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: BASE, headers: other })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url, headers: admin })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: BASE, headers: { 'x-auth-token': 'system-reader-token' } })).statusCode, 200);
    const missing = await app.inject({ method: 'GET', url: `${BASE}/ghost`, headers: member });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.message, 'Could not find Application Credential: ghost.');
  });

  it('deletes for the owner, and the credential stops authenticating', async () => {
    const cred = (await create({ name: 'doomed', secret: 's' })).json().application_credential;
    const url = `${BASE}/${cred.id}`;
    assert.equal((await app.inject({ method: 'DELETE', url, headers: other })).statusCode, 403);
    assert.equal((await app.inject({ method: 'DELETE', url, headers: { 'x-auth-token': 'restricted-token' } })).statusCode, 403);
    assert.equal((await app.inject({ method: 'DELETE', url, headers: member })).statusCode, 204);
    assert.equal((await app.inject({ method: 'GET', url, headers: member })).statusCode, 404);
    assert.equal((await app.inject({ method: 'DELETE', url, headers: member })).statusCode, 404);
    await assert.rejects(manager.authenticate({ id: cred.id }, 's'), { status: 401 });
  });
});
