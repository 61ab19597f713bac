// Tests for check evaluation: every check kind, target interpolation and rule references.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Check } from './check.js';
import type { Credentials } from './credentials.js';
import { RuleCycleError, evaluateCheck } from './evaluate.js';
import { parseRule } from './parser.js';

const member: Credentials = {
  user_id: 'u1',
  project_id: 'p1',
  domain_id: null,
  roles: ['Member', 'reader'],
  is_admin: true,
  token: { is_admin_project: false, project: { domain: { id: 'd1' } } },
  groups: [{ id: 'g1' }, { id: 'g2' }],
};

function allows(checkStr: string, target: object = {}, creds: Credentials = member, rules: Record<string, string> = {}): boolean {
  const parsed = new Map<string, Check>(Object.entries(rules).map(([name, rule]) => [name, parseRule(rule)]));
  return evaluateCheck(parseRule(checkStr), { target, creds, resolveRule: (name) => parsed.get(name) });
}

describe('evaluateCheck', () => {
  it('evaluates @, ! and the empty rule', () => {
    assert.equal(allows('@'), true);
    assert.equal(allows(''), true);
    assert.equal(allows('!'), false);
  });

  it('matches roles case-insensitively, also through the target', () => {
    assert.equal(allows('role:member'), true);
    assert.equal(allows('role:READER'), true);
    assert.equal(allows('role:admin'), false);
    assert.equal(allows('role:%(wanted)s', { wanted: 'member' }), true);
    assert.equal(allows('role:%(wanted)s'), false);
    assert.equal(allows('role:member', {}, { roles: 'member' } as unknown as Credentials), false);
  });

  it('compares credential attributes with target values', () => {
    assert.equal(allows('project_id:%(project_id)s', { project_id: 'p1' }), true);
    assert.equal(allows('project_id:%(project_id)s', { project_id: 'p2' }), false);
    assert.equal(allows('user_id:u1'), true);
    assert.equal(allows('user_id:%(user_id)s and project_id:%(project_id)s', { user_id: 'u1', project_id: 'p1' }), true);
  });

  it('reads dotted target keys from nested objects or flattened keys', () => {
    const nested = { target: { user: { id: 'u1' } } };
    assert.equal(allows('user_id:%(target.user.id)s', nested), true);
    assert.equal(allows('user_id:%(target.user.id)s', { 'target.user.id': 'u1' }), true);
    assert.equal(allows('user_id:%(target.user.id)s', { 'target.user.id': 'u2', target: { user: { id: 'u1' } } }), false);
  });

  it('denies when a target key is missing instead of failing', () => {
    assert.equal(allows('project_id:%(project_id)s', {}), false);
    assert.equal(allows('user_id:%(target.user.id)s', { target: { user: {} } }), false);
    assert.equal(allows('user_id:%(target.user.id)s', { target: 'flat' }), false);
    assert.equal(allows('user_id:%(target.user.id)s', { target: { user: { id: undefined } } }), false);
    assert.equal(allows("'member':%(role.name)s", {}), false);
  });

  it('never reads inherited properties of the target or credentials', () => {
    assert.equal(allows('toString:%(constructor)s', {}), false);
    assert.equal(allows('user_id:%(__proto__)s', {}), false);
  });

  it('walks dotted credential paths and lists', () => {
    assert.equal(allows('token.project.domain.id:%(domain_id)s', { domain_id: 'd1' }), true);
    assert.equal(allows('token.is_admin_project:False'), true);
    assert.equal(allows('token.is_admin_project:True'), false);
    assert.equal(allows('groups.id:g2'), true);
    assert.equal(allows('groups.id:g3'), false);
    assert.equal(allows('roles:reader'), true);
    assert.equal(allows('token.missing.id:x'), false);
  });

  it('renders values as Python str() does', () => {
    assert.equal(allows('is_admin:True'), true);
    assert.equal(allows('is_admin:true'), false);
    assert.equal(allows('domain_id:None'), true);
    assert.equal(allows('project_domain_id:None'), false, 'absent attributes are not None');
    assert.equal(allows('True:%(enabled)s', { enabled: true }), true);
    assert.equal(allows('True:%(enabled)s', { enabled: false }), false);
    assert.equal(allows('None:%(parent)s', { parent: null }), true);
    assert.equal(allows('1:%(count)s', { count: 1 }), true);
    assert.equal(allows("'member':%(role.name)s", { role: { name: 'member' } }), true);
    assert.equal(allows("'member':%(role.name)s", { role: { name: 'admin' } }), false);
  });

  it('negates with not', () => {
    assert.equal(allows('not role:admin'), true);
    assert.equal(allows('not role:member'), false);
    assert.equal(allows('not (role:admin or role:member)'), false);
  });

  it('applies precedence when evaluating', () => {
    assert.equal(allows('role:admin or role:member and user_id:nobody'), false);
    assert.equal(allows('role:member or role:admin and user_id:nobody'), true);
    assert.equal(allows('(role:member or role:admin) and user_id:nobody'), false);
  });

  it('follows rule references and denies unknown ones', () => {
    const rules = { owner: 'user_id:%(user_id)s', admin_or_owner: 'role:admin or rule:owner' };
    assert.equal(allows('rule:admin_or_owner', { user_id: 'u1' }, member, rules), true);
    assert.equal(allows('rule:admin_or_owner', { user_id: 'u2' }, member, rules), false);
    assert.equal(allows('rule:nope', {}, member, rules), false);
    assert.equal(allows('rule:owner or rule:owner', { user_id: 'u1' }, member, rules), true);
  });

  it('throws RuleCycleError on reference loops', () => {
    const rules = { a: 'rule:b', b: 'role:admin or rule:a' };
    assert.throws(
      () => allows('rule:a', {}, member, rules),
      (error: unknown) => error instanceof RuleCycleError && error.chain.join(' ') === 'a b a',
    );
  });
});
