// The boundary check of `npm test` (.dependency-cruiser.cjs) fails on each kind of violation:
// a small tree with one deliberate violation per rule is cruised with the project's own rules.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/cloud.js';

const run = promisify(execFile);
const DEPCRUISE = join(REPO_ROOT, 'node_modules', '.bin', 'depcruise');

interface Violation {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
}

/** Cruises `files` (path → source) with the project's rules; returns the violations found. */
async function cruise(root: string, files: Readonly<Record<string, string>>): Promise<Violation[]> {
  await rm(join(root, 'src'), { recursive: true, force: true });
  for (const [path, source] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), source);
  }
  const result = await run(DEPCRUISE, ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: root })
    .catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const report = JSON.parse(result.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return report.summary.violations.map((v) => ({ rule: v.rule.name.replace(/-\d+$/, ''), from: v.from, to: v.to }));
}

const exported = 'export const x = 1;\n';

describe('boundary check', () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tstack-boundaries-'));
    await cp(join(REPO_ROOT, '.dependency-cruiser.cjs'), join(root, '.dependency-cruiser.cjs'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('passes a tree that keeps every rule', async () => {
    const violations = await cruise(root, {
      'src/common/errors/index.ts': exported,
      'src/image/errors.ts': "import { x } from '../common/errors/index.js';\nexport const y = x;\n",
      'src/image/images/manager.ts': "import { y } from '../errors.js';\nimport { z } from './backends/index.js';\nexport const m = y + z;\n",
      'src/image/images/backends/sql.ts': 'export const z = 1;\n',
      'src/image/images/backends/index.ts': "export { z } from './sql.js';\n",
      'src/image/images/index.ts': "export { m } from './manager.js';\nexport { z } from './backends/sql.js';\n",
      'src/image/api/images.ts': "import { m } from '../images/index.js';\nexport const r = m;\n",
      'src/image/api/index.ts': "export { r } from './images.js';\n",
      'src/image/service.ts': "import { r } from './api/index.js';\nexport const s = r;\n",
      'src/image/index.ts': "export { s } from './service.js';\n",
      'src/cli/up.ts': "import { s } from '../image/index.js';\nexport const u = s;\n",
    });
    assert.deepEqual(violations, []);
  });

  it('fails on each kind of violation', async () => {
    const violations = await cruise(root, {
      'src/identity/index.ts': exported,
      'src/identity/users/manager.ts': exported,
      'src/identity/users/index.ts': "export { x } from './manager.js';\n",
      'src/image/api/images.ts': exported,
      // A service importing another service.
      'src/image/service.ts': "import { x } from '../identity/index.js';\nexport const s = x;\n",
      // common importing a service.
      'src/common/http/server.ts': "import { x } from '../../identity/index.js';\nexport const h = x;\n",
      // A manager importing its service's api/.
      'src/image/images/manager.ts': "import { x } from '../api/images.js';\nexport const m = x;\n",
      // A folder entered past its index.ts.
      'src/cli/up.ts': "import { x } from '../identity/users/manager.js';\nexport const u = x;\n",
      // An import that resolves to nothing.
      'src/cli/serve.ts': "import { x } from './missing.js';\nexport const v = x;\n",
    });
    const found = (rule: string) => violations.filter((v) => v.rule === rule).map((v) => `${v.from} → ${v.to}`);
    assert.deepEqual(found('service-imports-other-service'), ['src/image/service.ts → src/identity/index.ts']);
    assert.deepEqual(found('common-imports-service'), ['src/common/http/server.ts → src/identity/index.ts']);
    assert.deepEqual(found('manager-imports-api'), ['src/image/images/manager.ts → src/image/api/images.ts']);
    assert.deepEqual(found('folder-entered-through-index'), [
      'src/cli/up.ts → src/identity/users/manager.ts',
      'src/image/images/manager.ts → src/image/api/images.ts',
    ]);
    assert.deepEqual(found('no-unresolvable'), ['src/cli/serve.ts → ./missing.js']);
  });
});
