// The Authorizer of the API toolkit: the service's own denial, and isAdmin from context_is_admin.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '../auth/index.js';
import { Forbidden } from '../errors/index.js';
import { Enforcer, PolicyNotRegistered } from '../policy/index.js';
import type { RuleDefault } from '../policy/index.js';
import { createAuthorizer } from './authorize.js';

const RULES: RuleDefault[] = [
  { name: 'context_is_admin', checkStr: 'role:admin', description: 'admin' },
  { name: 'get_thing', checkStr: 'rule:context_is_admin or project_id:%(project_id)s', description: 'thing' },
];

function context(projectId: string, roles: string[]): RequestContext {
  return {
    requestId: 'req', authToken: 't', userId: 'u', userName: 'u', userDomainId: 'default', userDomainName: 'Default',
    projectId, roles, isAdminProject: false, auditIds: [], expiresAt: new Date(Date.now() + 60_000),
  };
}

class Denied extends Forbidden {}

function authorizer(overrides: Record<string, string> = {}) {
  return createAuthorizer(new Enforcer({ defaults: RULES, overrides }), { denied: (action, cause) => new Denied(`no ${action}`, { cause }) });
}

describe('createAuthorizer', () => {
  it('lets allowed calls through and throws the service-worded error on a denial', () => {
    const policy = authorizer();
    policy.authorize('get_thing', { project_id: 'p1' }, context('p1', ['member']));
    assert.throws(() => policy.authorize('get_thing', { project_id: 'p1' }, context('p2', ['member'])), (error: unknown) => {
      assert.ok(error instanceof Denied);
      assert.equal(error.message, 'no get_thing');
      return true;
    });
  });

  it('decides isAdmin by the context_is_admin rule, overrides included', () => {
    assert.equal(authorizer().isAdmin({ roles: ['admin'] }), true);
    assert.equal(authorizer().isAdmin({ roles: ['member'], projectId: 'ops' }), false);
    const overridden = authorizer({ context_is_admin: 'project_id:ops' });
    assert.equal(overridden.isAdmin({ roles: ['admin'] }), false);
    assert.equal(overridden.isAdmin({ roles: ['member'], projectId: 'ops' }), true);
    // The same override opens the rules that refer to it.
    overridden.authorize('get_thing', { project_id: 'p1' }, context('ops', ['member']));
  });

  it('refuses an admin rule the service never declared instead of guessing', () => {
    const policy = createAuthorizer(new Enforcer({ defaults: RULES }), { denied: () => new Denied('x'), adminRule: 'is_root' });
    assert.throws(() => policy.isAdmin({ roles: ['admin'] }), PolicyNotRegistered);
  });

});
