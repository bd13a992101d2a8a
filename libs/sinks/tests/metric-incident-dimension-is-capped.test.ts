import { makeUsageEvent } from '@bedrock-usage/testing';

import { MetricAggregator, OTHER_INCIDENT } from '../src';

const incidentValues = (aggregator: MetricAggregator, incidentId: string): string[] =>
  aggregator.observeEvent(makeUsageEvent({ incidentId })).flatMap((o) => (o.dimensions.IncidentId === undefined ? [] : [o.dimensions.IncidentId]));

describe('IncidentId cardinality guard', () => {
  it('keeps IncidentId off the metrics by default', () => {
    // Prepare
    const aggregator = new MetricAggregator();

    // Act
    const values = incidentValues(aggregator, 'INC-20250311-0001');

    // Assess
    expect(values).toEqual([]);
  });

  it('publishes at most N incidents per period and folds the rest into "other"', () => {
    // Prepare
    let now = Date.parse('2025-03-11T10:00:00Z');
    const aggregator = new MetricAggregator({ incidentDimension: { maxValues: 2 }, clock: { now: () => now } });

    // Act
    const first = incidentValues(aggregator, 'INC-1');
    const second = incidentValues(aggregator, 'INC-2');
    const third = incidentValues(aggregator, 'INC-3');
    const firstAgain = incidentValues(aggregator, 'INC-1');
    now += 3_600_000;
    const thirdNextHour = incidentValues(aggregator, 'INC-3');

    // Assess: the four token and cost metrics each get the IncidentId set
    expect(first).toEqual(Array(4).fill('INC-1'));
    expect(second).toEqual(Array(4).fill('INC-2'));
    expect(third).toEqual(Array(4).fill(OTHER_INCIDENT));
    expect(firstAgain).toEqual(Array(4).fill('INC-1'));
    expect(thirdNextHour).toEqual(Array(4).fill('INC-3'));
  });

  it('refuses a cap outside 1–1000 naming the option', () => {
    // Prepare
    const options = { incidentDimension: { maxValues: 0 } };

    // Act
    const attempt = (): unknown => new MetricAggregator(options);

    // Assess
    expect(attempt).toThrow('incidentDimension.maxValues is 0 — use a whole number from 1 to 1000');
  });
});
