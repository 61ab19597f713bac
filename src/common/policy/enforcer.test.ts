// Tests for the Enforcer: registration, overrides, scope, deprecated rules, broken rules, errors.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Forbidden, TstackError } from '../errors/index.js';
import {
  DuplicatePolicy,
  Enforcer,
  InvalidPolicyDefinition,
  InvalidScope,
  PolicyNotAuthorized,
  PolicyNotRegistered,
  PROJECT_MEMBER,
  PROJECT_READER,
  SYSTEM_READER,
  ADMIN,
  type Credentials,
  type RuleDefault,
} from './index.js';

const defaults: RuleDefault[] = [
  { name: 'admin_required', checkStr: ADMIN, description: 'Admins.' },
  {
    name: 'compute:servers:get',
    checkStr: `rule:admin_required or (${PROJECT_READER})`,
    description: 'Show a server.',
    operations: [{ method: 'GET', path: '/servers/{server_id}' }],
    scopeTypes: ['project'],
  },
  {
    name: 'compute:servers:delete',
    checkStr: PROJECT_MEMBER,
    description: 'Delete a server.',
    scopeTypes: ['project'],
  },
  { name: 'identity:list_regions', checkStr: '', description: 'List regions.' },
  { name: 'identity:list_domains', checkStr: SYSTEM_READER, description: 'List domains.', scopeTypes: ['system'] },
  {
    name: 'identity:get_limit',
    checkStr: `(${SYSTEM_READER}) or (role:reader and domain_id:%(target.domain_id)s)`,
    description: 'Show a limit.',
    scopeTypes: ['system', 'domain'],
  },
];

const reader: Credentials = { user_id: 'u1', project_id: 'p1', roles: ['reader'] };
const memberOf = (projectId: string): Credentials => ({ user_id: 'u1', project_id: projectId, roles: ['member', 'reader'] });
const systemReader: Credentials = { user_id: 'u9', system_scope: 'all', roles: ['reader'] };
const domainReader: Credentials = { user_id: 'u8', domain_id: 'd1', roles: ['reader'] };
const server = { id: 's1', project_id: 'p1' };

describe('Enforcer', () => {
  const enforcer = new Enforcer({ defaults, strict: true });

  it('allows what the default rule allows', () => {
    assert.equal(enforcer.enforce('compute:servers:get', server, reader), true);
    assert.equal(enforcer.enforce('compute:servers:delete', server, memberOf('p1')), true);
    assert.equal(enforcer.enforce('identity:list_regions', {}, reader), true);
    assert.doesNotThrow(() => enforcer.authorize('compute:servers:get', server, reader));
  });

  it('denies with PolicyNotAuthorized: a 403 Forbidden with oslo-style message', () => {
    assert.equal(enforcer.enforce('compute:servers:delete', server, reader), false);
    assert.equal(enforcer.enforce('compute:servers:delete', server, memberOf('p2')), false);
    assert.throws(
      () => enforcer.authorize('compute:servers:delete', server, reader),
      (error: unknown) => {
        assert.ok(error instanceof PolicyNotAuthorized);
        assert.ok(error instanceof Forbidden);
        assert.equal(error.status, 403);
        assert.equal(error.title, 'Forbidden');
        assert.equal(error.action, 'compute:servers:delete');
        assert.equal(error.message, "Policy doesn't allow compute:servers:delete to be performed.");
        assert.equal(error.name, 'PolicyNotAuthorized');
        return true;
      },
    );
  });

  it('denies, not crashes, when the target lacks a referenced key', () => {
    assert.equal(enforcer.enforce('compute:servers:delete', {}, memberOf('p1')), false);
  });

  it('refuses unregistered actions as a programming error (500)', () => {
    for (const call of [
      () => enforcer.authorize('compute:servers:reboot', server, reader),
      () => enforcer.enforce('compute:servers:reboot', server, reader),
    ]) {
      assert.throws(call, (error: unknown) => {
        assert.ok(error instanceof PolicyNotRegistered);
        assert.ok(error instanceof TstackError);
        assert.equal(error.status, 500);
        assert.equal(error.message, 'Policy compute:servers:reboot has not been registered');
        return true;
      });
    }
  });

  it('refuses duplicate defaults', () => {
    assert.throws(() => new Enforcer({ defaults: [defaults[0]!, defaults[0]!] }), DuplicatePolicy);
  });

  describe('scope enforcement', () => {
    it('refuses tokens of another scope with InvalidScope, a 403', () => {
      assert.equal(enforcer.enforce('identity:list_domains', {}, reader), false);
      assert.equal(enforcer.enforce('identity:list_domains', {}, systemReader), true);
      assert.throws(
        () => enforcer.authorize('compute:servers:get', server, systemReader),
        (error: unknown) => {
          assert.ok(error instanceof InvalidScope);
          assert.ok(error instanceof PolicyNotAuthorized);
          assert.equal(error.status, 403);
          assert.equal(error.message, "Policy doesn't allow compute:servers:get to be performed.");
          assert.equal(error.tokenScope, 'system');
          assert.deepEqual(error.scopeTypes, ['project']);
          assert.equal(error.detail, 'compute:servers:get requires a scope of [project], request was made with system scope.');
          return true;
        },
      );
    });

    it('tells domain tokens apart from project tokens', () => {
      const target = { target: { domain_id: 'd1' } };
      assert.equal(enforcer.enforce('identity:get_limit', target, domainReader), true);
      assert.equal(enforcer.enforce('identity:get_limit', target, systemReader), true);
      assert.equal(enforcer.enforce('identity:get_limit', target, reader), false);
    });

    it('lets old rules say system:all for system_scope:all', () => {
      const legacy = new Enforcer({
        defaults: [{ name: 'legacy', checkStr: 'role:reader and system:all', description: 'Old style.', scopeTypes: ['system'] }],
      });
      assert.equal(legacy.enforce('legacy', {}, systemReader), true);
      assert.equal(legacy.enforce('legacy', {}, { roles: ['reader'], system: 'all' }), true);
      assert.equal(legacy.enforce('legacy', {}, reader), false);
    });

    it('leaves rules without scopeTypes open to every scope', () => {
      assert.equal(enforcer.enforce('identity:list_regions', {}, systemReader), true);
    });

    it('only evaluates the check string when enforceScope is false', () => {
      const lax = new Enforcer({ defaults, enforceScope: false });
      const projectAdmin: Credentials = { project_id: 'p7', roles: ['admin'] };
      assert.equal(lax.enforce('compute:servers:get', server, { ...systemReader, roles: ['admin'] }), true);
      assert.equal(lax.enforce('identity:list_domains', {}, projectAdmin), false);
    });
  });

  describe('overrides', () => {
    it('replace defaults of the same name', () => {
      const custom = new Enforcer({ defaults, overrides: { 'compute:servers:delete': 'role:admin' } });
      assert.equal(custom.enforce('compute:servers:delete', server, memberOf('p1')), false);
      assert.equal(custom.enforce('compute:servers:delete', server, { project_id: 'p1', roles: ['admin'] }), true);
    });

    it('add rules that checks can reference, but not authorize directly', () => {
      const custom = new Enforcer({
        defaults,
        overrides: { owner: 'user_id:%(user_id)s', 'compute:servers:delete': 'rule:owner' },
      });
      assert.deepEqual(custom.problems, []);
      assert.equal(custom.enforce('compute:servers:delete', { project_id: 'p1', user_id: 'u1' }, reader), true);
      assert.throws(() => custom.enforce('owner', {}, reader), PolicyNotRegistered);
    });

    it('can redefine base rules that defaults reference', () => {
      const custom = new Enforcer({ defaults, overrides: { admin_required: 'role:cloud_admin' } });
      const cloudAdmin: Credentials = { project_id: 'p9', roles: ['cloud_admin'] };
      assert.equal(custom.enforce('compute:servers:get', server, cloudAdmin), true);
      assert.equal(custom.enforce('compute:servers:get', server, { project_id: 'p9', roles: ['admin'] }), false);
    });

    it('"" allows everyone and "!" no one', () => {
      const custom = new Enforcer({ defaults, overrides: { 'compute:servers:delete': '', 'identity:list_regions': '!' } });
      assert.equal(custom.enforce('compute:servers:delete', server, reader), true);
      assert.equal(custom.enforce('identity:list_regions', {}, reader), false);
    });
  });

  describe('broken rules', () => {
    it('deny an unparseable rule and report it', () => {
      const custom = new Enforcer({ defaults, overrides: { 'compute:servers:get': 'role:reader or (' } });
      assert.equal(custom.enforce('compute:servers:get', server, reader), false);
      assert.equal(custom.problems.length, 1);
      assert.equal(custom.problems[0]?.rule, 'compute:servers:get');
      assert.equal(custom.problems[0]?.source, 'override');
      assert.match(custom.problems[0]?.message ?? '', /^rule compute:servers:get: cannot parse "role:reader or \(": /);
    });

    it('deny a whole rule that refers to an undefined rule, even under not', () => {
      const custom = new Enforcer({ defaults, overrides: { 'compute:servers:get': 'not rule:typo' } });
      assert.equal(custom.enforce('compute:servers:get', server, reader), false);
      assert.match(custom.problems[0]?.message ?? '', /refers to undefined rule typo/);
    });

    it('deny rules in a reference loop and the rules that depend on them', () => {
      const custom = new Enforcer({
        defaults,
        overrides: {
          admin_required: 'role:admin or rule:loop_a',
          loop_a: 'rule:loop_b',
          loop_b: 'not rule:loop_a',
        },
      });
      const admin: Credentials = { project_id: 'p1', roles: ['admin'] };
      assert.equal(custom.enforce('compute:servers:get', server, admin), false);
      assert.equal(custom.enforce('compute:servers:get', server, reader), false);
      assert.equal(custom.enforce('compute:servers:delete', server, memberOf('p1')), true);
      const messages = custom.problems.map((problem) => problem.message);
      assert.ok(messages.some((m) => /loop_a: is part of a reference loop: loop_a -> loop_b -> loop_a/.test(m)), messages.join('\n'));
      assert.ok(messages.some((m) => /admin_required: depends on rule loop_a/.test(m)));
      assert.ok(messages.some((m) => /compute:servers:get: depends on rule admin_required/.test(m)));
    });

    it('detect a rule that refers to itself', () => {
      const custom = new Enforcer({ defaults, overrides: { admin_required: 'role:admin or rule:admin_required' } });
      assert.equal(custom.enforce('compute:servers:get', server, { project_id: 'p1', roles: ['admin'] }), false);
      assert.match(custom.problems[0]?.message ?? '', /admin_required -> admin_required/);
    });

    it('throw InvalidPolicyDefinition instead when strict', () => {
      assert.throws(
        () => new Enforcer({ defaults: [{ name: 'x', checkStr: 'role:admin and', description: 'Broken.' }], strict: true }),
        (error: unknown) => {
          assert.ok(error instanceof InvalidPolicyDefinition);
          assert.equal(error.status, 500);
          assert.equal(error.problems[0]?.source, 'default');
          assert.match(error.message, /rule x: cannot parse "role:admin and"/);
          return true;
        },
      );
    });
  });

  describe('deprecated rules', () => {
    const renamed: RuleDefault = {
      name: 'compute:servers:show',
      checkStr: PROJECT_READER,
      description: 'Show a server.',
      deprecatedRule: {
        name: 'compute:get',
        checkStr: 'role:viewer',
        deprecatedReason: 'Use the reader role.',
        deprecatedSince: '2024.1',
      },
    };
    const viewer: Credentials = { project_id: 'p1', roles: ['viewer'] };

    it('use only the new default when enforceNewDefaults (the default)', () => {
      const enforcer = new Enforcer({ defaults: [renamed] });
      assert.equal(enforcer.enforce('compute:servers:show', server, viewer), false);
      assert.equal(enforcer.enforce('compute:servers:show', server, reader), true);
    });

    it('accept the old or the new check string otherwise', () => {
      const enforcer = new Enforcer({ defaults: [renamed], enforceNewDefaults: false });
      assert.equal(enforcer.enforce('compute:servers:show', server, viewer), true);
      assert.equal(enforcer.enforce('compute:servers:show', server, reader), true);
      assert.equal(enforcer.enforce('compute:servers:show', server, { roles: ['other'], project_id: 'p1' }), false);
    });

    it('keep honouring an override written under the old name', () => {
      const enforcer = new Enforcer({ defaults: [renamed], overrides: { 'compute:get': 'role:auditor' } });
      assert.equal(enforcer.enforce('compute:servers:show', server, { roles: ['auditor'] }), true);
      assert.equal(enforcer.enforce('compute:servers:show', server, reader), false);
    });

    it('ignore the old-name override when it is an alias or the new name is overridden', () => {
      const alias = new Enforcer({ defaults: [renamed], overrides: { 'compute:get': 'rule:compute:servers:show' } });
      assert.equal(alias.enforce('compute:servers:show', server, reader), true);
      const both = new Enforcer({
        defaults: [renamed],
        overrides: { 'compute:get': 'role:auditor', 'compute:servers:show': 'role:boss' },
      });
      assert.equal(both.enforce('compute:servers:show', server, { roles: ['auditor'] }), false);
      assert.equal(both.enforce('compute:servers:show', server, { roles: ['boss'] }), true);
    });
  });
});
