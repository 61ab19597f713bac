// OpenStack list parameters: limit, marker, both sort syntaxes, fields, changes-since, time and tag filters.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequest } from '../errors/index.js';
import { parseChangesSince, parseFields, parseLimit, parseMarker, parseSort, parseTagFilter, parseTimeFilters } from './list-query.js';

const SORT = { keys: ['name', 'created_at', 'id'] as const, defaultSort: [{ key: 'created_at' as const, dir: 'desc' as const }] };

describe('list query parsing', () => {
  it('reads limit with a default and a maximum, and the marker', () => {
    assert.equal(parseLimit({}, { default: 25, max: 1000 }), 25);
    assert.equal(parseLimit({ limit: '5' }, { default: 25, max: 1000 }), 5);
    assert.equal(parseLimit({ limit: '5000' }, { default: 25, max: 1000 }), 1000);
    assert.equal(parseLimit({ limit: '0' }, { default: 25, max: 1000 }), 0);
    assert.equal(parseLimit({}, { default: 50, max: 10 }), 10);
    for (const bad of ['-1', 'x', '1.5', '']) assert.throws(() => parseLimit({ limit: bad }, { default: 25, max: 1000 }), BadRequest, bad);
    assert.equal(parseMarker({ marker: ['a', 'b'] }), 'b');
    assert.equal(parseMarker({}), undefined);
  });

  it('reads sort=k:dir and sort_key/sort_dir, and refuses mixing them or unknown keys', () => {
    assert.deepEqual(parseSort({}, SORT), [{ key: 'created_at', dir: 'desc' }]);
    assert.deepEqual(parseSort({ sort: 'name:asc,id' }, SORT), [{ key: 'name', dir: 'asc' }, { key: 'id', dir: 'desc' }]);
    assert.deepEqual(parseSort({ sort_key: ['name', 'id'], sort_dir: 'asc' }, SORT), [{ key: 'name', dir: 'asc' }, { key: 'id', dir: 'asc' }]);
    assert.deepEqual(parseSort({ sort_key: ['name', 'id'], sort_dir: ['asc', 'desc'] }, SORT), [{ key: 'name', dir: 'asc' }, { key: 'id', dir: 'desc' }]);
    assert.deepEqual(parseSort({ sort_key: 'name' }, { ...SORT, defaultDir: 'asc' }), [{ key: 'name', dir: 'asc' }]);
    assert.deepEqual(parseSort({ sort_dir: 'asc' }, SORT), [{ key: 'created_at', dir: 'asc' }]);
    const bad: Record<string, unknown>[] = [
      { sort: 'owner' }, { sort: 'name:up' }, { sort: 'name', sort_key: 'name' }, { sort_key: 'owner' },
      { sort_key: ['name', 'id', 'created_at'], sort_dir: ['asc', 'desc'] }, { sort_dir: 'sideways' },
    ];
    for (const query of bad) assert.throws(() => parseSort(query, SORT), BadRequest, JSON.stringify(query));
  });

  it('reads fields and changes-since', () => {
    assert.deepEqual(parseFields({ fields: ['id,name', 'name', 'status'] }), ['id', 'name', 'status']);
    assert.equal(parseFields({}), undefined);
    assert.deepEqual(parseChangesSince({ 'changes-since': '2026-01-02T03:04:05Z' }), new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
    assert.throws(() => parseChangesSince({ 'changes-since': 'yesterday' }), BadRequest);
  });

  it('reads time filters with operators', () => {
    assert.deepEqual(parseTimeFilters({ created_at: ['gte:2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'] }, 'created_at'), [
      { op: 'gte', value: new Date(Date.UTC(2026, 0, 1)) }, { op: 'eq', value: new Date(Date.UTC(2026, 1, 1)) },
    ]);
    assert.equal(parseTimeFilters({}, 'created_at'), undefined);
    assert.throws(() => parseTimeFilters({ created_at: 'about:2026-01-01' }, 'created_at'), BadRequest);
    assert.throws(() => parseTimeFilters({ created_at: 'gte:notadate' }, 'created_at'), BadRequest);
  });

  it('reads tag filters in both styles', () => {
    assert.deepEqual(parseTagFilter({ tags: 'a,b', 'tags-any': ['c', 'd,e'], 'not-tags': 'f', 'not-tags-any': 'g,h', tag: 'x' }, 'tags'), {
      all: ['a', 'b'], any: ['c', 'd', 'e'], notAll: ['f'], notAny: ['g', 'h'],
    });
    assert.deepEqual(parseTagFilter({ tag: ['a,b', 'c'], tags: 'z' }, 'glance'), { all: ['a,b', 'c'] });
    assert.deepEqual(parseTagFilter({}, 'glance'), {});
  });
});
