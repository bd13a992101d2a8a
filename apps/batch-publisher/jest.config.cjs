module.exports = { ...require('../../jest.preset.js'), displayName: 'batch-publisher' };
