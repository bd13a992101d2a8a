import type { MetricObservation, MetricSeries } from '../metrics/metric-aggregator';
import { METRIC_CATALOG, type MetricUnit } from '../metrics/metric-catalog';

/** EMF limits (CloudWatch_Embedded_Metric_Format_Specification): metric definitions per directive, values per array. */
export const EMF_MAX_METRICS = 100;
export const EMF_MAX_VALUES = 100;

/**
 * One EMF document: `_aws` metadata, then dimension values, metric values and any properties as top-level members.
 *
 * @example
 * const doc: EmfDocument = { _aws: { Timestamp: 1741687200000, CloudWatchMetrics: [] } };
 */
export interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: MetricUnit }[];
    }[];
  };
  readonly [member: string]: unknown;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The EMF document of one event: its observations (one value per metric, several dimension sets each), grouped into
 * one directive per distinct list of dimension sets, with `properties` (the log fields) beside them.
 *
 * @example
 * emfEventDocument('BedrockUsage', Date.parse(event.time), aggregator.observeEvent(event), usageLogRecord(event, now))
 */
export function emfEventDocument(
  namespace: string,
  timestamp: number,
  observations: readonly MetricObservation[],
  properties: object,
): EmfDocument {
  const metrics = new Map<string, { unit: MetricUnit; value: number; sets: string[][] }>();
  const dimensionValues: Record<string, string> = {};
  for (const observation of observations) {
    let metric = metrics.get(observation.name);
    if (!metric) {
      metric = { unit: observation.unit, value: observation.value, sets: [] };
      metrics.set(observation.name, metric);
    }
    metric.sets.push(Object.keys(observation.dimensions));
    Object.assign(dimensionValues, observation.dimensions);
  }
  const directives = new Map<string, { Dimensions: string[][]; Metrics: { Name: string; Unit: MetricUnit }[] }>();
  const values: Record<string, number> = {};
  for (const [name, metric] of metrics) {
    const key = JSON.stringify(metric.sets);
    let directive = directives.get(key);
    if (!directive) {
      directive = { Dimensions: metric.sets, Metrics: [] };
      directives.set(key, directive);
    }
    directive.Metrics.push({ Name: name, Unit: metric.unit });
    values[name] = metric.value;
  }
  const CloudWatchMetrics = [...directives.values()].flatMap((directive) =>
    chunks(directive.Metrics, EMF_MAX_METRICS).map((Metrics) => ({ Namespace: namespace, Dimensions: directive.Dimensions, Metrics })),
  );
  return { ...properties, ...dimensionValues, ...values, _aws: { Timestamp: timestamp, CloudWatchMetrics } };
}

/**
 * EMF documents of aggregated series (the health metrics): one document per dimension values and minute, counters
 * as their summed value (EMF has no counts), timings and levels as value arrays of at most 100 (more → more
 * documents), at most 100 metrics per document.
 *
 * @example
 * for (const doc of emfSeriesDocuments('BedrockUsage', window.series())) console.log(JSON.stringify(doc));
 */
export function emfSeriesDocuments(namespace: string, series: readonly MetricSeries[]): EmfDocument[] {
  const groups = new Map<string, MetricSeries[]>();
  for (const one of series) {
    const key = `${one.timestamp}\u0000${JSON.stringify(one.dimensions)}`;
    groups.set(key, [...(groups.get(key) ?? []), one]);
  }
  const documents: EmfDocument[] = [];
  for (const group of groups.values()) {
    const { timestamp, dimensions } = group[0];
    const arrays = group.map((one) => ({ one, parts: chunks(expand(one), EMF_MAX_VALUES) }));
    const rounds = Math.max(...arrays.map(({ parts }) => parts.length));
    for (let round = 0; round < rounds; round += 1) {
      const present = arrays.filter(({ parts }) => parts[round] !== undefined);
      for (const batch of chunks(present, EMF_MAX_METRICS)) {
        const values: Record<string, number | number[]> = {};
        for (const { one, parts } of batch) values[one.name] = parts[round].length === 1 ? parts[round][0] : parts[round];
        documents.push({
          ...dimensions,
          ...values,
          _aws: {
            Timestamp: timestamp,
            CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [Object.keys(dimensions)], Metrics: batch.map(({ one }) => ({ Name: one.name, Unit: one.unit })) }],
          },
        });
      }
    }
  }
  return documents;
}

/** Counters summed to one value; other series' values repeated by their counts. */
function expand(series: MetricSeries): number[] {
  if (METRIC_CATALOG[series.name].kind === 'counter') {
    return [series.values.reduce((sum, value, i) => sum + value * series.counts[i], 0)];
  }
  return series.values.flatMap((value, i) => Array<number>(series.counts[i]).fill(value));
}
