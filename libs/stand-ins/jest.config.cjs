module.exports = { ...require('../../jest.preset.js'), displayName: 'stand-ins' };
