// One project per kind of suite, so CI can re-run the database suites on PostgreSQL alone
// (`npm run test:db`). PGlite needs NODE_OPTIONS=--experimental-vm-modules (see package.json).
const tsTransform = {
  '^.+\\.(t|j)sx?$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
};
const webTransform = {
  '^.+\\.(t|j)sx?$': ['ts-jest', { tsconfig: 'tsconfig.web.json', diagnostics: false }],
};
const common = {
  transform: tsTransform,
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  testEnvironment: 'node',
};

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  // A hang guard, not a speed target: on a loaded 2-core CI machine a jsdom test that types into
  // a form can take more than the default 5 s (suites that need more set their own).
  testTimeout: 30_000,
  // One directory per run for test storages and the migrated template they are copied from.
  globalSetup: '<rootDir>/test/support/jestGlobalSetup.js',
  globalTeardown: '<rootDir>/test/support/jestGlobalTeardown.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'emulator',
      testMatch: ['<rootDir>/test/emulator/**/*.test.ts'],
      slowTestThreshold: 20,
    },
    {
      ...common,
      displayName: 'db',
      testMatch: ['<rootDir>/test/component/**/*.test.ts'],
      slowTestThreshold: 30,
    },
    {
      ...common,
      transform: webTransform,
      displayName: 'ui',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/test/ui/**/*.test.tsx'],
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      slowTestThreshold: 60,
    },
  ],
};
