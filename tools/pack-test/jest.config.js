// One scratch install serves every test in the file, so the suite runs in one worker.
module.exports = {
  ...require('../../jest.preset.js'),
  roots: ['<rootDir>/test'],
  testTimeout: 180000,
  maxWorkers: 1,
};
