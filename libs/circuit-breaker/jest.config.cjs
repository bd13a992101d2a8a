module.exports = { ...require('../../jest.preset.js'), displayName: 'circuit-breaker' };
