import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

// The pure core must not reach I/O adapters: they are injected at start-up. In audit/ that is the
// hash chain, its port and the export format; its Redis adapter lives in audit/redis/. Likewise
// remediation/redis/ holds the executor's Redis lock and journal, approval/redis/ the request store.
const coreFolders = [
  'src/domain/**',
  'src/probes/**',
  'src/diagnosis/**',
  'src/render/**',
  'src/validation/**',
  'src/audit/*.ts',
  'src/audit/export/**',
  'src/remediation/*.ts',
  'src/approval/*.ts',
  'src/policy/**',
  'src/doctor/**',
  'src/guards/**',
  'src/sweep/*.ts',
  // The workspace page's view model: local-Slack JSON in, typed data the page draws out.
  'src/localWorkspace/view/**',
];
const adapterModules = ['ssh2', 'bullmq', 'ioredis', 'pino', '@slack/*', 'yaml'];
// The core hashes and nothing else; every other built-in (fs, net, child_process, timers, ...)
// is I/O or clock and belongs behind a port. Bare names are refused too so `fs` cannot slip by.
const coreNodeModules = ['node:crypto'];
// Relative imports reach adapters just as well as package names do, so the folders are named too.
const adapterFolders = [
  '**/queue/**',
  '**/redis/**',
  '**/slack/**',
  '**/ssh/**',
  '**/audit/redis/**',
  '**/config/*Schema*',
  '**/config/load*',
  '**/service/**',
  '**/http/**',
  '**/localSlack/**',
  '**/observability/**',
  '**/ingress/**',
  '**/worker/**',
  '**/incidents/**',
  '**/fleetChecks/**',
  '**/cli/**',
  // render/slack/ is pure Block Kit building, not the Slack adapter in src/slack/. (Inside it,
  // import siblings as ./x: a `../slack/x` there looks like the adapter and is refused.)
  '!./slack/**',
  '!**/render/slack/**',
];
const enumBan = { selector: 'TSEnumDeclaration', message: 'Use string-literal unions, not enums.' };

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-dev/**',
      '.labbuild/**',
      'node_modules/**',
      'coverage/**',
      'jest.config.js',
      'eslint.config.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', enumBan],
    },
  },
  {
    files: coreFolders,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // Exact names: as gitignore patterns, `domain` or `module` would match core folders.
          paths: builtinModules
            .filter((name) => !name.startsWith('_'))
            .map((name) => ({
              name,
              message: "The core may not use Node's built-ins unless allowed, and then as node:…",
            })),
          patterns: [
            ...adapterModules.map((group) => ({
              group: [group],
              message: 'The core is pure: inject adapters instead.',
            })),
            {
              group: adapterFolders,
              message:
                'The core is pure: adapter folders are injected through ports, not imported.',
            },
            {
              group: ['node:*', ...coreNodeModules.map((m) => `!${m}`)],
              message: `The core may use only ${coreNodeModules.join(', ')} of Node's built-ins.`,
            },
            {
              group: ['zod'],
              message:
                'The core takes typed values: schemas live at the edges (config/, ingress/).',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        enumBan,
        {
          selector: 'ImportExpression',
          message: 'The core is pure: a dynamic import() walks around the import rules.',
        },
      ],
    },
  },
  {
    // Plain Node scripts outside the TypeScript project: no type information to check against.
    files: ['scripts/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: { console: 'readonly', process: 'readonly' },
    },
  },
  {
    files: ['test/**'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  prettier,
);
