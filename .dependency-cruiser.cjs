// The boundaries of tstack's code (../shared/STYLE.md, "One public index per module"), checked
// by `npm test` as Nova's hacking checks are: a broken rule fails the run.
// Paths are relative to the repository root; `$1`… in a `to` refer to groups of the `from` path.

/** Every top-level folder of src/ that is not a service. */
const NOT_SERVICES = '(?:common|cli)';

module.exports = {
  forbidden: [
    {
      name: 'service-imports-other-service',
      comment: 'A service reaches another only over REST (its client.ts) or the bus, never by importing it.',
      severity: 'error',
      from: { path: `^src/(?!${NOT_SERVICES}/)([^/]+)/` },
      to: { path: `^src/(?!${NOT_SERVICES}/)[^/]+/`, pathNot: '^src/$1/' },
    },
    {
      name: 'common-imports-service',
      comment: 'src/common is the oslo of tstack: it imports nothing outside itself.',
      severity: 'error',
      from: { path: '^src/common/' },
      to: { path: '^src/', pathNot: '^src/common/' },
    },
    {
      name: 'manager-imports-api',
      comment: 'Managers, backends and drivers know nothing of HTTP: only a service\'s api/ and its wiring (service.ts, definition.ts) import api/.',
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: ['^src/[^/]+/api/', '^src/[^/]+/(service|definition)\\.ts$', '\\.test\\.ts$', '/testing\\.ts$'] },
      to: { path: '^src/[^/]+/api/' },
    },
    // A file may import files of its own folder and of its ancestors (its service's errors.ts,
    // model.ts) and the index.ts of any other folder; an index.ts, the folder's public face,
    // may also gather its own sub-folders' private parts. One rule per depth of the importing
    // file, since a rule's regular expressions cannot say "any ancestor folder".
    ...[1, 2, 3, 4].flatMap((depth) => {
      const groups = Array.from({ length: depth }, (_, i) => `$${i + 1}`);
      const ancestors = groups.map((_, i) => `^${groups.slice(0, i + 1).join('/')}/[^/]+$`);
      const from = `^(src/[^/]+)/${'([^/]+)/'.repeat(depth - 1)}`;
      const exempt = ['\\.test\\.ts$', '\\.contract\\.ts$', '/testing\\.ts$'];
      const rule = (name, fromPath, allowed) => ({
        name: `${name}-${depth}`,
        comment: 'A folder is entered through its index.ts; anything else in it is private to it and its sub-folders.',
        severity: 'error',
        from: { path: fromPath, pathNot: exempt },
        to: { path: '^src/[^/]+/', pathNot: ['/index\\.ts$', ...allowed] },
      });
      return [
        rule('folder-entered-through-index', `${from}(?!index\\.ts$)[^/]+$`, ancestors),
        rule('index-gathers-its-folder', `${from}index\\.ts$`, [...ancestors, `^${groups.join('/')}/`]),
      ];
    }),
    {
      name: 'no-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    // ESM packages (typebox) export only `import` conditions and .mjs files.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
