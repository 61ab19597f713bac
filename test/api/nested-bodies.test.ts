// Every route of identity and image that takes a body answers a 10,000-level nested JSON body
// with 400 in the service's own error format, before any handler runs. The routes are read from
// the services as registered, so a route added later is covered without touching this test.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PASSWORD, startTwoServices } from './two-services.js';
import type { Reply, TwoServices } from './two-services.js';

const DEPTH = 10_000;
const BODIES = { arrays: `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`, objects: `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}` };
/** The JSON media types the services parse; a route answering 415 to all of them takes no JSON. */
const JSON_TYPES = ['application/json', 'application/openstack-images-v2.1-json-patch'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function keystoneFormat(reply: Reply, status: number): void {
  assert.equal(reply.status, status, reply.text.slice(0, 300));
  const body = reply.json as { error?: Record<string, unknown> };
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error ?? {}).sort(), ['code', 'message', 'title']);
  assert.equal(body.error?.code, status);
}

function glanceFormat(reply: Reply, status: number): void {
  assert.equal(reply.status, status, reply.text.slice(0, 300));
  assert.match(String(reply.headers['content-type']), /^text\/plain/);
  assert.match(reply.text, new RegExp(`^${status} [A-Z][A-Za-z ]+\\n\\n.+\\n\\n   $`, 's'));
}

/** A concrete URL for a route pattern: each `:param` becomes a plausible id. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z_]+/g, '0b1e3a7c5d2f4e6a8b9c0d1e2f3a4b5c');
}

describe('deeply nested JSON bodies on every route of identity and image', () => {
  let services: TwoServices;
  let tokens: { identity: string; image: string };

  before(async () => {
    services = await startTwoServices();
    const admin = await services.passwordToken('admin', ADMIN_PASSWORD, 'admin');
    tokens = { identity: admin, image: admin };
  });
  after(async () => services?.close());

  async function walk(app: FastifyInstance, token: string, check: (reply: Reply, status: number) => void): Promise<number> {
    let covered = 0;
    const routes = app.registeredRoutes().filter((route) => BODY_METHODS.has(route.method));
    assert.ok(routes.length > 0);
    for (const route of routes) {
      for (const [shape, body] of Object.entries(BODIES)) {
        let reply: Reply | undefined;
        for (const type of JSON_TYPES) {
          reply = await services.call(app, route.method, concrete(route.url), { token, body, headers: { 'content-type': type } });
          if (reply.status !== 415) break;
        }
        assert.ok(reply);
        if (reply.status === 415) {
          // The route takes no JSON (an image upload): still refused in the service's format.
          check(reply, 415);
          continue;
        }
        assert.notEqual(reply.status, 500, `${route.method} ${route.url} (${shape}) crashed: ${reply.text.slice(0, 200)}`);
        try {
          check(reply, 400);
        } catch (error) {
          throw new Error(`${route.method} ${route.url} (${shape}): ${(error as Error).message}`);
        }
        covered++;
      }
    }
    return covered / 2;
  }

  it('identity: 400 in Keystone\'s error body on every route with a body', async () => {
    const covered = await walk(services.identity.app, tokens.identity, keystoneFormat);
    assert.ok(covered >= 40, `only ${covered} identity routes took a JSON body`);
  });

  it('image: 400 in Glance\'s error body on every route with a body', async () => {
    const covered = await walk(services.image.app, tokens.image, glanceFormat);
    assert.ok(covered >= 5, `only ${covered} image routes took a JSON body`);
  });
});
