// Tests that the persona check strings parse and grant what their names say.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as policy from './index.js';
import type { Credentials } from './index.js';

const personaNames = [
  'ADMIN', 'SERVICE', 'SYSTEM_ADMIN', 'SYSTEM_MEMBER', 'SYSTEM_READER', 'DOMAIN_ADMIN', 'DOMAIN_MEMBER',
  'DOMAIN_READER', 'PROJECT_ADMIN', 'PROJECT_MANAGER', 'PROJECT_MEMBER', 'PROJECT_READER', 'OWNER',
  'ADMIN_OR_PROJECT_MEMBER', 'ADMIN_OR_PROJECT_READER', 'ADMIN_OR_SYSTEM_READER', 'ADMIN_OR_OWNER',
] as const;

const enforcer = new policy.Enforcer({
  defaults: personaNames.map((name) => ({ name, checkStr: policy[name], description: name })),
  enforceScope: false,
  strict: true,
});

const target = { project_id: 'p1', domain_id: 'd1', user_id: 'u1' };
const allowed = (creds: Credentials): string[] => personaNames.filter((name) => enforcer.enforce(name, target, creds));

describe('personas', () => {
  it('grant a project reader only reader rules on its own project', () => {
    assert.deepEqual(allowed({ user_id: 'u2', project_id: 'p1', roles: ['reader'] }), ['PROJECT_READER', 'ADMIN_OR_PROJECT_READER']);
    assert.deepEqual(allowed({ user_id: 'u2', project_id: 'p2', roles: ['reader'] }), []);
  });

  it('grant a project member the member and reader rules when it holds both roles', () => {
    assert.deepEqual(allowed({ user_id: 'u2', project_id: 'p1', roles: ['member', 'reader'] }), [
      'PROJECT_MEMBER', 'PROJECT_READER', 'ADMIN_OR_PROJECT_MEMBER', 'ADMIN_OR_PROJECT_READER',
    ]);
  });

  it('grant a system reader the system reader rules', () => {
    assert.deepEqual(allowed({ user_id: 'u2', system_scope: 'all', roles: ['reader'] }), ['SYSTEM_READER', 'ADMIN_OR_SYSTEM_READER']);
  });

  it('grant a domain admin the domain admin rule and ADMIN', () => {
    assert.deepEqual(allowed({ user_id: 'u2', domain_id: 'd1', roles: ['admin'] }), [
      'ADMIN', 'DOMAIN_ADMIN', 'ADMIN_OR_PROJECT_MEMBER', 'ADMIN_OR_PROJECT_READER', 'ADMIN_OR_SYSTEM_READER', 'ADMIN_OR_OWNER',
    ]);
  });

  it('grant the owner the owner rules', () => {
    assert.deepEqual(allowed({ user_id: 'u1', project_id: 'p9', roles: [] }), ['OWNER', 'ADMIN_OR_OWNER']);
  });
});
