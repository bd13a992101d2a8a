import { loadBedrockFixtures } from '@bedrock-usage/testing';

import { extractUsage } from '../src';

describe('the 12 shared Bedrock fixtures extract as the fixtures README expects', () => {
  const fixtures = loadBedrockFixtures();

  it('finds all 12 fixtures', () => {
    expect(fixtures).toHaveLength(12);
  });

  it.each(fixtures.map((f) => [f.id, f] as const))('%s', (_id, fixture) => {
    // Prepare: the fixture as captured (source named in its `source` field)
    // Act
    const result = extractUsage(fixture);
    // Assess: the expectation is a subset of the result
    expect(result).toMatchObject(fixture.expected);
  });
});
