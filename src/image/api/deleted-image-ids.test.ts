// Deleted image ids are never reused (Glance keeps deleted rows): POST /v2/images with the id
// of a deleted image is a 409, for its old project and for any other.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { registerImageRoutes } from './images.js';
import { TEST_TOKENS, buildTestApp, testAuthorizer, testImageManager } from './testing.js';

const ALICE = { 'x-auth-token': TEST_TOKENS.alice.token };
const BOB = { 'x-auth-token': TEST_TOKENS.bob.token };
const ADMIN = { 'x-auth-token': TEST_TOKENS.admin.token };
const ID = '3f0b7a52-8c1e-4d6f-9a2b-5c4d3e2f1a0b';

describe('deleted image ids', () => {
  it('answer 409 to a create with the id of a deleted image, whoever asks; the id stays out of listings', async () => {
    const images = await testImageManager();
    const app = await buildTestApp((a) => registerImageRoutes(a, { policy: testAuthorizer(), images }));
    try {
      const create = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/v2/images', headers, payload: { id: ID, name: 'first' } });
      assert.equal((await create(ALICE)).statusCode, 201);
      assert.equal((await app.inject({ method: 'DELETE', url: `/v2/images/${ID}`, headers: ALICE })).statusCode, 204);
      for (const headers of [ALICE, BOB, ADMIN]) {
        const again = await create(headers);
        assert.equal(again.statusCode, 409, again.body);
        assert.match(again.body, /^409 Conflict\n\n.*already exists/);
      }
      assert.equal((await app.inject({ url: `/v2/images/${ID}`, headers: ADMIN })).statusCode, 404);
      const listed = (await app.inject({ url: '/v2/images', headers: ADMIN })).json() as { images: { id: string }[] };
      assert.deepEqual(listed.images.map((image) => image.id), []);
      // An id of the same form that was never used is still free.
      assert.equal((await app.inject({ method: 'POST', url: '/v2/images', headers: BOB, payload: { id: ID.replace(/b$/, 'c') } })).statusCode, 201);
    } finally {
      await app.close();
    }
  });
});
