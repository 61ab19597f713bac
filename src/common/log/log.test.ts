// Log format selection: JSON off a terminal or when asked, readable text on a terminal or when asked.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, resolveLogFormat } from './index.js';

function sink(isTTY: boolean): { stream: Writable & { isTTY?: boolean }; text: () => string } {
  const chunks: string[] = [];
  const stream: Writable & { isTTY?: boolean } = new Writable({ write(chunk: Buffer, _enc, done) { chunks.push(chunk.toString()); done(); } });
  if (isTTY) stream.isTTY = true;
  return { stream, text: () => chunks.join('') };
}

async function logOnce(format: 'auto' | 'text' | 'json', isTTY: boolean): Promise<string> {
  const { stream, text } = sink(isTTY);
  const logger = createLogger({ service: 'identity', level: 'info', format, destination: stream });
  logger.info({ port: 5000 }, 'listening');
  logger.debug('hidden below info');
  await new Promise((resolve) => setImmediate(resolve));
  return text();
}

describe('createLogger format', () => {
  it('auto writes JSON when the destination is not a terminal', async () => {
    const line = JSON.parse((await logOnce('auto', false)).trim());
    assert.equal(line.msg, 'listening');
    assert.equal(line.name, 'identity');
    assert.equal(line.port, 5000);
  });

  it('auto writes readable text on a terminal', async () => {
    const raw = await logOnce('auto', true);
    assert.match(raw, /\x1b\[/, 'coloured on a terminal');
    const out = raw.replace(/\x1b\[[0-9;]*m/g, '');
    assert.throws(() => JSON.parse(out.trim()));
    assert.match(out, /INFO/);
    assert.match(out, /\(identity\)/);
    assert.match(out, /listening/);
    assert.match(out, /"port":5000/);
    assert.equal(out.trim().split('\n').length, 1, 'one line per event');
    assert.doesNotMatch(out, /hidden below info/);
  });

  it('json and text win over what the destination is', async () => {
    assert.equal(JSON.parse((await logOnce('json', true)).trim()).msg, 'listening');
    const text = await logOnce('text', false);
    assert.match(text, /INFO.*listening/);
    assert.doesNotMatch(text, /\x1b\[/, 'no colour codes off a terminal');
  });

  it('resolveLogFormat maps auto by the destination', () => {
    assert.equal(resolveLogFormat('auto', sink(true).stream), 'text');
    assert.equal(resolveLogFormat('auto', sink(false).stream), 'json');
    assert.equal(resolveLogFormat('text', sink(false).stream), 'text');
  });
});
