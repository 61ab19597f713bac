// Secret hashing: round trip, salting, and refusal of anything else.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hashSecret, verifySecret } from './secret-hash.js';

describe('secret hashing', () => {
  it('verifies the secret it hashed and nothing else', async () => {
    const hash = await hashSecret('s3cret');
    assert.match(hash, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.ok(hash.length <= 255);
    assert.equal(await verifySecret('s3cret', hash), true);
    assert.equal(await verifySecret('s3cret ', hash), false);
    assert.equal(await verifySecret('', hash), false);
  });
  it('salts every hash', async () => {
    assert.notEqual(await hashSecret('same'), await hashSecret('same'));
  });
  it('answers false for unreadable or hostile hashes', async () => {
    const hash = await hashSecret('x');
    for (const bad of ['', 'plain', hash.replace('scrypt', 'bcrypt'), hash.replace('$16384$', '$3$'), hash.replace('$16384$', '$-1$'), hash.slice(0, -8)]) {
      assert.equal(await verifySecret('x', bad), false, bad);
    }
  });
});
