import { InMemoryHealthMetrics } from '../src';

describe('InMemoryHealthMetrics', () => {
  it('sums a metric over every report whose dimensions include the filter', () => {
    // Prepare
    const health = new InMemoryHealthMetrics();

    // Act
    health.count('LoggingErrors', { AgentId: 'jira', LoggingBackend: 'DynamoDB', ErrorType: 'Dropped' }, 3);
    health.count('LoggingErrors', { AgentId: 'ops', LoggingBackend: 'Log', ErrorType: 'Dropped' });
    health.count('LoggingErrors', { AgentId: 'jira', LoggingBackend: 'DynamoDB', ErrorType: 'IO' });
    health.timing('LoggingLatency', { AgentId: 'jira', LoggingBackend: 'DynamoDB' }, 12);

    // Assess
    expect(health.sum('LoggingErrors')).toBe(5);
    expect(health.sum('LoggingErrors', { ErrorType: 'Dropped' })).toBe(4);
    expect(health.sum('LoggingErrors', { AgentId: 'jira', ErrorType: 'Dropped' })).toBe(3);
    expect(health.values('LoggingLatency', { LoggingBackend: 'DynamoDB' })).toEqual([12]);
    expect(health.find('CircuitBreakerTrips')).toEqual([]);
  });
});
