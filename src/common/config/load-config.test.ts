// Tests of loadConfig: defaults, files, precedence, errors naming their source, warnings, freezing.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from './errors.js';
import { defineGroup } from './group.js';
import { loadConfig } from './load-config.js';
import { boolOpt, floatOpt, intOpt, listOpt, portOpt, stringOpt } from './options.js';

const identityOptions = defineGroup('identity', {
  port: intOpt({ default: 5000, min: 1, max: 65535, help: 'TCP port the identity API listens on.' }),
  driver: stringOpt({ default: 'sql', choices: ['sql', 'ldap'], help: 'Identity backend.' }),
  admin_roles: listOpt({ default: ['admin'], choices: ['admin', 'operator', 'reader'], help: 'Admin roles.' }),
  connection: stringOpt({ secret: true, help: 'Database URL.' }),
});
const defaultOptions = defineGroup('DEFAULT', {
  debug: boolOpt({ default: false, help: 'Log at debug level.' }),
});
const logOptions = defineGroup('DEFAULT', {
  log_dir: stringOpt({ help: 'Directory for log files.' }),
});
const fernetOptions = defineGroup('fernet_tokens', {
  max_active_keys: intOpt({ default: 3, min: 1, help: 'Keys kept in the repository.' }),
  ratio: floatOpt({ default: 0.5, help: 'A float.' }),
  listen_port: portOpt({ default: 35357, help: 'A port.' }),
});
const groups = [defaultOptions, logOptions, identityOptions, fernetOptions];

const dir = mkdtempSync(join(tmpdir(), 'tstack-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
function writeConf(text: string): string {
  fileCount += 1;
  const path = join(dir, `tstack-${fileCount}.conf`);
  writeFileSync(path, text);
  return path;
}

function messageOf(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.status, 500);
    return error.message;
  }
  assert.fail('expected ConfigError');
}

describe('loadConfig', () => {
  it('uses defaults when nothing is set', () => {
    const config = loadConfig({ groups });
    assert.deepEqual(config.group(identityOptions), {
      port: 5000,
      driver: 'sql',
      admin_roles: ['admin'],
      connection: undefined,
    });
    assert.deepEqual(config.group(defaultOptions), { debug: false });
    assert.deepEqual(config.group(fernetOptions), { max_active_keys: 3, ratio: 0.5, listen_port: 35357 });
    assert.deepEqual(config.warnings, []);
  });

  it('reads typed values from a file, lowercasing section names', () => {
    const path = writeConf(
      '[DEFAULT]\ndebug = yes\nlog_dir = /var/log/tstack\n[IDENTITY]\nport = 5001\nadmin_roles = admin, operator\n' +
        'connection = sqlite:///x.db\n[fernet_tokens]\nratio = 0.75\n[compute]\nanything = goes\n',
    );
    const config = loadConfig({ files: [path], groups });
    assert.deepEqual(config.group(identityOptions), {
      port: 5001,
      driver: 'sql',
      admin_roles: ['admin', 'operator'],
      connection: 'sqlite:///x.db',
    });
    assert.deepEqual(config.group(defaultOptions), { debug: true });
    assert.deepEqual(config.group(logOptions), { log_dir: '/var/log/tstack' });
    assert.equal(config.group(fernetOptions).ratio, 0.75);
    assert.deepEqual(config.files, [path]);
  });

  it('applies defaults < files in order < environment < overrides', () => {
    const first = writeConf('[identity]\nport = 6000\ndriver = ldap\n[DEFAULT]\ndebug = true\n');
    const second = writeConf('[identity]\nport = 6001\n');
    const env = { TSTACK_IDENTITY__PORT: '7000', TSTACK_DEFAULT__DEBUG: 'off', PATH: '/bin' };
    const layered = (overrides?: Parameters<typeof loadConfig>[0]['overrides']) =>
      loadConfig({ files: [first, second], env, groups, overrides });

    assert.equal(loadConfig({ files: [first, second], groups }).group(identityOptions).port, 6001);
    assert.equal(layered().group(identityOptions).port, 7000);
    assert.equal(layered().group(identityOptions).driver, 'ldap');
    assert.equal(layered().group(defaultOptions).debug, false);
    assert.equal(layered({ identity: { port: 8000 } }).group(identityOptions).port, 8000);
    assert.equal(layered({ identity: { port: '8001' } }).group(identityOptions).port, 8001);
    assert.equal(layered({ identity: { port: undefined } }).group(identityOptions).port, 7000);
  });

  it('maps environment variables with underscores in group and option names', () => {
    const env = { TSTACK_FERNET_TOKENS__MAX_ACTIVE_KEYS: '5', TSTACK_DEFAULT__LOG_DIR: '/tmp/logs' };
    const config = loadConfig({ env, groups });
    assert.equal(config.group(fernetOptions).max_active_keys, 5);
    assert.equal(config.group(logOptions).log_dir, '/tmp/logs');
  });

  it('names file, line, section and option for a bad value', () => {
    const path = writeConf('[identity]\n\nport = abc\n');
    assert.equal(messageOf(() => loadConfig({ files: [path], groups })), `${path}:3 [identity] port: "abc" is not an integer`);
  });

  it('names the option for a bad value of every kind', () => {
    const cases: Array<[string, string, string, string]> = [
      ['DEFAULT', 'debug', 'maybe', '"maybe" is not a boolean (use true/false, yes/no, on/off or 1/0)'],
      ['identity', 'port', '5.5', '"5.5" is not an integer'],
      ['identity', 'admin_roles', 'admin,x', '"x" is not one of: admin, operator, reader'],
      ['fernet_tokens', 'ratio', 'half', '"half" is not a number'],
      ['fernet_tokens', 'listen_port', '-1', '-1 is below the minimum 0'],
    ];
    for (const [group, option, text, problem] of cases) {
      const path = writeConf(`[${group}]\n${option} = ${text}\n`);
      assert.equal(messageOf(() => loadConfig({ files: [path], groups })), `${path}:2 [${group}] ${option}: ${problem}`);
    }
  });

  it('reports out-of-range values and values outside choices', () => {
    const range = writeConf('[identity]\nport = 70000\n');
    assert.equal(
      messageOf(() => loadConfig({ files: [range], groups })),
      `${range}:2 [identity] port: 70000 is above the maximum 65535`,
    );
    const choice = writeConf('[identity]\ndriver = nosql\n');
    assert.equal(
      messageOf(() => loadConfig({ files: [choice], groups })),
      `${choice}:2 [identity] driver: "nosql" is not one of: sql, ldap`,
    );
  });

  it('names the variable for a bad environment value', () => {
    const env = { TSTACK_DEFAULT__DEBUG: 'maybe' };
    assert.match(
      messageOf(() => loadConfig({ env, groups })),
      /^environment variable TSTACK_DEFAULT__DEBUG \[DEFAULT\] debug: "maybe" is not a boolean/,
    );
  });

  it('refuses bad, unknown and mistyped overrides', () => {
    assert.equal(
      messageOf(() => loadConfig({ groups, overrides: { identity: { port: true } } })),
      'override [identity] port: true is not an integer',
    );
    assert.equal(
      messageOf(() => loadConfig({ groups, overrides: { identity: { prot: 1 } } })),
      'override [identity] prot: unknown option',
    );
    assert.equal(
      messageOf(() => loadConfig({ groups, overrides: { compute: { x: 1 } } })),
      'override [compute]: unknown group',
    );
  });

  it('names the path of a missing file', () => {
    const path = join(dir, 'missing.conf');
    assert.equal(messageOf(() => loadConfig({ files: [path], groups })), `${path}: config file not found`);
  });

  it('reports a syntax error with its line', () => {
    const path = writeConf('[identity]\nport 5000\n');
    assert.match(messageOf(() => loadConfig({ files: [path], groups })), new RegExp(`^${path}:2: expected`));
  });

  it('checks every value it reads, even one a later source replaces', () => {
    const path = writeConf('[identity]\nport = abc\n');
    assert.throws(() => loadConfig({ files: [path], groups, overrides: { identity: { port: 1 } } }), ConfigError);
  });

  it('warns about unknown options in known sections and ignores unknown sections', () => {
    const path = writeConf('[identity]\nprot = 1\n[nova]\nfoo = bar\n');
    const env = { TSTACK_IDENTITY__PROT: '2', TSTACK_NOVA__FOO: 'x', TSTACK_DATA_DIR: '/tmp', tstack_identity__x: '1' };
    const config = loadConfig({ files: [path], env, groups });
    assert.deepEqual(
      config.warnings.map((warning) => warning.message),
      [`${path}:2 [identity] prot: unknown option, ignored`, 'environment variable TSTACK_IDENTITY__PROT [identity] prot: unknown option, ignored'],
    );
    assert.deepEqual(config.warnings[0], {
      source: path,
      line: 2,
      group: 'identity',
      option: 'prot',
      message: `${path}:2 [identity] prot: unknown option, ignored`,
    });
  });

  it('freezes the config, its groups and list values', () => {
    const config = loadConfig({ groups, overrides: { identity: { admin_roles: ['admin', 'reader'] } } });
    const identity = config.group(identityOptions);
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(identity));
    assert.ok(Object.isFrozen(identity.admin_roles));
    assert.ok(Object.isFrozen(config.warnings));
    assert.throws(() => {
      (identity as { port: number }).port = 1;
    }, TypeError);
    assert.throws(() => (identity.admin_roles as string[]).push('x'), TypeError);
    assert.equal(config.group(identityOptions), identity);
  });

  it('refuses a group that was not loaded', () => {
    const config = loadConfig({ groups: [identityOptions] });
    assert.equal(messageOf(() => config.group(defaultOptions)), '[DEFAULT]: group was not passed to loadConfig');
  });

  it('refuses two groups declaring the same option in one section', () => {
    const again = defineGroup('identity', { port: intOpt({ default: 1, help: 'clash' }) });
    assert.equal(
      messageOf(() => loadConfig({ groups: [identityOptions, again] })),
      '[identity] port: declared by two groups',
    );
  });
});

describe('defineGroup', () => {
  it('refuses defaults that break their own option', () => {
    assert.equal(
      messageOf(() => defineGroup('identity', { port: intOpt({ default: 0, min: 1, help: 'x' }) })),
      'default [identity] port: 0 is below the minimum 1',
    );
    assert.equal(
      messageOf(() => defineGroup('identity', { driver: stringOpt({ default: 'x', choices: ['sql'], help: 'x' }) })),
      'default [identity] driver: "x" is not one of: sql',
    );
  });

  it('refuses names that would not map to one environment variable', () => {
    for (const name of ['Identity', 'fernet__tokens', 'default', 'a-b', '']) {
      assert.throws(() => defineGroup(name, {}), ConfigError, name);
    }
    assert.throws(() => defineGroup('identity', { Port: intOpt({ help: 'x' }) }), ConfigError);
    assert.throws(() => defineGroup('identity', { max__keys: intOpt({ help: 'x' }) }), ConfigError);
  });

  it('freezes the definition', () => {
    assert.ok(Object.isFrozen(identityOptions));
    assert.ok(Object.isFrozen(identityOptions.options));
    assert.ok(Object.isFrozen(identityOptions.options.port));
  });
});
