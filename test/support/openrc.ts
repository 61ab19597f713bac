// Reads the variables an openrc file exports (`export KEY='value'` lines), without a shell.
// Quoting follows POSIX sh: '...' is literal, "..." honours \" \\ \$ \` escapes, and a bare
// backslash escapes the next character; adjacent pieces concatenate ('a'\''b' is a'b).
// Parameter expansion is not performed: a `$` stays as written.

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

function unquote(raw: string): string {
  let value = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i] ?? '';
    if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in ${raw}`);
      value += raw.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i += 1;
      for (;;) {
        const d = raw[i];
        if (d === undefined) throw new Error(`unterminated " in ${raw}`);
        i += 1;
        if (d === '"') break;
        const next = raw[i];
        if (d === '\\' && next !== undefined && '"\\$`'.includes(next)) {
          value += next;
          i += 1;
        } else value += d;
      }
    } else if (c === '\\') {
      value += raw[i + 1] ?? '';
      i += 2;
    } else if (c === '#' || /\s/.test(c)) {
      break;
    } else {
      value += c;
      i += 1;
    }
  }
  return value;
}

/** The KEY=VALUE assignments of an openrc text, unquoted; comments and other lines ignored. */
export function parseOpenrc(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const match = ASSIGNMENT.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) env[match[1]] = unquote(match[2]);
  }
  return env;
}
