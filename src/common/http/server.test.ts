// The shared HTTP server: request ids, error rendering, malformed bodies, unknown routes, 500s.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Conflict } from '../errors/index.js';
import { createLogger } from '../log/index.js';
import { createHttpServer } from './server.js';
import { keystoneErrorBody } from './error-bodies.js';

function app() {
  const server = createHttpServer({ logger: createLogger({ service: 'test', level: 'silent' }), renderError: (e) => keystoneErrorBody(e) });
  server.post('/things', { schema: { body: { type: 'object', required: ['thing'], properties: { thing: { type: 'object', properties: { size: { type: 'integer' } } } } } } }, async () => ({ ok: true }));
  server.get('/conflict', async () => { throw new Conflict('already there'); });
  server.get('/boom', async () => { throw new Error('secret internals'); });
  return server;
}

describe('createHttpServer', () => {
  it('stamps every response with a request id', async () => {
    const response = await app().inject({ method: 'GET', url: '/conflict' });
    assert.match(String(response.headers['x-openstack-request-id']), /^req-[0-9a-f-]{36}$/);
  });
  it('renders domain errors with their status', async () => {
    const response = await app().inject({ method: 'GET', url: '/conflict' });
    assert.equal(response.statusCode, 409);
    assert.deepEqual(response.json(), { error: { code: 409, title: 'Conflict', message: 'already there' } });
  });
  it('answers malformed JSON and schema violations with 400, never coercing types', async () => {
    const server = app();
    const malformed = await server.inject({ method: 'POST', url: '/things', headers: { 'content-type': 'application/json' }, payload: '{"thing":' });
    assert.equal(malformed.statusCode, 400);
    const wrongType = await server.inject({ method: 'POST', url: '/things', payload: { thing: { size: '3' } } });
    assert.equal(wrongType.statusCode, 400);
    assert.match(wrongType.json().error.message, /thing\.size/);
    assert.equal((await server.inject({ method: 'POST', url: '/things', payload: {} })).statusCode, 400);
  });
  it('answers a known path asked with another method with 405 and Allow', async () => {
    const response = await app().inject({ method: 'DELETE', url: '/things' });
    assert.equal(response.statusCode, 405);
    assert.equal(response.headers.allow, 'POST');
    assert.equal(response.json().error.code, 405);
  });
  it('answers unknown routes with 404 and hides the internals of a 500', async () => {
    const server = app();
    assert.equal((await server.inject({ method: 'GET', url: '/nowhere' })).statusCode, 404);
    const boom = await server.inject({ method: 'GET', url: '/boom' });
    assert.equal(boom.statusCode, 500);
    assert.doesNotMatch(boom.body, /secret internals/);
  });
});
