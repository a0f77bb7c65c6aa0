import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { layersPlugin } from './eslint/layers.mjs';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['addin/**', 'admin/**', 'test/ui/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The dependency direction (docs/ARCHITECTURE.md): eslint/layers.mjs.
    files: [
      'server/**/*.ts',
      'contract/**/*.ts',
      'addin/**/*.{ts,tsx}',
      'admin/**/*.{ts,tsx}',
      'ui-common/**/*.{ts,tsx}',
    ],
    plugins: { layers: layersPlugin },
    rules: { 'layers/dependency-direction': 'error' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
