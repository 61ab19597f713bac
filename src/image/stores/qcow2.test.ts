import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isQcow2, qcow2VirtualSize } from './qcow2.js';
import { qcow2Header } from './store.contract.js';

it('reads the big-endian virtual size at offset 24', () => {
  assert.equal(qcow2VirtualSize(qcow2Header(1073741824n)), 1073741824);
  assert.equal(qcow2VirtualSize(qcow2Header(0x1_0000_0001n, 32)), 0x1_0000_0001);
});

it('is null for other data or a header cut short', () => {
  assert.equal(qcow2VirtualSize(Buffer.alloc(64)), null);
  assert.equal(qcow2VirtualSize(qcow2Header(1024n).subarray(0, 20)), null);
  assert.equal(isQcow2(Buffer.from('QFI')), false);
  assert.equal(isQcow2(qcow2Header(1n)), true);
});

it('is null for sizes beyond what a JavaScript number holds exactly', () => {
  assert.equal(qcow2VirtualSize(qcow2Header(2n ** 63n)), null);
});
