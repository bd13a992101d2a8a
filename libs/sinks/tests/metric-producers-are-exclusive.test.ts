import { UsageError } from '@bedrock-usage/core';

import { METRIC_NAMES, validateMetricProducers } from '../src';

describe('validateMetricProducers', () => {
  it('gives every metric to EMF by default', () => {
    // Prepare
    const config = undefined;

    // Act
    const assignment = validateMetricProducers(config);

    // Assess
    expect(assignment).toEqual({ EMF: METRIC_NAMES, PutMetricData: [], BatchPublisher: [] });
  });

  it('refuses two producers for one metric, naming the metric and both producers', () => {
    // Prepare
    const config = { EMF: 'all', PutMetricData: ['EstimatedCost'] } as const;

    // Act
    const attempt = (): unknown => validateMetricProducers(config);

    // Assess
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow('metric "EstimatedCost" has two producers, EMF and PutMetricData');
  });

  it('splits metrics between producers when each has its own', () => {
    // Prepare
    const config = { EMF: ['LoggingQueueDepth'], BatchPublisher: ['EstimatedCost', 'TotalTokens'] } as const;

    // Act
    const assignment = validateMetricProducers(config);

    // Assess
    expect(assignment).toEqual({ EMF: ['LoggingQueueDepth'], PutMetricData: [], BatchPublisher: ['EstimatedCost', 'TotalTokens'] });
  });

  it('refuses an unknown metric or producer with the allowed values', () => {
    // Prepare
    const unknownMetric = { PutMetricData: ['Cost'] } as never;
    const unknownProducer = { StatsD: 'all' } as never;

    // Act
    const metric = (): unknown => validateMetricProducers(unknownMetric);
    const producer = (): unknown => validateMetricProducers(unknownProducer);

    // Assess
    expect(metric).toThrow(/unknown metric "Cost" — use one of InputTokens, OutputTokens/);
    expect(producer).toThrow('unknown metric producer "StatsD" — use one of EMF, PutMetricData, BatchPublisher');
  });
});
