import { modelFamilyOf, validateAgentDefinition } from '@bedrock-usage/agent-runtime';

import { AGENT_DEFINITIONS } from '../src';

describe('the five agent definitions', () => {
  it('are valid, with distinct ids', () => {
    // Act
    const validated = AGENT_DEFINITIONS.map((definition) => validateAgentDefinition(definition));

    // Assess
    expect(validated.map((definition) => definition.agentId)).toEqual(['cloud-engineer', 'knowledge-base', 'error-analysis', 'jira', 'operations']);
  });

  it('use all four Bedrock call shapes and several model families', () => {
    // Act
    const shapes = new Set(AGENT_DEFINITIONS.map((definition) => definition.callShape));
    const families = new Set(AGENT_DEFINITIONS.map((definition) => modelFamilyOf(definition.defaultModel)));

    // Assess
    expect([...shapes].sort()).toEqual(['Converse', 'ConverseStream', 'InvokeModel', 'InvokeModelWithResponseStream']);
    expect(families.has(undefined)).toBe(false);
    expect(families.size).toBeGreaterThanOrEqual(4);
  });
});
