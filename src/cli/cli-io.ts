// What a `tstack` command reads and writes besides its arguments, passed in so tests can run
// a command in-process: output streams, the environment, the list of services, and when to stop.

import { once } from 'node:events';
import { SERVICES } from '../services.js';
import type { ServiceList } from '../services.js';

export interface CliIo {
  /** The command's own output: progress lines, `tstack ready`, printed files. */
  readonly stdout: NodeJS.WritableStream;
  /** Error lines and logs. */
  readonly stderr: NodeJS.WritableStream;
  /** TSTACK_* overrides and TSTACK_CONFIG are read from here. */
  readonly env: NodeJS.ProcessEnv;
  /** The services the command knows (src/services.ts). */
  readonly services: ServiceList;
  /** Resolves when `up` or `serve` should stop: SIGINT or SIGTERM by default. */
  waitForStop(): Promise<void>;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout, stderr: process.stderr, env: process.env, services: SERVICES,
    waitForStop: async () => {
      await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    },
  };
}

/** Writes one line to the command's output. */
export function say(io: CliIo, line: string): void {
  io.stdout.write(`${line}\n`);
}
