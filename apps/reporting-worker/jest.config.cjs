module.exports = { ...require('../../jest.preset.js'), displayName: 'reporting-worker' };
