// Drives Debian's python-openstackclient 6.0 (Zed) through the identity acceptance list against
// a real `tstack up` cloud, then checks error statuses and bodies with plain fetch.
// Run: cd /work/main && npm run build && node --import tsx --test test/client/identity-cli.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openstack, openstackJson, openstackOk, skipReason, startCloud } from '../support/cloud.js';
import type { Cloud } from '../support/cloud.js';
import { assertKeystoneError, authenticate, issueToken, request } from '../support/identity-http.js';
import { asRow, asRows, rowWhere, rowsWhere, text } from '../support/rows.js';
import type { Row } from '../support/rows.js';

type Env = Readonly<Record<string, string | undefined>>;

const RUN = randomBytes(3).toString('hex');
/** A name unique to this run, so reruns against a kept cloud cannot collide. */
const unique = (what: string): string => `${what}-${RUN}`;
const newPassword = (): string => `pw-${randomBytes(8).toString('hex')}`;

const AUTH_FAILED = /401|requires authentication|could not be authenticated/i;
const TEST_TIMEOUT = 180_000;

interface Member {
  readonly username: string;
  readonly userId: string;
  readonly password: string;
  readonly projectName: string;
  readonly projectId: string;
  /** CLI environment authenticating as this user, scoped to its project. */
  readonly env: Env;
}

type AssignmentColumn = 'Role' | 'User' | 'Group' | 'Project' | 'Domain' | 'System';

/** Rows of `role assignment list --names` matching every given column. */
function matching(rows: readonly Row[], expected: Partial<Record<AssignmentColumn, string>>): Row[] {
  return rows.filter((row) => Object.entries(expected).every(([column, value]) => row[column] === value));
}

describe('openstack CLI against a tstack cloud', { skip: skipReason() }, () => {
  let cloud: Cloud | undefined;
  let admin: Env = {};

  const os = (args: readonly string[]): Promise<unknown> => openstackJson(admin, args);
  const ok = (args: readonly string[]): Promise<unknown> => openstackOk(admin, args);
  const authUrl = (): string => {
    assert.ok(cloud, 'the cloud did not start');
    return cloud.authUrl;
  };
  const adminToken = (): Promise<string> =>
    issueToken(authUrl(), { username: admin.OS_USERNAME ?? '', password: admin.OS_PASSWORD ?? '', projectName: 'admin' });
  const assignments = async (args: readonly string[]): Promise<Row[]> =>
    asRows(await os(['role', 'assignment', 'list', '--names', ...args]));

  /** A project, a user with a password and `member` on that project. */
  async function createMember(tag: string): Promise<Member> {
    const projectName = unique(`${tag}-project`);
    const username = unique(`${tag}-user`);
    const password = newPassword();
    const project = asRow(await os(['project', 'create', '--domain', 'default', projectName]));
    const user = asRow(await os(['user', 'create', '--domain', 'default', '--password', password, username]));
    await ok(['role', 'add', '--user', username, '--project', projectName, 'member']);
    return {
      username, password, projectName,
      userId: text(user, 'id'),
      projectId: text(project, 'id'),
      env: { ...admin, OS_USERNAME: username, OS_PASSWORD: password, OS_PROJECT_NAME: projectName },
    };
  }

  before(async () => {
    cloud = await startCloud();
    admin = cloud.env;
  }, { timeout: 90_000 });

  after(async () => {
    await cloud?.stop();
  });

  it('token issue', { timeout: TEST_TIMEOUT }, async () => {
    const token = asRow(await os(['token', 'issue']));
    const project = asRow(await os(['project', 'show', 'admin']));
    const user = asRow(await os(['user', 'show', 'admin']));
    assert.equal(token.project_id, project.id);
    assert.equal(token.user_id, user.id);
    assert.ok(Date.parse(text(token, 'expires')) > Date.now(), `expires ${String(token.expires)} is not in the future`);
    const id = text(token, 'id');
    const validated = await request(`${authUrl()}/auth/tokens`, { token: id, headers: { 'X-Subject-Token': id } });
    assert.equal(validated.status, 200, validated.text);
  });

  it('catalog list (identity present)', { timeout: TEST_TIMEOUT }, async () => {
    const identity = rowWhere(asRows(await os(['catalog', 'list'])), 'Type', 'identity');
    const endpoints = JSON.stringify(identity.Endpoints);
    assert.ok(cloud);
    assert.ok(endpoints.includes(`127.0.0.1:${cloud.port}`), `identity endpoints ${endpoints}`);
    assert.match(endpoints, /RegionOne/);
    assert.match(endpoints, /public/);
  });

  it('domain create/list/show/set/delete', { timeout: TEST_TIMEOUT }, async () => {
    const name = unique('domain');
    const created = asRow(await os(['domain', 'create', '--description', 'made by the CLI test', name]));
    assert.equal(created.name, name);
    assert.equal(created.description, 'made by the CLI test');
    assert.equal(created.enabled, true);
    const listed = asRows(await os(['domain', 'list']));
    assert.equal(rowWhere(listed, 'Name', name).ID, created.id);
    assert.equal(rowWhere(listed, 'Name', 'Default').ID, 'default');
    await ok(['domain', 'set', '--description', 'changed', '--disable', name]);
    const shown = asRow(await os(['domain', 'show', name]));
    assert.equal(shown.description, 'changed');
    assert.equal(shown.enabled, false);
    await ok(['domain', 'delete', name]);
    assert.equal(rowsWhere(asRows(await os(['domain', 'list'])), 'Name', name).length, 0);
  });

  it('project create/list/show/set/delete (with --parent)', { timeout: TEST_TIMEOUT }, async () => {
    const parentName = unique('parent');
    const childName = unique('child');
    const renamed = unique('renamed');
    const parent = asRow(await os(['project', 'create', '--domain', 'default', '--description', 'parent', parentName]));
    assert.equal(parent.name, parentName);
    assert.equal(parent.domain_id, 'default');
    assert.equal(parent.parent_id, 'default', 'a top-level project has its domain as parent');
    assert.equal(parent.enabled, true);
    assert.equal(parent.is_domain, false);
    const child = asRow(await os(['project', 'create', '--parent', parentName, '--description', 'child', childName]));
    assert.equal(child.parent_id, parent.id);
    assert.equal(child.domain_id, 'default');

    const listed = asRows(await os(['project', 'list']));
    assert.equal(rowWhere(listed, 'Name', parentName).ID, parent.id);
    assert.equal(rowWhere(listed, 'Name', childName).ID, child.id);
    const shown = asRow(await os(['project', 'show', childName]));
    assert.equal(shown.id, child.id);
    assert.equal(shown.parent_id, parent.id);
    assert.equal(shown.description, 'child');

    await ok(['project', 'set', '--name', renamed, '--description', 'renamed child', '--disable',
      '--property', 'flavour=vanilla', childName]);
    const updated = asRow(await os(['project', 'show', renamed]));
    assert.equal(updated.id, child.id);
    assert.equal(updated.description, 'renamed child');
    assert.equal(updated.enabled, false);
    assert.equal(updated.flavour, 'vanilla', 'extra attributes set with --property come back');

    const refused = await openstack(admin, ['project', 'delete', parentName]);
    assert.notEqual(refused.code, 0, 'a project with children cannot be deleted');

    await ok(['project', 'delete', renamed]);
    const gone = await openstack(admin, ['project', 'show', renamed]);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /No project with a name or ID/);
    await ok(['project', 'delete', parentName]);
    const names = asRows(await os(['project', 'list'])).map((row) => row.Name);
    assert.ok(!names.includes(parentName) && !names.includes(renamed), `still listed: ${names.join(', ')}`);
  });

  it('user create/list/show/set/delete (--password, --domain, --email, --enable/--disable)', { timeout: TEST_TIMEOUT }, async () => {
    const domainName = unique('userdomain');
    const domain = asRow(await os(['domain', 'create', domainName]));
    const name = unique('user');
    const password = newPassword();
    const created = asRow(await os(['user', 'create', '--domain', domainName, '--password', password,
      '--email', 'user@example.org', '--description', 'CLI test user', name]));
    assert.equal(created.name, name);
    assert.equal(created.domain_id, domain.id);
    assert.equal(created.email, 'user@example.org');
    assert.equal(created.enabled, true);
    assert.ok(!('password' in created), 'the password is never returned');

    assert.equal(rowWhere(asRows(await os(['user', 'list', '--domain', domainName])), 'Name', name).ID, created.id);
    assert.equal(rowWhere(asRows(await os(['user', 'list'])), 'Name', name).ID, created.id);
    const inDefault = asRows(await os(['user', 'list', '--domain', 'default']));
    assert.equal(rowsWhere(inDefault, 'Name', name).length, 0, 'the domain filter applies');
    const shown = asRow(await os(['user', 'show', '--domain', domainName, name]));
    assert.equal(shown.id, created.id);
    assert.equal(shown.description, 'CLI test user');

    const login = { username: name, password, domainName };
    assert.equal((await authenticate(authUrl(), login)).status, 201, 'unscoped password login');
    await ok(['user', 'set', '--domain', domainName, '--email', 'new@example.org', '--disable', name]);
    const disabled = asRow(await os(['user', 'show', created.id as string]));
    assert.equal(disabled.email, 'new@example.org');
    assert.equal(disabled.enabled, false);
    assertKeystoneError(await authenticate(authUrl(), login), 401);

    await ok(['user', 'set', '--enable', created.id as string]);
    assert.equal(asRow(await os(['user', 'show', created.id as string])).enabled, true);
    const changed = newPassword();
    await ok(['user', 'set', '--password', changed, created.id as string]);
    assert.equal((await authenticate(authUrl(), { ...login, password: changed })).status, 201);
    assertKeystoneError(await authenticate(authUrl(), login), 401);

    await ok(['user', 'delete', created.id as string]);
    assert.notEqual((await openstack(admin, ['user', 'show', created.id as string])).code, 0);
    assert.equal(rowsWhere(asRows(await os(['user', 'list'])), 'Name', name).length, 0);
  });

  it('user password set (as the user itself)', { timeout: TEST_TIMEOUT }, async () => {
    const member = await createMember('pwset');
    const before = asRow(await openstackJson(member.env, ['token', 'issue']));
    assert.equal(before.user_id, member.userId);
    const changed = newPassword();
    const wrongOriginal = await openstack(member.env,
      ['user', 'password', 'set', '--password', changed, '--original-password', 'not-the-password']);
    assert.notEqual(wrongOriginal.code, 0, 'a wrong original password is refused');
    assert.match(wrongOriginal.stderr, AUTH_FAILED);
    await openstackOk(member.env, ['user', 'password', 'set', '--password', changed, '--original-password', member.password]);
    const after = asRow(await openstackJson({ ...member.env, OS_PASSWORD: changed }, ['token', 'issue']));
    assert.equal(after.user_id, member.userId);
    assert.equal(after.project_id, member.projectId);
    const old = await openstack(member.env, ['token', 'issue']);
    assert.notEqual(old.code, 0, 'the old password still works');
    assert.match(old.stderr, AUTH_FAILED);
  });

  it('group create, group add user, role add --group: effective assignment of the user', { timeout: TEST_TIMEOUT }, async () => {
    const member = await createMember('grp');
    const groupName = unique('group');
    const group = asRow(await os(['group', 'create', '--domain', 'default', '--description', 'CLI test group', groupName]));
    assert.equal(group.name, groupName);
    assert.equal(group.domain_id, 'default');
    assert.equal(rowWhere(asRows(await os(['group', 'list'])), 'Name', groupName).ID, group.id);
    await ok(['group', 'add', 'user', groupName, member.username]);
    assert.equal(rowWhere(asRows(await os(['user', 'list', '--group', groupName])), 'Name', member.username).ID, member.userId);

    const projectName = unique('grp-target');
    await os(['project', 'create', '--domain', 'default', projectName]);
    await ok(['role', 'add', '--group', groupName, '--project', projectName, 'reader']);
    const direct = await assignments(['--group', groupName]);
    assert.equal(matching(direct, { Role: 'reader', Group: `${groupName}@Default`, Project: `${projectName}@Default` }).length, 1,
      `group assignment missing in ${JSON.stringify(direct)}`);
    const effective = await assignments(['--effective', '--user', member.username]);
    const viaGroup = matching(effective, { Role: 'reader', User: `${member.username}@Default`, Project: `${projectName}@Default` });
    assert.equal(viaGroup.length, 1, `no effective assignment through the group in ${JSON.stringify(effective)}`);
    assert.equal(viaGroup[0]?.Group, '', 'effective assignments are expanded to the user');
    const scoped = asRow(await openstackJson({ ...member.env, OS_PROJECT_NAME: projectName }, ['token', 'issue']));
    assert.equal(scoped.user_id, member.userId, 'the group role lets the user scope to the project');
  });

  it('role create/list/add/remove for a user and a group on a project', { timeout: TEST_TIMEOUT }, async () => {
    const member = await createMember('role');
    const roleName = unique('role');
    const role = asRow(await os(['role', 'create', '--description', 'CLI test role', roleName]));
    assert.equal(role.name, roleName);
    assert.equal(rowWhere(asRows(await os(['role', 'list'])), 'Name', roleName).ID, role.id);
    const groupName = unique('role-group');
    await os(['group', 'create', groupName]);
    const user = `${member.username}@Default`;
    const project = `${member.projectName}@Default`;
    const group = `${groupName}@Default`;

    await ok(['role', 'add', '--user', member.username, '--project', member.projectName, roleName]);
    await ok(['role', 'add', '--group', groupName, '--project', member.projectName, roleName]);
    const granted = await assignments(['--project', member.projectName]);
    assert.equal(matching(granted, { Role: roleName, User: user, Project: project }).length, 1, JSON.stringify(granted));
    assert.equal(matching(granted, { Role: roleName, Group: group, Project: project }).length, 1, JSON.stringify(granted));
    assert.equal(matching(granted, { Role: 'member', User: user, Project: project }).length, 1, JSON.stringify(granted));

    await ok(['role', 'remove', '--user', member.username, '--project', member.projectName, roleName]);
    await ok(['role', 'remove', '--group', groupName, '--project', member.projectName, roleName]);
    const remaining = await assignments(['--project', member.projectName]);
    assert.equal(matching(remaining, { Role: roleName }).length, 0, JSON.stringify(remaining));
    assert.equal(matching(remaining, { Role: 'member', User: user }).length, 1, JSON.stringify(remaining));
  });

  it('role add/remove on a domain (--domain) for a user and a group', { timeout: TEST_TIMEOUT }, async () => {
    const member = await createMember('domrole');
    const domainName = unique('roledomain');
    const domain = asRow(await os(['domain', 'create', domainName]));
    const groupName = unique('domrole-group');
    await os(['group', 'create', groupName]);
    await ok(['role', 'add', '--user', member.username, '--domain', domainName, 'reader']);
    await ok(['role', 'add', '--group', groupName, '--domain', domainName, 'member']);
    const granted = await assignments(['--domain', domainName]);
    assert.equal(matching(granted, { Role: 'reader', User: `${member.username}@Default`, Domain: domainName }).length, 1,
      JSON.stringify(granted));
    assert.equal(matching(granted, { Role: 'member', Group: `${groupName}@Default`, Domain: domainName }).length, 1,
      JSON.stringify(granted));
    const scoped = asRow(await openstackJson(
      { ...member.env, OS_PROJECT_NAME: undefined, OS_PROJECT_DOMAIN_NAME: undefined, OS_DOMAIN_NAME: domainName },
      ['token', 'issue'],
    ));
    assert.equal(scoped.user_id, member.userId, 'a domain-scoped token for the user');
    assert.equal(scoped.domain_id, domain.id);

    await ok(['role', 'remove', '--user', member.username, '--domain', domainName, 'reader']);
    await ok(['role', 'remove', '--group', groupName, '--domain', domainName, 'member']);
    assert.deepEqual(await assignments(['--domain', domainName]), []);
  });

  it('role add/remove --system all for a user and a group', { timeout: TEST_TIMEOUT }, async () => {
    const member = await createMember('sysrole');
    const groupName = unique('sys-group');
    await os(['group', 'create', groupName]);
    await ok(['role', 'add', '--user', member.username, '--system', 'all', 'reader']);
    await ok(['role', 'add', '--group', groupName, '--system', 'all', 'reader']);
    const forUser = await assignments(['--user', member.username, '--system', 'all']);
    assert.equal(matching(forUser, { Role: 'reader', User: `${member.username}@Default`, System: 'all' }).length, 1,
      JSON.stringify(forUser));
    const forGroup = await assignments(['--group', groupName, '--system', 'all']);
    assert.equal(matching(forGroup, { Role: 'reader', Group: `${groupName}@Default`, System: 'all' }).length, 1,
      JSON.stringify(forGroup));
    const systemToken = asRow(await openstackJson(
      { ...member.env, OS_PROJECT_NAME: undefined, OS_PROJECT_DOMAIN_NAME: undefined, OS_SYSTEM_SCOPE: 'all' },
      ['token', 'issue'],
    ));
    assert.equal(systemToken.user_id, member.userId, 'a system-scoped token for the user');
    assert.equal(systemToken.system, 'all');

    await ok(['role', 'remove', '--user', member.username, '--system', 'all', 'reader']);
    await ok(['role', 'remove', '--group', groupName, '--system', 'all', 'reader']);
    assert.deepEqual(await assignments(['--user', member.username, '--system', 'all']), []);
    assert.deepEqual(await assignments(['--group', groupName, '--system', 'all']), []);
  });

  it('role assignment list --names --effective expands the default implied roles', { timeout: TEST_TIMEOUT }, async () => {
    const member = await createMember('effective');
    const rows = await assignments(['--effective', '--user', member.username, '--project', member.projectName]);
    const roles = matching(rows, { User: `${member.username}@Default`, Project: `${member.projectName}@Default` })
      .map((row) => row.Role)
      .sort();
    assert.deepEqual(roles, ['member', 'reader'], `member implies reader: ${JSON.stringify(rows)}`);
  });

  it('implied role create/list', { timeout: TEST_TIMEOUT }, async () => {
    const priorName = unique('prior');
    const impliedName = unique('implied');
    const prior = asRow(await os(['role', 'create', priorName]));
    const implied = asRow(await os(['role', 'create', impliedName]));
    const rule = asRow(await os(['implied', 'role', 'create', priorName, '--implied-role', impliedName]));
    assert.equal(rule.prior_role, prior.id);
    assert.equal(rule.implies, implied.id);
    const rules = asRows(await os(['implied', 'role', 'list']));
    const mine = rowWhere(rules, 'Prior Role Name', priorName);
    assert.equal(mine['Implied Role Name'], impliedName);
    assert.equal(mine['Implied Role ID'], implied.id);
    for (const [from, to] of [['admin', 'member'], ['member', 'reader']]) {
      assert.ok(rules.some((r) => r['Prior Role Name'] === from && r['Implied Role Name'] === to),
        `bootstrap implication ${from} -> ${to} missing in ${JSON.stringify(rules)}`);
    }

    const member = await createMember('implies');
    await ok(['role', 'add', '--user', member.username, '--project', member.projectName, priorName]);
    const token = await issueToken(authUrl(), {
      username: member.username, password: member.password, projectName: member.projectName,
    });
    const validated = await request(`${authUrl()}/auth/tokens`, { token, headers: { 'X-Subject-Token': token } });
    assert.equal(validated.status, 200, `the user validates its own token: ${validated.text}`);
    const roles = ((validated.json as { token?: { roles?: { name?: string }[] } }).token?.roles ?? []).map((r) => r.name);
    assert.ok(roles.includes(impliedName), `token roles [${roles.join(', ')}] lack the implied role: ${validated.text}`);
  });

  it('region create/list, service create/list, endpoint create/list', { timeout: TEST_TIMEOUT }, async () => {
    const regionId = unique('Region');
    const region = asRow(await os(['region', 'create', '--description', 'CLI test region', regionId]));
    assert.equal(region.region, regionId);
    assert.equal(region.description, 'CLI test region');
    const childId = unique('SubRegion');
    const child = asRow(await os(['region', 'create', '--parent-region', regionId, childId]));
    assert.equal(child.parent_region, regionId);
    const regions = asRows(await os(['region', 'list']));
    rowWhere(regions, 'Region', 'RegionOne');
    assert.equal(rowWhere(regions, 'Region', childId)['Parent Region'], regionId);

    const serviceName = unique('svc');
    const serviceType = unique('tstack-test');
    const service = asRow(await os(['service', 'create', '--name', serviceName, '--description', 'CLI test service', serviceType]));
    assert.equal(service.name, serviceName);
    assert.equal(service.type, serviceType);
    assert.equal(service.enabled, true);
    const services = asRows(await os(['service', 'list']));
    assert.equal(rowWhere(services, 'Name', serviceName).Type, serviceType);
    assert.equal(rowWhere(services, 'Type', 'identity').Name, 'keystone');

    const url = 'http://127.0.0.1:9/test';
    const endpoint = asRow(await os(['endpoint', 'create', '--region', regionId, serviceName, 'public', url]));
    assert.equal(endpoint.url, url);
    assert.equal(endpoint.interface, 'public');
    assert.equal(endpoint.region_id, regionId);
    assert.equal(endpoint.region, regionId, 'Keystone also returns the older "region" attribute');
    assert.equal(endpoint.service_id, service.id);
    assert.equal(endpoint.enabled, true);
    await os(['endpoint', 'create', '--region', regionId, serviceName, 'internal', `${url}/internal`]);
    const endpoints = asRows(await os(['endpoint', 'list', '--service', serviceName]));
    assert.equal(endpoints.length, 2, JSON.stringify(endpoints));
    assert.equal(rowWhere(endpoints, 'Interface', 'public').URL, url);
    assert.equal(rowWhere(endpoints, 'Interface', 'internal').Region, regionId);
    const catalog = asRows(await os(['catalog', 'list']));
    assert.ok(JSON.stringify(rowWhere(catalog, 'Type', serviceType).Endpoints).includes(url), 'the new endpoint is in the catalog');

    await ok(['endpoint', 'delete', text(endpoint, 'id')]);
    assert.equal(asRows(await os(['endpoint', 'list', '--service', serviceName])).length, 1);
  });

  it('application credential create/list, authenticate with it, delete', { timeout: TEST_TIMEOUT }, async () => {
    const member = await createMember('appcred');
    const name = unique('appcred');
    const secret = `secret-${randomBytes(12).toString('hex')}`;
    const created = asRow(await openstackJson(member.env,
      ['application', 'credential', 'create', '--secret', secret, '--description', 'CLI test', name]));
    assert.equal(created.name, name);
    assert.equal(created.secret, secret);
    assert.equal(created.project_id, member.projectId);
    assert.match(JSON.stringify(created.roles), /member/);
    const id = text(created, 'id');
    assert.equal(rowWhere(asRows(await openstackJson(member.env, ['application', 'credential', 'list'])), 'Name', name).ID, id);

    const appEnv: Env = {
      ...member.env,
      OS_AUTH_TYPE: 'v3applicationcredential',
      OS_APPLICATION_CREDENTIAL_ID: id,
      OS_APPLICATION_CREDENTIAL_SECRET: secret,
      OS_USERNAME: undefined, OS_PASSWORD: undefined, OS_PROJECT_NAME: undefined,
      OS_USER_DOMAIN_NAME: undefined, OS_PROJECT_DOMAIN_NAME: undefined,
    };
    const token = asRow(await openstackJson(appEnv, ['token', 'issue']));
    assert.equal(token.user_id, member.userId);
    assert.equal(token.project_id, member.projectId);
    const wrong = await openstack({ ...appEnv, OS_APPLICATION_CREDENTIAL_SECRET: 'not-the-secret' }, ['token', 'issue']);
    assert.notEqual(wrong.code, 0, 'a wrong secret is refused');
    assert.match(wrong.stderr, AUTH_FAILED);

    await openstackOk(member.env, ['application', 'credential', 'delete', id]);
    const list = asRows(await openstackJson(member.env, ['application', 'credential', 'list']));
    assert.equal(rowsWhere(list, 'ID', id).length, 0);
    const refused = await openstack(appEnv, ['token', 'issue']);
    assert.notEqual(refused.code, 0, 'a deleted application credential still authenticates');
    assert.match(refused.stderr, AUTH_FAILED);
  });

  describe('error statuses and bodies (plain HTTP)', () => {
    it('wrong password, unknown user, missing or bad token: 401', { timeout: TEST_TIMEOUT }, async () => {
      const username = admin.OS_USERNAME ?? 'admin';
      assertKeystoneError(await authenticate(authUrl(), { username, password: 'wrong-password', projectName: 'admin' }), 401);
      assertKeystoneError(await authenticate(authUrl(), { username: unique('nobody'), password: 'x' }), 401);
      assertKeystoneError(await request(`${authUrl()}/projects`), 401);
      assertKeystoneError(await request(`${authUrl()}/projects`, { token: 'not-a-token' }), 401);
    });

    it('a member of project A cannot read project B, list users or create projects: 403', { timeout: TEST_TIMEOUT }, async () => {
      const member = await createMember('rbac');
      const other = asRow(await os(['project', 'create', '--domain', 'default', unique('rbac-other')]));
      const token = await issueToken(authUrl(), {
        username: member.username, password: member.password, projectName: member.projectName,
      });
      const own = await request(`${authUrl()}/projects/${member.projectId}`, { token });
      assert.equal(own.status, 200, `a member reads its own project: ${own.text}`);
      assertKeystoneError(await request(`${authUrl()}/projects/${text(other, 'id')}`, { token }), 403);
      assertKeystoneError(await request(`${authUrl()}/users`, { token }), 403);
      assertKeystoneError(await request(`${authUrl()}/projects`, { token, body: { project: { name: unique('nope') } } }), 403);
    });

    it('malformed JSON, wrong types, missing fields: 400', { timeout: TEST_TIMEOUT }, async () => {
      const token = await adminToken();
      const cases: readonly (readonly [path: string, body: unknown, auth: boolean])[] = [
        ['/projects', '{"project": {"name": ', true],
        ['/projects', { project: { name: 123 } }, true],
        ['/projects', { project: { name: unique('badtype'), enabled: 'yes' } }, true],
        ['/domains', { domain: { name: unique('badtype'), enabled: 'yes' } }, true],
        ['/projects', { project: {} }, true],
        ['/projects', {}, true],
        ['/users', { user: { name: 42 } }, true],
        ['/users', { user: { name: unique('badtype'), enabled: 'yes' } }, true],
        ['/roles', { role: {} }, true],
        ['/auth/tokens', '{"auth": ', false],
        ['/auth/tokens', { auth: {} }, false],
        ['/auth/tokens', { auth: { identity: { methods: 'password' } } }, false],
      ];
      // Every case runs, so one report lists all that are not refused.
      const failures: string[] = [];
      for (const [path, body, auth] of cases) {
        const result = await request(`${authUrl()}${path}`, { token: auth ? token : undefined, body });
        try {
          assertKeystoneError(result, 400);
        } catch (error) {
          failures.push(`POST ${path} ${typeof body === 'string' ? body : JSON.stringify(body)}: ${(error as Error).message}`);
        }
      }
      assert.deepEqual(failures, []);
    });

    it('unknown ids: 404; duplicate names: 409', { timeout: TEST_TIMEOUT }, async () => {
      const token = await adminToken();
      const missing = await request(`${authUrl()}/projects/${'0'.repeat(32)}`, { token });
      assertKeystoneError(missing, 404);
      const name = unique('dup');
      const first = await request(`${authUrl()}/projects`, { token, body: { project: { name } } });
      assert.equal(first.status, 201, first.text);
      assertKeystoneError(await request(`${authUrl()}/projects`, { token, body: { project: { name } } }), 409);
    });
  });
});
