// One Tempest conformance suite: the interop (RefStack) required tests of a component against a real
// `tstack up` cloud, through ../shared/conformance/run-tempest.sh (CI clones shared/ beside the repo).
// Each test/conformance/tempest-<component>.test.ts calls it with its component.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT, clientEnv, run, startCloud } from './cloud.js';
import type { Cloud } from './cloud.js';

const SCRIPT = resolve(REPO_ROOT, '..', 'shared', 'conformance', 'run-tempest.sh');
const TEMPEST_BIN = '/usr/bin/tempest';
const TIMEOUT_MS = 15 * 60_000;
const SUMMARY = /^(\d+) passed, (\d+) failed, (\d+) skipped$/gm;

function skipReason(): string | undefined {
  if (!existsSync(SCRIPT)) return `${SCRIPT} is missing (clone the shared/ folder beside the repository)`;
  if (!existsSync(TEMPEST_BIN)) return `${TEMPEST_BIN} is missing (apt-get install tempest python3-stestr)`;
  return undefined;
}

function tail(text: string, lines = 60): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Registers the suite for `component` (identity, image, ...): a fresh cloud, run-tempest.sh, none failed. */
export function tempestSuite(component: string): void {
  describe(`Tempest interop tests, ${component}`, { skip: skipReason() }, () => {
    let cloud: Cloud | undefined;

    before(async () => {
      cloud = await startCloud();
    }, { timeout: 90_000 });

    after(async () => {
      await cloud?.stop();
    });

    it(`run-tempest.sh COMPONENT=${component}: none failed, some passed`, { timeout: TIMEOUT_MS }, async () => {
      assert.ok(cloud, 'the cloud did not start');
      const env = clientEnv({ ...cloud.env, COMPONENT: component, TMPDIR: process.env.TMPDIR });
      const result = await run('/bin/bash', [SCRIPT], env, TIMEOUT_MS - 30_000);
      const summary = [...result.stdout.matchAll(SUMMARY)].at(-1);
      const context = `exit ${result.code}\n--- stderr (tail) ---\n${tail(result.stderr)}\n--- stdout (tail) ---\n${tail(result.stdout)}`;
      assert.ok(summary, `run-tempest.sh printed no "N passed, N failed, N skipped" line\n${context}`);
      console.log(`tempest ${component}: ${summary[0]}`);
      const [passed, failed] = [Number(summary[1]), Number(summary[2])];
      assert.equal(failed, 0, `${summary[0]}\n${context}`);
      assert.ok(passed > 0, `${summary[0]}\n${context}`);
    });
  });
}
