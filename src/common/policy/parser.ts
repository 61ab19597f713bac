// Parses the oslo.policy rule language into a Check tree.
// Mirrors oslo_policy/_parser.py: the same tokens and precedence (not > and > or),
// but a syntax error anywhere rejects the whole rule instead of one leaf.

import { ALWAYS, NEVER, type Check } from './check.js';
import { parseTemplate } from './template.js';

/** A check string that cannot be understood; the enforcer denies such rules. */
export class RuleSyntaxError extends Error {
  constructor(readonly checkStr: string, reason: string) {
    super(`cannot parse "${checkStr}": ${reason}`);
    this.name = 'RuleSyntaxError';
  }
}

type Token =
  | { readonly type: '(' | ')' | 'and' | 'or' | 'not' }
  | { readonly type: 'quoted'; readonly text: string }
  | { readonly type: 'check'; readonly text: string };

/**
 * Parses a check string. The empty string means "always".
 * @throws RuleSyntaxError when the string is not a valid rule.
 */
export function parseRule(checkStr: string): Check {
  if (checkStr === '') return ALWAYS;
  try {
    const parser = new Parser(tokenize(checkStr));
    return parser.parseAll();
  } catch (error) {
    throw new RuleSyntaxError(checkStr, error instanceof Error ? error.message : String(error));
  }
}

/**
 * Splits on whitespace, then peels parentheses off the ends of each word, as oslo does:
 * parentheses inside a word (`%(project_id)s`) belong to the check.
 */
function tokenize(checkStr: string): Token[] {
  const tokens: Token[] = [];
  for (const word of checkStr.split(/\s+/)) {
    if (word === '') continue;
    const opened = word.length - word.replace(/^\(+/, '').length;
    for (let i = 0; i < opened; i++) tokens.push({ type: '(' });
    const inner = word.slice(opened);
    const text = inner.replace(/\)+$/, '');
    if (text !== '') tokens.push(wordToken(text, inner));
    for (let i = 0; i < inner.length - text.length; i++) tokens.push({ type: ')' });
  }
  return tokens;
}

function wordToken(text: string, withParens: string): Token {
  const lowered = text.toLowerCase();
  if (lowered === 'and' || lowered === 'or' || lowered === 'not') return { type: lowered };
  const first = withParens[0];
  if (withParens.length >= 2 && (first === '"' || first === "'") && withParens.endsWith(first)) {
    return { type: 'quoted', text: withParens };
  }
  return { type: 'check', text };
}

/** Recursive descent over: or-expr := and-expr ('or' and-expr)*; and-expr := unary ('and' unary)*. */
class Parser {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseAll(): Check {
    if (this.tokens.length === 0) throw new Error('the rule is blank');
    const check = this.parseOr();
    const extra = this.tokens[this.position];
    if (extra !== undefined) throw new Error(`unexpected ${describe(extra)}`);
    return check;
  }

  private parseOr(): Check {
    const checks = [this.parseAnd()];
    while (this.accept('or')) checks.push(this.parseAnd());
    return checks.length === 1 ? (checks[0] as Check) : { type: 'or', checks };
  }

  private parseAnd(): Check {
    const checks = [this.parseUnary()];
    while (this.accept('and')) checks.push(this.parseUnary());
    return checks.length === 1 ? (checks[0] as Check) : { type: 'and', checks };
  }

  private parseUnary(): Check {
    if (this.accept('not')) return { type: 'not', check: this.parseUnary() };
    const token = this.tokens[this.position++];
    if (token === undefined) throw new Error('the rule ends where a check was expected');
    if (token.type === 'check') return parseLeaf(token.text);
    if (token.type !== '(') throw new Error(`expected a check but found ${describe(token)}`);
    const inner = this.parseOr();
    if (!this.accept(')')) throw new Error("missing ')'");
    return inner;
  }

  private accept(type: Token['type']): boolean {
    if (this.tokens[this.position]?.type !== type) return false;
    this.position++;
    return true;
  }
}

function describe(token: Token): string {
  return 'text' in token ? `'${token.text}'` : `'${token.type}'`;
}

/** One `kind:match` word, `@` or `!`. Mirrors oslo's `_parse_check`. */
function parseLeaf(text: string): Check {
  if (text === '@') return ALWAYS;
  if (text === '!') return NEVER;
  const colon = text.indexOf(':');
  if (colon === -1) throw new Error(`'${text}' is not a check (expected kind:value, '@' or '!')`);
  const kind = text.slice(0, colon);
  const match = text.slice(colon + 1);
  if (kind === '') throw new Error(`'${text}' has nothing before ':'`);
  if (kind === 'rule') return { type: 'rule', text, name: match };
  if (kind === 'role') return { type: 'role', text, role: parseTemplate(match) };
  const literal = pythonLiteral(kind);
  if (literal !== undefined) return { type: 'literal', text, literal, value: parseTemplate(match) };
  return { type: 'attribute', text, path: kind.split('.'), value: parseTemplate(match) };
}

/**
 * The `str()` of `kind` when Python's `ast.literal_eval` would accept it as a constant
 * (`True`, `None`, `1`, `'member'`); undefined when it names a credential attribute.
 */
function pythonLiteral(kind: string): string | undefined {
  if (kind === 'True' || kind === 'False' || kind === 'None') return kind;
  if (/^-?(0|[1-9][0-9]*)$/.test(kind)) return kind;
  if (/^-?[0-9]+\.[0-9]+$/.test(kind)) {
    const value = Number(kind);
    return Number.isInteger(value) ? `${value}.0` : String(value);
  }
  const quote = kind[0];
  if (kind.length >= 2 && (quote === '"' || quote === "'") && kind.endsWith(quote)) {
    return kind.slice(1, -1);
  }
  return undefined;
}
