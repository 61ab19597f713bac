// Checks that loaded values are typed from their declarations: the type assertions below are
// compile-time checks, and the test type-checks this folder's tests (which tsconfig excludes).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { boolOpt, defineGroup, floatOpt, intOpt, listOpt, loadConfig, portOpt, stringOpt } from './index.js';
import type { ConfigValues, OptionValue } from './index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const identityOptions = defineGroup('identity', {
  port: intOpt({ default: 5000, min: 1, max: 65535, help: 'TCP port.' }),
  driver: stringOpt({ default: 'sql', choices: ['sql'], help: 'Backend.' }),
  debug: boolOpt({ default: false, help: 'Debug.' }),
  admin_roles: listOpt({ default: ['admin'], help: 'Admin roles.' }),
  connection: stringOpt({ default: undefined, secret: true, help: 'Database URL.' }),
  ratio: floatOpt({ help: 'Optional float.' }),
  public_port: portOpt({ default: 5000, help: 'Port.' }),
});

export type Checks = [
  Expect<
    Equal<
      ConfigValues<typeof identityOptions>,
      {
        readonly port: number;
        readonly driver: string;
        readonly debug: boolean;
        readonly admin_roles: readonly string[];
        readonly connection: string | undefined;
        readonly ratio: number | undefined;
        readonly public_port: number;
      }
    >
  >,
  Expect<Equal<OptionValue<typeof identityOptions.options.port>, number>>,
  Expect<Equal<OptionValue<typeof identityOptions.options.connection>, string | undefined>>,
];

/** Compiled, never run: each line is a mistake the compiler must refuse. */
export function refusedAtCompileTime(): void {
  const values = loadConfig({ groups: [identityOptions] }).group(identityOptions);
  // @ts-expect-error an option without a default may be undefined
  const connection: string = values.connection;
  // @ts-expect-error loaded values are read-only
  values.port = 1;
  // @ts-expect-error no such option
  void values.prot;
  // @ts-expect-error the default must have the option's type
  intOpt({ default: '5000', help: 'x' });
  // @ts-expect-error help text is required
  boolOpt({ default: true });
  void connection;
}

describe('inferred types', () => {
  it('need no casts at the call site', () => {
    const values = loadConfig({ groups: [identityOptions] }).group(identityOptions);
    const port: number = values.port;
    const roles: readonly string[] = values.admin_roles;
    const connection: string | undefined = values.connection;
    assert.deepEqual([port, roles, connection], [5000, ['admin'], undefined]);
  });

  it('hold for every test in this folder under the project compiler settings', () => {
    const here = import.meta.dirname;
    const root = resolve(here, '../../..');
    const tests = readdirSync(here).filter((name) => name.endsWith('.test.ts')).map((name) => join(here, name));
    const dir = mkdtempSync(join(tmpdir(), 'tstack-config-types-'));
    const project = join(dir, 'tsconfig.json');
    const compilerOptions = { noEmit: true, typeRoots: [join(root, 'node_modules/@types')] };
    const settings = { extends: join(root, 'tsconfig.json'), compilerOptions, include: tests, exclude: [] };
    writeFileSync(project, JSON.stringify(settings));
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    try {
      execFileSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      const output = error instanceof Error && 'stdout' in error ? String(error.stdout) : String(error);
      assert.fail(`type errors:\n${output}`);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
