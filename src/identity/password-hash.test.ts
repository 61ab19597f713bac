// scrypt hashing: round trips, self-describing format, rehash detection, hostile hashes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScryptPasswordHasher } from './password-hash.js';

const cheap = new ScryptPasswordHasher({ cost: 16, blockSize: 1 });

describe('ScryptPasswordHasher', () => {
  it('verifies the right password and refuses others', async () => {
    const hash = await cheap.hash('s3cret-pässword');
    assert.equal(await cheap.verify('s3cret-pässword', hash), true);
    assert.equal(await cheap.verify('s3cret-password', hash), false);
    assert.equal(await cheap.verify('', hash), false);
  });

  it('writes self-describing hashes with a fresh salt each time', async () => {
    const [a, b] = [await cheap.hash('pw'), await cheap.hash('pw')];
    assert.match(a, /^\$scrypt\$N=16,r=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.notEqual(a, b);
    assert.equal(a.includes('pw'), false);
  });

  it('uses Keystone-grade defaults and verifies hashes made with other parameters', async () => {
    const strong = new ScryptPasswordHasher();
    const hash = await strong.hash('pw');
    assert.match(hash, /^\$scrypt\$N=32768,r=8,p=1\$/);
    assert.equal(await cheap.verify('pw', hash), true);
    assert.equal(cheap.needsRehash(hash), true);
    assert.equal(strong.needsRehash(hash), false);
  });

  it('does not block the event loop while hashing', async () => {
    const strong = new ScryptPasswordHasher();
    let ticks = 0;
    const timer = setInterval(() => { ticks += 1; }, 1);
    await strong.hash('pw');
    clearInterval(timer);
    assert.ok(ticks > 0, 'timers ran while scrypt worked');
  });

  it('refuses malformed or hostile hashes without throwing', async () => {
    const good = await cheap.hash('pw');
    for (const bad of ['', 'plain', '$2b$12$abcdefghijklmnopqrstuv', good.replace('N=16', 'N=15'),
      good.replace('N=16', 'N=1073741824'), good.replace('r=1', 'r=0'), good.replace(/\$[^$]+$/, '$!!!'),
      good.replace(/\$[^$]+$/, '$AAAA')]) {
      assert.equal(await cheap.verify('pw', bad), false, bad);
      assert.equal(cheap.needsRehash(bad), true);
    }
  });

  it('rejects unusable parameters at construction', () => {
    assert.throws(() => new ScryptPasswordHasher({ cost: 1000 }), RangeError);
    assert.throws(() => new ScryptPasswordHasher({ blockSize: 0 }), RangeError);
    assert.throws(() => new ScryptPasswordHasher({ saltBytes: 4 }), RangeError);
    assert.throws(() => new ScryptPasswordHasher({ keyBytes: 8 }), RangeError);
  });
});
