// Tests for reading policy.yaml / policy.json into overrides.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Enforcer, PolicyFileError, loadPolicyFile, parsePolicyFile } from './index.js';

describe('loadPolicyFile', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tstack-policy-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads YAML and feeds an Enforcer', async () => {
    const path = join(dir, 'policy.yaml');
    await writeFile(
      path,
      [
        '# comments are fine',
        '"identity:get_user": "role:admin or user_id:%(target.user.id)s"',
        'identity:list_users: role:reader and (system_scope:all or domain_id:%(target.domain_id)s)',
        'never: "!"',
        'always: ""',
        '',
      ].join('\n'),
    );
    const overrides = await loadPolicyFile(path);
    assert.deepEqual(overrides, {
      'identity:get_user': 'role:admin or user_id:%(target.user.id)s',
      'identity:list_users': 'role:reader and (system_scope:all or domain_id:%(target.domain_id)s)',
      never: '!',
      always: '',
    });
    const enforcer = new Enforcer({
      defaults: [{ name: 'identity:get_user', checkStr: 'role:admin', description: 'Show a user.' }],
      overrides,
      strict: true,
    });
    assert.equal(enforcer.enforce('identity:get_user', { target: { user: { id: 'u1' } } }, { user_id: 'u1', roles: [] }), true);
  });

  it('reads JSON', async () => {
    const path = join(dir, 'policy.json');
    await writeFile(path, '{\n  "a": "role:admin",\n  "b": "rule:a"\n}\n');
    assert.deepEqual(await loadPolicyFile(path), { a: 'role:admin', b: 'rule:a' });
  });

  it('reads an empty or comment-only file as no overrides', async () => {
    const path = join(dir, 'empty.yaml');
    await writeFile(path, '# nothing here\n');
    assert.deepEqual(await loadPolicyFile(path), {});
    assert.deepEqual(parsePolicyFile(''), {});
    assert.deepEqual(parsePolicyFile('---\n'), {});
  });

  it('names a missing file', async () => {
    const path = join(dir, 'missing.yaml');
    await assert.rejects(loadPolicyFile(path), (error: unknown) => {
      assert.ok(error instanceof PolicyFileError);
      assert.equal(error.status, 500);
      assert.equal(error.path, path);
      assert.equal(error.message, `Policy file ${path}: not found`);
      assert.equal((error.cause as NodeJS.ErrnoException).code, 'ENOENT');
      return true;
    });
  });
});

describe('parsePolicyFile', () => {
  const rejects = (text: string, pattern: RegExp): void => {
    assert.throws(() => parsePolicyFile(text, 'policy.yaml'), (error: unknown) => {
      assert.ok(error instanceof PolicyFileError);
      assert.match(error.message, pattern);
      assert.ok(error.message.startsWith('Policy file policy.yaml: '));
      return true;
    });
  };

  it('reports YAML syntax errors', () => {
    rejects('a: [role:admin\n', /invalid YAML/);
    rejects('a: "x"\na: "y"\n', /invalid YAML: duplicated mapping key/);
  });

  it('requires a mapping of names to strings', () => {
    rejects('- role:admin\n', /expected a mapping/);
    rejects('just text\n', /expected a mapping/);
    rejects('a: 1\n', /rule "a" must be a check string .* got a number/);
    rejects('a:\n', /rule "a" must be a check string .* got nothing/);
    rejects('a: [role:admin]\n', /got a list/);
    rejects('a: x\n---\nb: y\n', /several YAML documents/);
  });

  it('refuses an unquoted !, which YAML reads as an empty (allow-all) string', () => {
    rejects('ok: "role:admin"\nbad: !\n', /line 2: YAML tags are not allowed/);
    rejects('a: !!str role:admin\n', /YAML tags are not allowed/);
  });

  it('keeps a __proto__ rule as data', () => {
    const rules = parsePolicyFile('__proto__: "role:admin"\n');
    assert.equal(Object.getPrototypeOf(rules), Object.prototype);
    assert.deepEqual(Object.keys(rules), ['__proto__']);
  });
});
