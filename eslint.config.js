import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.tillstream-data/**', 'coverage/**', 'apps/*/dist/**', '.scratch/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    // Tests read arbitrary JSON answers; typing every one adds noise, not safety.
    files: ['test/**', '**/test/**', '**/*.test.ts', '**/*.fixtures.ts', 'packages/kernel/src/testing/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['scripts/**', 'apps/server/bin/**', 'bench/**', 'apps/server/src/cli*.ts'],
    rules: { 'no-console': 'off' },
  },
);
