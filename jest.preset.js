// Shared jest settings for every package. ts-jest only transpiles here (isolatedModules):
// type checking is the build's job (tsc), which keeps test start-up fast.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: { module: 'commonjs', target: 'ES2022', sourceMap: true, isolatedModules: true },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
};
