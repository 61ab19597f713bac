// The Fernet format against the spec's own vectors (github.com/fernet/spec), and MultiFernet.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Fernet, generateFernetKey, isFernetKey, parseFernetToken } from './fernet.js';
import { MultiFernet } from './multi-fernet.js';
import { InvalidToken } from './errors.js';
import type { InvalidTokenReason } from './errors.js';

const SPEC_SECRET = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
const SPEC_TOKEN =
  'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==';
const SPEC_IV = Uint8Array.from({ length: 16 }, (_, index) => index);

/** invalid.json from the spec, minus its two TTL cases (keystone decrypts without a TTL). */
const SPEC_INVALID: ReadonlyArray<readonly [string, string, InvalidTokenReason]> = [
  ['incorrect mac', 'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykQUFBQUFBQUFBQQ==', 'signature'],
  ['too short', 'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPA==', 'encoding'],
  ['invalid base64', '%%%%%%%%%%%%%AECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==', 'encoding'],
  ['payload size not multiple of block size', 'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPOm73QeoCk9uGib28Xe5vz6oxq5nmxbx_v7mrfyudzUm', 'encoding'],
  ['payload padding error', 'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0ODz4LEpdELGQAad7aNEHbf-JkLPIpuiYRLQ3RtXatOYREu2FWke6CnJNYIbkuKNqOhw==', 'decryption'],
  ['incorrect IV (causes padding error)', 'gAAAAAAdwJ6xBQECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAkLhFLHpGtDBRLRTZeUfWgHSv49TF2AUEZ1TIvcZjK1zQ==', 'decryption'],
];

function rejects(action: () => unknown, reason: InvalidTokenReason): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof InvalidToken, `expected InvalidToken, got ${String(error)}`);
    assert.equal(error.reason, reason);
    assert.equal(error.status, 401);
    return true;
  });
}

describe('Fernet', () => {
  it('produces the spec generate.json token', () => {
    const timestamp = Date.parse('1985-10-26T01:20:00-07:00') / 1000;
    assert.equal(new Fernet(SPEC_SECRET).encrypt(Buffer.from('hello'), timestamp, SPEC_IV), SPEC_TOKEN);
  });

  it('reads the spec verify.json token, with its timestamp', () => {
    const { plaintext, issuedAt } = new MultiFernet([SPEC_SECRET]).decrypt(SPEC_TOKEN);
    assert.equal(plaintext.toString(), 'hello');
    assert.equal(issuedAt.toISOString(), '1985-10-26T08:20:00.000Z');
  });

  for (const [description, token, reason] of SPEC_INVALID) {
    it(`refuses the spec invalid.json case "${description}"`, () => {
      rejects(() => new MultiFernet([SPEC_SECRET]).decrypt(token), reason);
    });
  }

  it('round-trips any plaintext, empty and block-sized included', () => {
    const fernet = new MultiFernet([generateFernetKey()]);
    for (const size of [0, 1, 15, 16, 17, 200]) {
      const plaintext = Buffer.alloc(size, size);
      assert.deepEqual(fernet.decrypt(fernet.encrypt(plaintext)).plaintext, plaintext);
    }
  });

  it('refuses every single-bit change to a token', () => {
    const fernet = new MultiFernet([SPEC_SECRET]);
    const bytes = Buffer.from(SPEC_TOKEN, 'base64url');
    for (let index = 0; index < bytes.length; index += 1) {
      const tampered = Buffer.from(bytes);
      tampered[index] = (tampered[index] as number) ^ 0x01;
      assert.throws(() => fernet.decrypt(tampered.toString('base64url') + '=='), InvalidToken);
    }
  });

  it('refuses garbage of every kind as InvalidToken', () => {
    const fernet = new MultiFernet([SPEC_SECRET]);
    for (const garbage of ['', 'a', '====', 'not a token', SPEC_TOKEN.slice(0, -2), SPEC_TOKEN + 'AAAA']) {
      assert.throws(() => fernet.decrypt(garbage), InvalidToken, garbage);
    }
    assert.throws(() => fernet.decrypt(42 as unknown as string), InvalidToken);
  });

  it('accepts only 32-byte url-safe base64 keys', () => {
    assert.ok(isFernetKey(generateFernetKey()));
    assert.ok(isFernetKey(`${SPEC_SECRET}\n`));
    assert.ok(!isFernetKey(SPEC_SECRET.slice(4)));
    assert.ok(!isFernetKey(SPEC_SECRET.replace('_', '/')));
    assert.throws(() => new Fernet('short'), RangeError);
  });

  it('leaves the timestamp readable without the key', () => {
    assert.equal(parseFernetToken(SPEC_TOKEN).timestamp, 499162800);
  });
});

describe('MultiFernet', () => {
  const [primary, secondary, other] = [generateFernetKey(), generateFernetKey(), generateFernetKey()];

  it('encrypts with the first key and decrypts with any', () => {
    const token = new MultiFernet([primary, secondary]).encrypt(Buffer.from('x'));
    assert.equal(new MultiFernet([primary]).decrypt(token).plaintext.toString(), 'x');
    assert.equal(new MultiFernet([other, secondary, primary]).decrypt(token).plaintext.toString(), 'x');
    rejects(() => new MultiFernet([secondary, other]).decrypt(token), 'signature');
  });

  it('stamps the clock second and uses a fresh IV per token', () => {
    const clock = (): Date => new Date('2024-01-02T03:04:05.999Z');
    const fernet = new MultiFernet([primary], { clock });
    const [first, second] = [fernet.encrypt(Buffer.from('x')), fernet.encrypt(Buffer.from('x'))];
    assert.notEqual(first, second);
    assert.equal(fernet.decrypt(first).issuedAt.toISOString(), '2024-01-02T03:04:05.000Z');
  });

  it('needs at least one key', () => {
    assert.throws(() => new MultiFernet([]), RangeError);
  });
});
