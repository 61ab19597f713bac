// Unit tests of the openrc reader used by the cloud tests.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOpenrc } from './openrc.js';

test('reads exported assignments with sh quoting', () => {
  const env = parseOpenrc(
    [
      '# comment',
      "export OS_AUTH_URL='http://127.0.0.1:5000/v3'",
      'export OS_IDENTITY_API_VERSION=3',
      "export OS_PASSWORD='it'\\''s \"x\" $y'",
      'OS_PROJECT_NAME="ad\\"min" # trailing',
      'OS_REGION_NAME=Region\\ One',
      'echo not an assignment',
      '',
    ].join('\n'),
  );
  assert.deepEqual(env, {
    OS_AUTH_URL: 'http://127.0.0.1:5000/v3',
    OS_IDENTITY_API_VERSION: '3',
    OS_PASSWORD: 'it\'s "x" $y',
    OS_PROJECT_NAME: 'ad"min',
    OS_REGION_NAME: 'Region One',
  });
});

test('rejects an unterminated quote', () => {
  assert.throws(() => parseOpenrc("export A='x"), /unterminated/);
});
