// Token payloads through Fernet and back: every supported version, keystone-made tokens,
// refusals, size, and the life of a token across key rotations.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '@msgpack/msgpack';
import { TokenFormatter, MAX_TOKEN_SIZE } from './token-formatter.js';
import { isExpired } from './token-payload.js';
import type { NewTokenPayload } from './token-payload.js';
import { FernetKeyRepository } from './key-repository.js';
import { fernetRotate, fernetSetup } from './key-rotation.js';
import { MultiFernet } from './multi-fernet.js';
import { generateFernetKey } from './fernet.js';
import { randomAuditId } from './payload-fields.js';
import { InvalidToken, KeysNotFound } from './errors.js';
import type { InvalidTokenReason } from './errors.js';

const KEY = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
const NOW = new Date('2023-11-14T21:13:20.000Z');
const USER = '3ec3164f750146be97f21559ee4d9c51';
const PROJECT = '8538a3f13f9541b28c2c6b8a2c1b3e0d';
const CREDENTIAL = '0123456789abcdef0123456789abcdef';
const AUDIT = 'AAECAwQFBgcICQoLDA0ODw';
const PARENT_AUDIT = 'qE1DA7K1Rz6MUxb-H1pY_w';

function formatter(keys: readonly string[] = [KEY], clock = (): Date => NOW): TokenFormatter {
  return new TokenFormatter({ keys: { loadKeys: () => keys }, clock });
}

function payload(fields: Partial<NewTokenPayload> = {}): NewTokenPayload {
  return {
    userId: USER, methods: ['password'], expiresAt: new Date('2023-11-14T22:13:20.123Z'), auditIds: [AUDIT],
    ...fields,
  };
}

function rejects(action: () => unknown, reason: InvalidTokenReason): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof InvalidToken, `expected InvalidToken, got ${String(error)}`);
    assert.equal(error.reason, reason);
    return true;
  });
}

/** A token whose plaintext is `message`, made with KEY. */
function sealed(message: Uint8Array): string {
  return new MultiFernet([KEY]).encrypt(message).replace(/=+$/, '');
}

describe('TokenFormatter round trips', () => {
  const cases: ReadonlyArray<readonly [string, Partial<NewTokenPayload>]> = [
    ['unscoped', {}],
    ['unscoped, non-uuid user id', { userId: 'admin' }],
    ['unscoped, 16-character non-uuid user id', { userId: '0123456789abcdef' }],
    ['domain-scoped, uuid domain', { domainId: PROJECT }],
    ['domain-scoped, the default domain', { domainId: 'default' }],
    ['project-scoped', { projectId: PROJECT, auditIds: [AUDIT, PARENT_AUDIT] }],
    ['project-scoped, non-uuid ids', { userId: 'ldap-user', projectId: 'default' }],
    ['project-scoped, uppercase uuid kept as written', { projectId: PROJECT.toUpperCase() }],
    ['system-scoped', { systemScope: 'all' }],
    ['application credential', { projectId: PROJECT, appCredId: CREDENTIAL, methods: ['application_credential'] }],
    ['application credential, non-uuid ids', { userId: 'u', projectId: 'p', appCredId: 'c' }],
    ['several methods', { methods: ['token', 'password', 'external'] }],
  ];
  for (const [name, fields] of cases) {
    it(name, () => {
      const original = payload(fields);
      const token = formatter().create(original);
      assert.deepEqual(formatter().validate(token), { ...original, issuedAt: NOW });
    });
  }

  it('takes issuedAt from the clock, to the second', () => {
    const token = formatter([KEY], () => new Date('2024-05-06T07:08:09.987Z')).create(payload());
    assert.equal(formatter().validate(token).issuedAt.toISOString(), '2024-05-06T07:08:09.000Z');
  });

  it('strips the base64 padding', () => {
    for (let count = 1; count <= 3; count += 1) {
      const token = formatter().create(payload({ auditIds: Array.from({ length: count }, () => randomAuditId()) }));
      assert.match(token, /^[A-Za-z0-9_-]+$/);
      assert.equal(formatter().validate(token).auditIds.length, count);
    }
  });
});

describe('TokenFormatter size', () => {
  it(`keeps typical tokens within ${MAX_TOKEN_SIZE} characters`, () => {
    const audits = [randomAuditId(), randomAuditId()];
    const typical: Partial<NewTokenPayload>[] = [
      { projectId: PROJECT, methods: ['password', 'token'] },
      { domainId: PROJECT },
      { domainId: 'default' },
      { systemScope: 'all' },
      { projectId: PROJECT, appCredId: CREDENTIAL, methods: ['application_credential', 'token'] },
    ];
    for (const fields of typical) {
      const token = formatter().create(payload({ auditIds: audits, ...fields }));
      assert.ok(token.length <= MAX_TOKEN_SIZE, `${token.length} characters for ${JSON.stringify(fields)}`);
    }
  });
});

describe('TokenFormatter reads tokens keystone made', () => {
  // Packed as keystone's token_formatters assemble them (python msgpack, floats as float64),
  // encrypted with python cryptography's Fernet at 2023-11-14T21:13:20Z, padding stripped.
  const keystoneTokens: ReadonlyArray<readonly [string, string, Omit<NewTokenPayload, 'expiresAt'>, string]> = [
    ['unscoped, non-uuid user, external+password',
      'gAAAAABlU-LwAAECAwQFBgcICQoLDA0ODwMWXAL5XLOnMjqnVlC-6Q_w8k5d2wAN1xy4re6VKm4iSx48v1HygBQ132q8np4Bd-OpezY7DqjM5G9EYqcECWTr6PazoxD11RLqq0JjkEir',
      { userId: 'ldap-user-1', methods: ['password', 'external'], auditIds: [AUDIT] }, '2023-11-14T22:13:20.000Z'],
    ['domain-scoped to the default domain',
      'gAAAAABlU-LwAAECAwQFBgcICQoLDA0OD4dqbfv7i_6PyZDsxkuC-bJGu-FErTqSlJJxbCJno5YJ_MATVo__E0nXNYcZF9FAGgJdHysmvIg9qRpCBVWwBkkwBD8N7ec4krtoYCEgvRrAe98T5euaFRTP_vgWsm-e78vzCpMgKcoj9qm6a0BOM0A',
      { userId: USER, methods: ['token', 'password'], domainId: 'default', auditIds: [AUDIT, PARENT_AUDIT] },
      '2023-11-14T22:13:20.500Z'],
    ['project-scoped',
      'gAAAAABlU-LwAAECAwQFBgcICQoLDA0OD46sH59PGQYd2-iResDZw9PTU0k5zqcHj69-FyPwfiO7nl0PrMqQpZlcOemVaKxQH0yJaeB3qOBfuWU0gNGRPRccheYO0XLRwfrtNG7SnO-QI7W0IOiQcFeXFMQI581_IEFZWkMKHLW7WGvDdNGcWwU',
      { userId: USER, methods: ['password'], projectId: PROJECT, auditIds: [AUDIT] }, '2023-11-14T22:13:20.000Z'],
    ['system-scoped, microsecond expiry',
      'gAAAAABlU-LwAAECAwQFBgcICQoLDA0OD8QAW7qnfrGPKUSperchFOZpbOIMs2cxOLKqMeGytm-hqMB1W2FWjjNDVX3voBfPnnvU63u9bRjMnciAvB-Lw8a7jB3x2aw_GHVN890jnDBBqRgoI9FjVHAbZmKv5M5Wkw',
      { userId: USER, methods: ['password'], systemScope: 'all', auditIds: [AUDIT] }, '2023-11-14T23:13:20.123Z'],
    ['application credential',
      'gAAAAABlU-LwAAECAwQFBgcICQoLDA0OD8DyfDOUNbuen6GjXX3uXVwWLGgMRv0gQKMhRG2jndUl99uCrHGNoW6DH79uHvKppC64Gi1bN-3CmYA1hmzsLfF6BfS6BfcSTWV8KncnBoFlZG7NzRs9tCQTYz-RoirTMa1lvucp7hUftOAJa3tDhOTGxCbjEAWjVLikZgfDZiVw',
      { userId: USER, methods: ['application_credential'], projectId: PROJECT, auditIds: [AUDIT], appCredId: CREDENTIAL },
      '2023-11-14T22:13:20.000Z'],
  ];
  for (const [name, token, fields, expiresAt] of keystoneTokens) {
    it(name, () => {
      assert.deepEqual(formatter().validate(token), { ...fields, expiresAt: new Date(expiresAt), issuedAt: NOW });
    });
  }

  it('refuses the trust-scoped version 3 it does not support', () => {
    const trust = 'gAAAAABlU-LwAAECAwQFBgcICQoLDA0OD50_oTtu3lE2MaOfF7UtPHVyGbE0rnHJC76U7asfskoWtc1MOH1ILev0m0TZgBjBWTkS5axycpyeByPYqRHGjGRJRG80PynEOjLvzqH9FkC4hDZzrRGlV_pwfzLAV3dDEmo8skpz3d0BE_IUaF_L6btVb9XWlHhqIkfU-kz0IlUb';
    rejects(() => formatter().validate(trust), 'version');
  });
});

describe('TokenFormatter refusals', () => {
  it('refuses tampered, truncated, foreign and garbage tokens with a 401', () => {
    const token = formatter().create(payload({ projectId: PROJECT }));
    const flipped = token.slice(0, 40) + (token[40] === 'A' ? 'B' : 'A') + token.slice(41);
    rejects(() => formatter().validate(flipped), 'signature');
    rejects(() => formatter().validate(token.slice(0, -4)), 'encoding');
    rejects(() => formatter([generateFernetKey()]).validate(token), 'signature');
    for (const garbage of ['', 'x', 'Bearer abc', `${token}====`, '\u00e9\u00e9\u00e9\u00e9', 'a'.repeat(5000)]) {
      assert.throws(() => formatter().validate(garbage), (error: unknown) => {
        return error instanceof InvalidToken && error.status === 401 && error.message === 'Could not recognize Fernet token';
      }, garbage);
    }
  });

  it('refuses well-signed plaintexts that are not a valid payload', () => {
    const notPayloads = [
      Buffer.from([0xc1]), encode('hello'), encode([]), encode([2, 'x']),
      encode([0, [true, Buffer.alloc(3)], 2, 1.5, []]),
      encode([0, [false, 'u'], 1024, 1.5, []]),
      encode([0, [false, 'u'], 2, 'tomorrow', []]),
      encode([0, [false, 'u'], 2, 1.5, ['not bytes']]),
      encode([1, [false, 'u'], 2, 'not-the-default', 1.5, []]),
      encode([8, [false, 'u'], 2, 'some', 1.5, []]),
      encode([0, [false, 'u'], 2, 1.5, [], 'extra']),
    ];
    for (const plaintext of notPayloads) rejects(() => formatter().validate(sealed(plaintext)), 'payload');
    for (const version of [3, 4, 5, 6, 7, 10, 99, 'x']) {
      rejects(() => formatter().validate(sealed(encode([version, [false, 'u'], 2, 1.5, []]))), 'version');
    }
  });

  it('refuses to create what no payload version can hold', () => {
    const create = (fields: Partial<NewTokenPayload>) => () => formatter().create(payload(fields));
    assert.throws(create({ projectId: PROJECT, domainId: PROJECT }), RangeError);
    assert.throws(create({ systemScope: 'all', domainId: 'default' }), RangeError);
    assert.throws(create({ appCredId: CREDENTIAL, domainId: PROJECT }), RangeError);
    assert.throws(create({ domainId: 'my-domain' }), RangeError);
    assert.throws(create({ methods: ['kerberos'] }), RangeError);
    assert.throws(create({ auditIds: ['short'] }), RangeError);
    assert.throws(create({ expiresAt: new Date(Number.NaN) }), RangeError);
  });

  it('throws KeysNotFound without keys', () => {
    const repository = new FernetKeyRepository({ directory: join(tmpdir(), 'no-such-fernet-repo') });
    assert.throws(() => new TokenFormatter({ keys: repository }).create(payload()), KeysNotFound);
  });
});

describe('TokenFormatter methods bitmask', () => {
  it('uses keystone bits: external=1, password=2, token=4 ... application_credential=32', () => {
    const bits: ReadonlyArray<readonly [string, number]> = [
      ['external', 1], ['password', 2], ['token', 4], ['oauth1', 8], ['mapped', 16], ['application_credential', 32],
    ];
    for (const [method, bit] of bits) {
      const token = sealed(encode([0, [false, 'u'], bit, 1.5, []]));
      assert.deepEqual(formatter().validate(token).methods, [method]);
    }
  });
});

describe('isExpired', () => {
  it('is true from the expiry instant on', () => {
    const expiresAt = new Date('2024-01-01T00:00:00.000Z');
    assert.equal(isExpired({ expiresAt }, new Date('2023-12-31T23:59:59.999Z')), false);
    assert.equal(isExpired({ expiresAt }, expiresAt), true);
  });

  it('is not checked by validate', () => {
    const token = formatter().create(payload({ expiresAt: new Date('2000-01-01T00:00:00Z') }));
    assert.equal(isExpired(formatter().validate(token), NOW), true);
  });
});

describe('TokenFormatter across key rotations', () => {
  let root: string;
  let directory: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'fernet-tokens-'));
    directory = join(root, 'keys');
    await fernetSetup(directory);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  function onDisk(path: string): TokenFormatter {
    return new TokenFormatter({ keys: new FernetKeyRepository({ directory: path, recheckIntervalMs: 0 }) });
  }

  it('validates a token until its key is purged', async () => {
    const tokens = onDisk(directory);
    const token = tokens.create(payload());
    await fernetRotate(directory);
    assert.equal(tokens.validate(token).userId, USER, 'its key is now a secondary');
    const newer = tokens.create(payload());
    await fernetRotate(directory);
    rejects(() => tokens.validate(token), 'signature');
    assert.equal(tokens.validate(newer).userId, USER);
  });

  it('accepts tokens made with its staged key by a node that rotated first', async () => {
    const otherNode = join(root, 'other-node');
    await cp(directory, otherNode, { recursive: true });
    await fernetRotate(otherNode);
    const token = onDisk(otherNode).create(payload());
    assert.equal(onDisk(directory).validate(token).userId, USER);
  });
});
