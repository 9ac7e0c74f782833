import { builtinRules } from 'eslint/use-at-your-own-risk'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

// The layer rules below are ESLint's no-restricted-imports under their own name
// (`layers/imports`), so another block's no-restricted-imports for the same files adds to them
// instead of replacing them.
const layers = { rules: { imports: builtinRules.get('no-restricted-imports') } }

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.wrangler', 'stems/audio'] },
  ...tseslint.configs.recommended,
  {
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  // Layers: routes. A route validates, calls a use case and answers; it imports no other route
  // and no job or pipeline step. Pipelines are started by enqueueing (JOBS/INGEST.send) or through
  // their public entry (worker/ingest/upload.ts).
  {
    files: ['worker/routes/**/*.ts'],
    plugins: { layers },
    rules: {
      'layers/imports': [
        'error',
        {
          patterns: [
            {
              group: ['./*', '../routes/*'],
              message:
                'A route imports no other route: move what both need to worker/db/ or a use case.',
            },
            {
              group: [
                '../jobs/*',
                '../export/*',
                '../ingest/*',
                '!../ingest/upload.ts',
                '../events/consumer.ts',
                '../events/archive.ts',
                '../fingerprint/index-stem.ts',
              ],
              message:
                'A route does not run jobs or pipeline steps: enqueue the job, or call the pipeline’s public entry.',
            },
          ],
        },
      ],
    },
  },
  // Layers: core. The domain is pure: it imports nothing from the web app or the worker.
  {
    files: ['core/**/*.ts'],
    plugins: { layers },
    rules: {
      'layers/imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/web/**', '**/worker/**'],
              message: 'core/ is pure: it imports nothing from web/ or worker/.',
            },
          ],
        },
      ],
    },
  },
  // Layers: db. worker/db/ holds SQL and row mappers only: it may name core's types, but runs no
  // domain rule and builds no URL (those are in worker/views/ and the routes).
  {
    files: ['worker/db/**/*.ts'],
    plugins: { layers },
    rules: {
      'layers/imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../core/**'],
              allowTypeImports: true,
              message:
                'worker/db/ runs no domain rule: import core types only, and move the rule to worker/views/ or the route.',
            },
            {
              group: ['../routes/*', '../views/*', '../http/*', '../export/*', '../ingest/*'],
              message: 'worker/db/ is the bottom layer: it imports no route, view or pipeline.',
            },
          ],
        },
      ],
    },
  },
)
