// Lint rules, including the dependency rule of docs/DESIGN.md: the pure core
// imports nothing that does I/O, and inner layers never import the edges.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const pureCore = ['src/api/**', 'src/diff/**', 'src/health/**', 'src/sync/plan/**', 'src/template/**',
  'src/appset/generators/**', 'src/project/**', 'src/status/**', 'src/settings/**'];
const edges = ['**/server/**', '**/cli/**', '**/ui/**', '**/platform/**', '**/authoring/**'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test/testdata/**', 'examples/**/node_modules/**', 'examples/**/dist/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: { 'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports only.' }] },
  },
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly',
      clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: pureCore,
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'fs', 'child_process', 'http', 'https', 'net', 'os', 'path'], message: 'The pure core does no I/O: pass values in.' },
        { group: ['**/source/**', '**/render/**', '**/kube/**', '**/compat/**', '**/controller/**', '**/engine', ...edges], message: 'The pure core imports only the pure core.' },
      ] }],
    },
  },
  {
    // The browser UI: only the pure core besides itself, and text is never inserted as HTML (no secret or
    // server text can become markup).
    files: ['src/ui/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'fs', 'child_process', 'http', 'https', 'net', 'os', 'path'], message: 'The UI runs in the browser.' },
        { group: ['**/source/**', '**/render/**', '**/kube/**', '**/compat/**', '**/controller/**', '**/engine', '**/server/**', '**/cli/**',
          '**/platform/**', '**/authoring/**'], message: 'The UI talks to the API server; it imports only the pure core.' },
      ] }],
      'no-restricted-syntax': ['error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports only.' },
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Render text, never HTML.' },
        { selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]", message: 'Render text, never HTML.' },
      ],
    },
  },
  {
    files: ['src/source/**', 'src/render/**', 'src/kube/**', 'src/compat/**', 'src/controller/**', 'src/engine.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: edges, message: 'Inner layers never import the edges.' }] }],
    },
  },
);
