// Tests of renderSample: a commented sample with help, type, limits and default of each option.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineGroup } from './group.js';
import { parseIni } from './ini-parser.js';
import { intOpt, listOpt, stringOpt } from './options.js';
import { renderSample } from './render-sample.js';

const identityOptions = defineGroup('identity', {
  port: intOpt({ default: 5000, min: 1, max: 65535, help: 'TCP port the identity API listens on.' }),
  driver: stringOpt({ default: 'sql', choices: ['sql', 'ldap'], help: 'Identity backend.' }),
  connection: stringOpt({
    secret: true,
    help:
      'Database URL for the identity tables, in the form dialect://user:password@host/database, ' +
      'used by the SQL driver.\n\nLeave unset to use the SQLite file in the data directory.',
  }),
  admin_roles: listOpt({ default: [], choices: ['admin', 'member'], help: 'Admin roles.' }),
});

describe('renderSample', () => {
  const sample = renderSample([identityOptions]);

  it('documents each option in the way oslo-config-generator does', () => {
    assert.ok(
      sample.includes(
        [
          '[identity]',
          '',
          '# TCP port the identity API listens on. (integer value)',
          '# Minimum value: 1',
          '# Maximum value: 65535',
          '# Environment variable: TSTACK_IDENTITY__PORT',
          '#port = 5000',
          '',
          '# Identity backend. (string value)',
          '# Possible values: sql, ldap',
          '# Environment variable: TSTACK_IDENTITY__DRIVER',
          '#driver = sql',
        ].join('\n'),
      ),
      sample,
    );
    assert.match(sample, /# Allowed items: admin, member\n# Environment variable: TSTACK_IDENTITY__ADMIN_ROLES\n#admin_roles =\n/);
  });

  it('wraps help at 70 columns, keeps paragraphs and marks secrets', () => {
    assert.ok(
      sample.includes(
        [
          '# Database URL for the identity tables, in the form',
          '# dialect://user:password@host/database, used by the SQL driver.',
          '#',
          '# Leave unset to use the SQLite file in the data directory. (string',
          '# value)',
          '# Secret: masked when the configuration is printed.',
          '# Environment variable: TSTACK_IDENTITY__CONNECTION',
          '#connection = <None>',
        ].join('\n'),
      ),
      sample,
    );
    for (const line of sample.split('\n')) assert.ok(line.length <= 70, line);
  });

  it('sets nothing when loaded as it is', () => {
    assert.deepEqual(parseIni(sample, 'sample'), []);
  });
});
