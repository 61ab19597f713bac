// limit/marker parsing, paging and next links.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequest } from '../errors/index.js';
import { nextPageUrl, parsePageRequest, takePage } from './pagination.js';

const items = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
const notFound = () => new BadRequest('marker not found');

describe('pagination', () => {
  it('parses and clamps limit, keeps the marker', () => {
    assert.deepEqual(parsePageRequest({ limit: '2', marker: 'b' }, 1000), { limit: 2, marker: 'b' });
    assert.deepEqual(parsePageRequest({ limit: '5000' }, 1000), { limit: 1000, marker: undefined });
    assert.throws(() => parsePageRequest({ limit: '-1' }, 1000), { status: 400 });
    assert.throws(() => parsePageRequest({ limit: 'abc' }, 1000), { status: 400 });
  });
  it('returns the page after the marker and says whether more follow', () => {
    assert.deepEqual(takePage(items, { limit: 2, marker: undefined }, (i) => i.id, notFound), { items: [{ id: 'a' }, { id: 'b' }], hasMore: true });
    assert.deepEqual(takePage(items, { limit: 2, marker: 'c' }, (i) => i.id, notFound), { items: [{ id: 'd' }, { id: 'e' }], hasMore: false });
    assert.throws(() => takePage(items, { limit: 2, marker: 'zz' }, (i) => i.id, notFound), { status: 400 });
  });
  it('builds the next link from the request URL', () => {
    assert.equal(nextPageUrl('http://h:9292/v2/images?limit=2&marker=a', 'c'), 'http://h:9292/v2/images?limit=2&marker=c');
  });
});
