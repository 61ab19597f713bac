// Tests of renderConfig: INI layout, masked secrets, and text that loads back to the same values.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defineGroup } from './group.js';
import { loadConfig } from './load-config.js';
import { boolOpt, floatOpt, intOpt, listOpt, portOpt, stringOpt } from './options.js';
import { renderConfig } from './render-config.js';

const defaultOptions = defineGroup('DEFAULT', {
  debug: boolOpt({ default: false, help: 'Log at debug level.' }),
  motd: stringOpt({ default: '', help: 'Banner.' }),
});
const databaseOptions = defineGroup('database', {
  connection: stringOpt({ secret: true, help: 'Database URL.' }),
  password: stringOpt({ secret: true, help: 'Unset secret.' }),
  max_pool_size: intOpt({ default: 5, help: 'Pool size.' }),
  retry_interval: floatOpt({ default: 0.5, help: 'Seconds.' }),
});
const identityOptions = defineGroup('identity', {
  port: portOpt({ default: 5000, help: 'Port.' }),
  admin_roles: listOpt({ default: ['admin'], help: 'Admin roles.' }),
  title: stringOpt({ help: 'Optional title.' }),
});
const groups = [databaseOptions, defaultOptions, identityOptions];
const overrides = {
  DEFAULT: { debug: true, motd: '  "hello" ' },
  database: { connection: 'postgresql://u:p@db/keystone', retry_interval: 0.1 },
  identity: { admin_roles: [] },
};

describe('renderConfig', () => {
  it('prints every option by section, masking secrets', () => {
    const text = renderConfig(loadConfig({ groups, overrides }));
    assert.equal(
      text,
      [
        '[DEFAULT]',
        'debug = true',
        'motd = "  "hello" "',
        '',
        '[database]',
        'connection = ****',
        '#password = <None>',
        'max_pool_size = 5',
        'retry_interval = 0.1',
        '',
        '[identity]',
        'port = 5000',
        'admin_roles =',
        '#title = <None>',
        '',
      ].join('\n'),
    );
  });

  it('shows secrets when asked', () => {
    const text = renderConfig(loadConfig({ groups, overrides }), { showSecrets: true });
    assert.match(text, /^connection = postgresql:\/\/u:p@db\/keystone$/m);
  });

  it('prints text that loads back to the same values', () => {
    const config = loadConfig({ groups, overrides });
    const dir = mkdtempSync(join(tmpdir(), 'tstack-render-'));
    const path = join(dir, 'tstack.conf');
    writeFileSync(path, renderConfig(config, { showSecrets: true }));
    const reloaded = loadConfig({ files: [path], groups });
    rmSync(dir, { recursive: true });
    for (const group of groups) assert.deepEqual(reloaded.group(group), config.group(group), group.name);
    assert.deepEqual(reloaded.warnings, []);
  });
});
