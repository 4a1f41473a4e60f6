import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** A layer may not import the folders above it (DESIGN §2); `zone(target, from)` forbids target → from. */
const zone = (target, from, why) => ({ target, from, message: why });
const serverLower = (folder, above) => above.map((f) => zone(`./sync-server/src/${folder}`, `./sync-server/src/${f}`, `sync-server/src/${folder}/ sits below ${f}/ and may not import it.`));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      // The TypeScript parser reads the imported files too (no-cycle follows them); plain Node
      // resolution with TypeScript's extensions finds them, as the repo uses relative paths only.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.mjs', '.js'],
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.mjs', '.js', '.json'] })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      // Type-only imports are erased and do not count; packages are not followed.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            zone('./shared/src', ['./web', './sync-server'], 'shared/ is used by both sides and imports neither.'),
            zone('./web/src', './sync-server', 'web/ and sync-server/ share code only through shared/.'),
            zone(['./sync-server/src', './sync-server/bin'], './web', 'web/ and sync-server/ share code only through shared/.'),
            ...serverLower('storage', ['rooms', 'sync', 'rest', 'http', 'chat', 'mirrors', 'edge']),
            // The sync core reads the wire (sync/), rooms apply it (rooms/), the edge owns sockets (edge/).
            ...serverLower('sync', ['rooms', 'edge', 'storage', 'rest', 'http', 'chat', 'mirrors']),
            ...serverLower('rooms', ['edge', 'rest', 'http', 'chat', 'mirrors']),
            ...['http', 'access', 'chat'].map((f) => zone(`./sync-server/src/${f}`, './sync-server/src/rest', `sync-server/src/${f}/ may not import rest/: shared HTTP errors and volume rules live outside it.`)),
            ...['panels', 'canvas', 'chat', 'run', 'shell'].map((f) =>
              zone('./web/src/documents', `./web/src/${f}`, `web/src/documents/ is the features' access to the documents and imports no feature (${f}/).`),
            ),
          ],
        },
      ],
    },
  },
  {
    // What zones cannot say: shared runs in browsers and Node alike, so no platform or framework.
    files: ['shared/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['node:*', 'express', 'ws', 'preact', 'preact/*'] }] },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['node:*'] }] },
  },
  {
    files: ['bench/**/*.ts', '**/test/**/*.ts', 'sync-server/bin/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
