/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  rootDir: '.',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(ts|js)$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  // otplib's crypto and base32 plugins ship ES modules only; jest (on Node 20) needs them compiled to CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(otplib|@otplib|@scure|@noble)/)'],
  modulePathIgnorePatterns: ['<rootDir>/dist', '<rootDir>/.data'],
  testTimeout: 120_000,
  // Each workflow test file starts its own Temporal server; two at a time is what 2 cores carry.
  maxWorkers: 2,
  clearMocks: true,
  reporters: ['default', '<rootDir>/test/reporters/summary-line.js'],
  setupFiles: ['<rootDir>/test/setup-temporal-runtime.ts'],
};
