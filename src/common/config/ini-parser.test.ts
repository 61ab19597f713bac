// Tests of the INI reader: OpenStack's syntax and the errors it reports with line numbers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './errors.js';
import { parseIni } from './ini-parser.js';

describe('parseIni', () => {
  it('reads sections, both separators, comments and quotes', () => {
    const text = [
      '# leading comment',
      '[DEFAULT]',
      'debug = true',
      '; another comment',
      '[Identity]',
      'port: 5001',
      'connection = sqlite:///tmp/a.db',
      "name = 'quoted value'",
      'empty =',
      'note = a # not a comment',
    ].join('\n');
    assert.deepEqual(parseIni(text, 'tstack.conf'), [
      { section: 'DEFAULT', key: 'debug', value: 'true', line: 3 },
      { section: 'identity', key: 'port', value: '5001', line: 6 },
      { section: 'identity', key: 'connection', value: 'sqlite:///tmp/a.db', line: 7 },
      { section: 'identity', key: 'name', value: 'quoted value', line: 8 },
      { section: 'identity', key: 'empty', value: '', line: 9 },
      { section: 'identity', key: 'note', value: 'a # not a comment', line: 10 },
    ]);
  });

  it('joins indented continuation lines and accepts CRLF and a BOM', () => {
    const text = '\uFEFF[a]\r\nmotd = one\r\n  two\r\n\r\nb = 2\r\n';
    assert.deepEqual(parseIni(text, 'x'), [
      { section: 'a', key: 'motd', value: 'one\ntwo', line: 2 },
      { section: 'a', key: 'b', value: '2', line: 5 },
    ]);
  });

  it('keeps repeated keys in file order', () => {
    const entries = parseIni('[a]\nk = 1\nk = 2\n', 'x');
    assert.deepEqual(entries.map((entry) => entry.value), ['1', '2']);
  });

  const failures: Array<[string, string]> = [
    ['[a]\nthis is not valid', 'tstack.conf:2: expected "key = value", [section] or a comment, got "this is not valid"'],
    ['[a\nk = 1', 'tstack.conf:1: section header "[a" has no closing ]'],
    ['[ ]', 'tstack.conf:1: section header has no name'],
    ['k = 1', 'tstack.conf:1: option "k" comes before any [section]'],
    ['[a]\n= 1', 'tstack.conf:2: assignment has no key'],
    ['[a]\n  k = 1', 'tstack.conf:2: indented line does not continue an option'],
  ];
  for (const [text, message] of failures) {
    it(`reports ${JSON.stringify(text)} with its line`, () => {
      assert.throws(() => parseIni(text, 'tstack.conf'), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.message, message);
        return true;
      });
    });
  }
});
