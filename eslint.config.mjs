import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

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
];
const adapterModules = [
  'ssh2',
  'bullmq',
  'ioredis',
  'pino',
  '@slack/*',
  'node:child_process',
  'child_process',
  'node:net',
  'net',
  'node:fs',
  'fs',
];

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
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use string-literal unions, not enums.' },
      ],
    },
  },
  {
    files: coreFolders,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...adapterModules.map((group) => ({
              group: [group],
              message: 'The core is pure: inject adapters instead.',
            })),
            {
              group: ['zod'],
              message:
                'Schemas live at the edges (config/, ingress/); the core takes typed values.',
            },
          ],
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
