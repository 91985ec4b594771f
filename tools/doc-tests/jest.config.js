module.exports = {
  ...require('../../jest.preset.js'),
  roots: ['<rootDir>/test'],
  testTimeout: 60000,
};
