/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  rootDir: '.',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  modulePathIgnorePatterns: ['<rootDir>/dist', '<rootDir>/.data'],
  testTimeout: 120_000,
  // Each workflow test file starts its own Temporal server; two at a time is what 2 cores carry.
  maxWorkers: 2,
  clearMocks: true,
  reporters: ['default', '<rootDir>/test/reporters/summary-line.js'],
  setupFiles: ['<rootDir>/test/setup-temporal-runtime.ts'],
};
