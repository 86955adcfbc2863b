import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', '*.js', '*.mjs', 'test/reporters/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
    },
  },
  {
    // Workflows are replayed: no I/O, no Node built-ins, no activity implementations, no service code.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflows must be deterministic: no Node built-ins.',
          })),
          patterns: [
            {
              group: ['**/activities', '**/activities/**'],
              allowTypeImports: true,
              message: 'Workflows may only `import type` from activities/.',
            },
            {
              group: [
                '**/src/*',
                '!**/src/domain',
                '**/workers/**',
                '@temporalio/worker',
                '@temporalio/client',
                '@temporalio/activity',
              ],
              message:
                'Workflows import only @temporalio/workflow, @temporalio/common, workflows/ and src/domain/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@temporalio/workflow', '**/src/api/**', '**/src/sandboxes/**'],
              message: 'Activities never import workflow code, the API or the sandboxes.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/integrations/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@temporalio/*', '**/src/sandboxes/**'],
              message: 'Integrations are Temporal-free and never use the sandboxes.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'workers/**/*.ts',
      'src/api/**/*.ts',
      'src/audit/**/*.ts',
      'src/temporal/**/*.ts',
      'src/domain/**/*.ts',
      'src/store/**/*.ts',
      'src/config/**/*.ts',
      'src/logging/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/sandboxes', '**/sandboxes/**'],
              message: 'Production code never imports the sandboxes.',
            },
          ],
        },
      ],
    },
  },
  {
    // Repeats the rule above for src/api (a later block's options replace an earlier one's) and adds the browser.
    files: ['src/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/sandboxes', '**/sandboxes/**'],
              message: 'Production code never imports the sandboxes.',
            },
            {
              regex:
                '^playwright(-core)?$|(^|/)clio-portal(/index|/portal-browser|/sign-in-flow|/sign-in-pages)?$',
              allowTypeImports: true,
              message:
                'The API never drives a browser: import the clio-portal module you need, not its index (which loads Playwright).',
            },
            {
              regex: '^swagger-ui-dist$',
              message:
                "Import 'swagger-ui-dist/absolute-path': the package's index evaluates Swagger UI's browser bundle.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
