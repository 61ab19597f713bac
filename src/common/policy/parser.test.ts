// Tests for the rule-language parser: tokens, precedence, leaves and syntax errors.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatCheck } from './check.js';
import { RuleSyntaxError, parseRule } from './parser.js';

const printed = (checkStr: string): string => formatCheck(parseRule(checkStr));

describe('parseRule', () => {
  it('reads @, ! and the empty string', () => {
    assert.deepEqual(parseRule(''), { type: 'always' });
    assert.deepEqual(parseRule('@'), { type: 'always' });
    assert.deepEqual(parseRule('!'), { type: 'never' });
  });

  it('gives not precedence over and, and over or', () => {
    assert.equal(printed('a:1 or b:2 and c:3'), '(a:1 or (b:2 and c:3))');
    assert.equal(printed('a:1 and b:2 or c:3'), '((a:1 and b:2) or c:3)');
    assert.equal(printed('a:1 or b:2 and c:3 and d:4'), '(a:1 or (b:2 and c:3 and d:4))');
    assert.equal(printed('a:1 and b:2 or c:3 and d:4'), '((a:1 and b:2) or (c:3 and d:4))');
    assert.equal(printed('not a:1 and b:2'), '(not a:1 and b:2)');
    assert.equal(printed('a:1 and not b:2 or c:3'), '((a:1 and not b:2) or c:3)');
    assert.equal(printed('not not a:1'), 'not not a:1');
  });

  it('honours parentheses, including ones glued to words', () => {
    assert.equal(printed('(a:1 or b:2) and c:3'), '((a:1 or b:2) and c:3)');
    assert.equal(printed('not (a:1 or b:2)'), 'not (a:1 or b:2)');
    assert.equal(printed('((a:1))'), 'a:1');
    assert.equal(printed('a:1 and (b:2 or (c:3 and d:4))'), '(a:1 and (b:2 or (c:3 and d:4)))');
    assert.equal(printed('(role:admin) or (project_id:%(project_id)s)'), '(role:admin or project_id:%(project_id)s)');
  });

  it('accepts keywords in any case and any whitespace', () => {
    assert.equal(printed('a:1 AND b:2 Or NOT c:3'), '((a:1 and b:2) or not c:3)');
    assert.equal(printed('  a:1\n\tand   b:2 '), '(a:1 and b:2)');
  });

  it('classifies leaves by kind', () => {
    assert.deepEqual(parseRule('rule:admin_required'), { type: 'rule', text: 'rule:admin_required', name: 'admin_required' });
    assert.deepEqual(parseRule('role:admin'), { type: 'role', text: 'role:admin', role: [{ text: 'admin' }] });
    assert.deepEqual(parseRule('project_id:%(project_id)s'), {
      type: 'attribute',
      text: 'project_id:%(project_id)s',
      path: ['project_id'],
      value: [{ key: 'project_id' }],
    });
    assert.deepEqual(parseRule('token.is_admin_project:True'), {
      type: 'attribute',
      text: 'token.is_admin_project:True',
      path: ['token', 'is_admin_project'],
      value: [{ text: 'True' }],
    });
  });

  it('reads Python literals on the left', () => {
    const literalOf = (checkStr: string): string | undefined => {
      const check = parseRule(checkStr);
      return check.type === 'literal' ? check.literal : undefined;
    };
    assert.equal(literalOf("'member':%(role.name)s"), 'member');
    assert.equal(literalOf('"member":%(role.name)s'), 'member');
    assert.equal(literalOf('True:%(user.enabled)s'), 'True');
    assert.equal(literalOf('None:%(x)s'), 'None');
    assert.equal(literalOf('1:%(x)s'), '1');
    assert.equal(literalOf('1.0:%(x)s'), '1.0');
    assert.equal(parseRule('is_admin:True').type, 'attribute');
    assert.equal(parseRule('true:x').type, 'attribute');
  });

  it('splits only on the first colon', () => {
    assert.deepEqual(parseRule('role:compute:admin'), { type: 'role', text: 'role:compute:admin', role: [{ text: 'compute:admin' }] });
  });

  it('parses templates with text around references and %% escapes', () => {
    const check = parseRule('name:pre-%(a.b)s-%(c)s%%');
    assert.equal(check.type, 'attribute');
    assert.deepEqual(check.type === 'attribute' ? check.value : undefined, [
      { text: 'pre-' },
      { key: 'a.b' },
      { text: '-' },
      { key: 'c' },
      { text: '%' },
    ]);
  });

  for (const [checkStr, reason] of [
    [' ', 'blank'],
    ['role:admin and', 'ends'],
    ['and role:admin', "found 'and'"],
    ['role:admin or or role:x', "found 'or'"],
    ['(role:admin', "missing ')'"],
    ['role:admin)', "unexpected ')'"],
    ['role:admin role:member', "unexpected 'role:member'"],
    ['admin', 'not a check'],
    [':admin', "nothing before ':'"],
    ["'member'", 'expected a check'],
    ['not', 'ends'],
    ['()', "found ')'"],
    ['user_id:%(user_id)d', "unsupported '%'"],
    ['quota:50%', "unsupported '%'"],
  ] as const) {
    it(`rejects ${JSON.stringify(checkStr)}`, () => {
      assert.throws(
        () => parseRule(checkStr),
        (error: unknown) => error instanceof RuleSyntaxError && error.message.includes(reason) && error.checkStr === checkStr,
      );
    });
  }
});
