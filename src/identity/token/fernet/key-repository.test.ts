// Key repository setup, rotation and loading, after keystone's TestFernetKeyRotation and TestLoadKeys.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FernetKeyRepository } from './key-repository.js';
import { fernetRotate, fernetSetup } from './key-rotation.js';
import { KeysNotFound } from './errors.js';

let root: string;
let directory: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'fernet-keys-'));
  directory = join(root, 'fernet-keys');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function keyNumbers(): Promise<number[]> {
  return (await readdir(directory)).filter((name) => /^[0-9]+$/.test(name)).map(Number).sort((a, b) => a - b);
}

/** A clock the test moves by hand. */
function manualClock(start = Date.now()): { now: () => Date; advance: (ms: number) => void } {
  let time = start;
  return { now: () => new Date(time), advance: (ms) => { time += ms; } };
}

describe('fernetSetup', () => {
  it('creates the directory 0700 with a staged key 0 and a primary key 1, each 0600', async () => {
    assert.equal(await fernetSetup(directory), true);
    assert.deepEqual(await keyNumbers(), [0, 1]);
    assert.equal((await stat(directory)).mode & 0o777, 0o700);
    for (const name of ['0', '1']) assert.equal((await stat(join(directory, name))).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(directory), ['0', '1']);
  });

  it('does nothing to a repository that already has a staged key', async () => {
    await fernetSetup(directory);
    const before = new FernetKeyRepository({ directory }).loadKeys();
    assert.equal(await fernetSetup(directory), false);
    assert.deepEqual(new FernetKeyRepository({ directory }).loadKeys(), before);
  });
});

describe('fernetRotate', () => {
  it('grows to max_active_keys, then keeps that many, always with fresh keys', async () => {
    for (const maxActiveKeys of [2, 3, 5]) {
      await rm(directory, { recursive: true, force: true });
      await fernetSetup(directory, { maxActiveKeys });
      const expected = [0, 1];
      const seen = new Set(new FernetKeyRepository({ directory }).loadKeys());
      for (let rotation = 0; rotation < maxActiveKeys + 4; rotation += 1) {
        const result = await fernetRotate(directory, { maxActiveKeys });
        expected.push(result.primaryKey);
        if (expected.length > maxActiveKeys) assert.deepEqual(result.purgedKeys, expected.splice(1, 1));
        assert.deepEqual(await keyNumbers(), expected);
        const staged = await readFile(join(directory, '0'), 'utf8');
        assert.ok(!seen.has(staged), 'the new staged key was never used before');
        seen.add(staged);
      }
    }
  });

  it('promotes the staged key to primary', async () => {
    await fernetSetup(directory);
    const staged = await readFile(join(directory, '0'), 'utf8');
    const { primaryKey } = await fernetRotate(directory);
    assert.equal(primaryKey, 2);
    assert.equal(await readFile(join(directory, '2'), 'utf8'), staged);
  });

  it('leaves the repository as it was when the new key cannot be written', async () => {
    await fernetSetup(directory);
    const before = new FernetKeyRepository({ directory }).loadKeys();
    await mkdir(join(directory, '0.tmp'));
    await assert.rejects(fernetRotate(directory));
    assert.deepEqual(await keyNumbers(), [0, 1]);
    assert.deepEqual(new FernetKeyRepository({ directory }).loadKeys(), before);
    await rm(join(directory, '0.tmp'), { recursive: true });
    await fernetRotate(directory);
    assert.deepEqual(await keyNumbers(), [0, 1, 2]);
  });

  it('ignores non-numeric files and overwrites empty key files', async () => {
    await fernetSetup(directory);
    await writeFile(join(directory, '99.bak'), 'junk');
    await writeFile(join(directory, '2'), '');
    await fernetRotate(directory);
    assert.deepEqual(await keyNumbers(), [0, 1, 2]);
    assert.ok((await readFile(join(directory, '2'), 'utf8')).length > 0);
    assert.equal(await readFile(join(directory, '99.bak'), 'utf8'), 'junk');
  });

  it('refuses an unset-up repository and fewer than two active keys', async () => {
    await mkdir(directory);
    await assert.rejects(fernetRotate(directory), KeysNotFound);
    await fernetSetup(directory);
    await assert.rejects(fernetRotate(directory, { maxActiveKeys: 1 }), RangeError);
  });
});

describe('FernetKeyRepository', () => {
  it('loads keys primary first, staged key 0 last', async () => {
    await fernetSetup(directory);
    await fernetRotate(directory);
    const files = await Promise.all(['2', '1', '0'].map((name) => readFile(join(directory, name), 'utf8')));
    assert.deepEqual(new FernetKeyRepository({ directory }).loadKeys(), files);
  });

  it('skips empty and non-numeric files', async () => {
    await fernetSetup(directory);
    await writeFile(join(directory, '~1'), 'junk');
    await writeFile(join(directory, '2'), '');
    assert.equal(new FernetKeyRepository({ directory }).loadKeys().length, 2);
  });

  it('reads symlinked key files, as a secret volume mounts them', async () => {
    await fernetSetup(directory);
    const elsewhere = join(root, 'secret-key');
    await writeFile(elsewhere, await readFile(join(directory, '1'), 'utf8'));
    await symlink(elsewhere, join(directory, '7'));
    const keys = new FernetKeyRepository({ directory }).loadKeys();
    assert.equal(keys.length, 3);
    assert.equal(keys[0], await readFile(elsewhere, 'utf8'));
  });

  it('throws KeysNotFound for a missing or empty directory', async () => {
    assert.throws(() => new FernetKeyRepository({ directory }).loadKeys(), KeysNotFound);
    await mkdir(directory);
    assert.throws(() => new FernetKeyRepository({ directory }).loadKeys(), KeysNotFound);
  });

  it('refuses a key file that holds no Fernet key', async () => {
    await fernetSetup(directory);
    await writeFile(join(directory, '5'), 'not a key');
    assert.throws(() => new FernetKeyRepository({ directory }).loadKeys(), /5 does not hold a Fernet key/);
  });

  it('sees a rotation made by another process once the recheck interval has passed', async () => {
    await fernetSetup(directory);
    const clock = manualClock();
    const repository = new FernetKeyRepository({ directory, clock: clock.now, recheckIntervalMs: 1000 });
    const before = repository.loadKeys();
    await fernetRotate(directory);
    assert.equal(repository.loadKeys(), before, 'cached within the interval');
    clock.advance(1000);
    const after = repository.loadKeys();
    assert.equal(after.length, 3);
    assert.equal(after[1], before[0], 'the old primary is now a secondary');
  });

  it('reuses its keys while the directory is unchanged', async () => {
    await fernetSetup(directory);
    const clock = manualClock(Date.now() + 60_000);
    const repository = new FernetKeyRepository({ directory, clock: clock.now, recheckIntervalMs: 0 });
    const first = repository.loadKeys();
    assert.equal(repository.loadKeys(), first);
    await fernetRotate(directory);
    assert.notEqual(repository.loadKeys(), first);
  });
});
