// The default image really boots: QEMU (TCG) runs its boot sector and the banner reaches the
// serial log. Skipped where qemu-system-x86_64 is not installed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TINY_IMAGE_BANNER, tinyBootableImage } from './tiny-image.js';

const QEMU = '/usr/bin/qemu-system-x86_64';

describe('tiny bootable image', () => {
  it('is a 1 MiB disk with a boot signature', () => {
    const disk = tinyBootableImage();
    assert.equal(disk.length, 1024 * 1024);
    assert.deepEqual([disk[510], disk[511]], [0x55, 0xaa]);
  });

  it('boots under QEMU and writes its banner to the serial port', { skip: existsSync(QEMU) ? undefined : `${QEMU} is missing (apt-get install qemu-system-x86)` }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tstack-tiny-'));
    try {
      const disk = join(dir, 'disk.raw');
      const serial = join(dir, 'serial.log');
      writeFileSync(disk, tinyBootableImage());
      // The guest halts for ever; QEMU is stopped by the timeout once the banner had time to appear.
      await new Promise<void>((resolve) => {
        execFile(QEMU, ['-m', '32', '-accel', 'tcg', '-display', 'none', '-no-reboot', '-drive', `file=${disk},format=raw,if=ide`, '-serial', `file:${serial}`], { timeout: 8000 }, () => resolve());
      });
      assert.match(readFileSync(serial, 'latin1'), new RegExp(TINY_IMAGE_BANNER));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
