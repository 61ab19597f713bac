// Tests for the sample policy.yaml generator.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROJECT_READER, generateSamplePolicy, parsePolicyFile, type RuleDefault } from './index.js';

const defaults: RuleDefault[] = [
  { name: 'admin_required', checkStr: 'role:admin', description: 'Base rule for admin APIs.' },
  {
    name: 'compute:servers:show',
    checkStr: PROJECT_READER,
    description:
      'Show a server. This description is deliberately long enough that it has to be wrapped over several comment lines.\n\n' +
      'Second paragraph.\n\n    literal block, kept as is',
    operations: [
      { method: 'GET', path: '/servers/{server_id}' },
      { method: 'GET', path: '/servers/detail' },
    ],
    scopeTypes: ['project'],
    deprecatedRule: {
      name: 'compute:get',
      checkStr: 'rule:admin_required',
      deprecatedReason: 'The reader role is now honoured.',
      deprecatedSince: '2024.1',
    },
  },
];

describe('generateSamplePolicy', () => {
  it('documents each default in the oslopolicy-sample-generator layout', () => {
    assert.equal(
      generateSamplePolicy(defaults),
      [
        '# Base rule for admin APIs.',
        '#"admin_required": "role:admin"',
        '',
        '# Show a server. This description is deliberately long enough that it',
        '# has to be wrapped over several comment lines.',
        '#',
        '# Second paragraph.',
        '#',
        '#     literal block, kept as is',
        '# GET  /servers/{server_id}',
        '# GET  /servers/detail',
        '# Intended scope(s): project',
        '#"compute:servers:show": "role:reader and project_id:%(project_id)s"',
        '',
        '# DEPRECATED',
        '# "compute:get":"rule:admin_required" has been deprecated since 2024.1',
        '# in favor of "compute:servers:show":"role:reader and',
        '# project_id:%(project_id)s".',
        '# The reader role is now honoured.',
        '# WARNING: the rule was renamed. An override under the old name still applies',
        '# until it is moved; to keep the old name as an alias of the new rule, write:',
        '# "compute:get": "rule:compute:servers:show"',
        '',
        '',
      ].join('\n'),
    );
  });

  it('is a comment-only (empty) policy file by default', () => {
    assert.deepEqual(parsePolicyFile(generateSamplePolicy(defaults)), {});
  });

  it('loads back as the defaults when not commented', () => {
    assert.deepEqual(parsePolicyFile(generateSamplePolicy(defaults, { commented: false })), {
      admin_required: 'role:admin',
      'compute:servers:show': PROJECT_READER,
    });
  });
});
