// Query-string reading: one rule per framework for repeated single-valued parameters.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FLASK_QUERY_RULE, WEBOB_QUERY_RULE, queryReader } from './query.js';

const QUERY = { name: ['first', 'second', 'third'], limit: '5', empty: '' };

describe('queryReader', () => {
  it('reads a repeated single-valued parameter as Flask does (first) or as webob does (last)', () => {
    assert.equal(queryReader(FLASK_QUERY_RULE).string(QUERY, 'name'), 'first');
    assert.equal(queryReader(WEBOB_QUERY_RULE).string(QUERY, 'name'), 'third');
  });
  it('gives every occurrence in order, and one value alike under both rules', () => {
    for (const rule of [FLASK_QUERY_RULE, WEBOB_QUERY_RULE]) {
      const query = queryReader(rule);
      assert.deepEqual(query.values(QUERY, 'name'), ['first', 'second', 'third']);
      assert.deepEqual(query.values(QUERY, 'limit'), ['5']);
      assert.equal(query.string(QUERY, 'limit'), '5');
      assert.equal(query.string(QUERY, 'missing'), undefined);
      assert.deepEqual(query.values(undefined, 'name'), []);
      assert.equal(query.has(QUERY, 'empty'), true);
      assert.equal(query.has(QUERY, 'missing'), false);
      // Only the query's own keys: nothing inherited reads as a parameter.
      assert.equal(query.string(QUERY, 'toString'), undefined);
    }
  });
});
