module.exports = { ...require('../../../jest.preset.js'), displayName: 'agent-cloud-engineer' };
