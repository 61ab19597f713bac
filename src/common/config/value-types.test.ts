// Tests of each option type: parsing, constraints, messages, and printing back.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidValue } from './errors.js';
import { boolOpt, floatOpt, intOpt, listOpt, portOpt, stringOpt } from './options.js';

const help = 'test option';

function problemOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof InvalidValue);
    return error.problem;
  }
  assert.fail('expected InvalidValue');
}

describe('string options', () => {
  it('take the text as it is', () => {
    assert.equal(stringOpt({ help }).parse('a b # c'), 'a b # c');
  });
  it('refuse values outside choices', () => {
    const option = stringOpt({ default: 'sql', choices: ['sql', 'ldap'], help });
    assert.equal(option.parse('ldap'), 'ldap');
    assert.equal(problemOf(() => option.parse('nosql')), '"nosql" is not one of: sql, ldap');
    assert.equal(problemOf(() => option.accept(3)), '3 is not a string');
  });
  it('quote values the parser would otherwise trim or unquote', () => {
    const option = stringOpt({ help });
    assert.equal(option.format(' padded'), '" padded"');
    assert.equal(option.format('"quoted"'), '""quoted""');
    assert.equal(option.format('plain "inner"'), 'plain "inner"');
  });
});

describe('int options', () => {
  const option = intOpt({ default: 5, min: 1, max: 10, help });
  it('parse signed whole numbers', () => {
    assert.equal(option.parse('7'), 7);
    assert.equal(intOpt({ help }).parse('-3'), -3);
    assert.equal(intOpt({ help }).parse('+4'), 4);
  });
  it('refuse other text', () => {
    for (const text of ['abc', '1.5', '', '0x10', '1e3', '99999999999999999999']) {
      assert.equal(problemOf(() => option.parse(text)), `${JSON.stringify(text)} is not an integer`);
    }
  });
  it('enforce min and max', () => {
    assert.equal(problemOf(() => option.parse('0')), '0 is below the minimum 1');
    assert.equal(problemOf(() => option.parse('11')), '11 is above the maximum 10');
    assert.equal(problemOf(() => option.accept(2.5)), '2.5 is not an integer');
  });
});

describe('float options', () => {
  const option = floatOpt({ default: 1.5, min: 0, help });
  it('parse decimals and exponents', () => {
    assert.equal(option.parse('0.25'), 0.25);
    assert.equal(option.parse('.5'), 0.5);
    assert.equal(option.parse('2e3'), 2000);
    assert.equal(option.parse('3'), 3);
  });
  it('refuse other text and non-finite numbers', () => {
    for (const text of ['abc', 'NaN', 'Infinity', '', '1.2.3']) {
      assert.equal(problemOf(() => option.parse(text)), `${JSON.stringify(text)} is not a number`);
    }
    assert.equal(problemOf(() => option.parse('-1')), '-1 is below the minimum 0');
  });
  it('print numbers that parse back exactly', () => {
    for (const value of [0.1, 1e21, 123.456]) assert.equal(option.parse(option.format(value)), value);
  });
});

describe('bool options', () => {
  const option = boolOpt({ default: false, help });
  it('accept true/false, yes/no, on/off and 1/0 in any case', () => {
    for (const text of ['true', 'TRUE', 'Yes', 'on', '1']) assert.equal(option.parse(text), true, text);
    for (const text of ['false', 'False', 'NO', 'off', '0']) assert.equal(option.parse(text), false, text);
  });
  it('refuse anything else', () => {
    assert.match(problemOf(() => option.parse('maybe')), /^"maybe" is not a boolean/);
    assert.equal(problemOf(() => option.accept('true')), '"true" is not a boolean');
  });
});

describe('list options', () => {
  const option = listOpt({ default: ['admin'], help });
  it('split on commas and trim items', () => {
    assert.deepEqual(option.parse('admin, member ,reader,'), ['admin', 'member', 'reader']);
    assert.deepEqual(option.parse(''), []);
  });
  it('return frozen lists', () => {
    assert.ok(Object.isFrozen(option.parse('a,b')));
    assert.ok(Object.isFrozen(option.default));
  });
  it('check items against choices', () => {
    const apis = listOpt({ default: [], choices: ['compute', 'metadata'], help });
    assert.equal(problemOf(() => apis.parse('compute,ec2')), '"ec2" is not one of: compute, metadata');
  });
  it('refuse items given in code that would not print back', () => {
    assert.match(problemOf(() => option.accept(['a,b'])), /holds a comma/);
    assert.equal(problemOf(() => option.accept('a')), '"a" is not a list of strings');
  });
});

describe('port options', () => {
  const option = portOpt({ default: 5000, help });
  it('allow 0 to 65535', () => {
    assert.equal(option.parse('0'), 0);
    assert.equal(option.parse('65535'), 65535);
    assert.equal(problemOf(() => option.parse('65536')), '65536 is above the maximum 65535');
    assert.equal(problemOf(() => option.parse('http')), '"http" is not an integer');
  });
});
