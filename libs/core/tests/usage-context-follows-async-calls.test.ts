import { currentUsageContext, tokenUsage, withUsageContext } from '../src';

describe('usage context', () => {
  it('follows awaits and merges nested contexts', async () => {
    expect(currentUsageContext()).toBeUndefined();
    const seen = await withUsageContext({ agentId: 'jira', incidentId: 'INC-20250311-0042', tags: { team: 'a' } }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return withUsageContext({ agentId: 'operations', tags: { step: 'triage' } }, async () => {
        await Promise.resolve();
        return currentUsageContext();
      });
    });
    expect(seen).toEqual({ agentId: 'operations', incidentId: 'INC-20250311-0042', tags: { team: 'a', step: 'triage' } });
    expect(currentUsageContext()).toBeUndefined();
  });

  it('recomputes the total from the four counters', () => {
    expect(tokenUsage({ inputTokens: 14, outputTokens: 61, cacheWriteInputTokens: 2210 })).toEqual({
      inputTokens: 14,
      outputTokens: 61,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 2210,
      totalTokens: 2285,
    });
  });
});
