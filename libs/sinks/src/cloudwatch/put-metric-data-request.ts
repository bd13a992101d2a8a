import type { MetricDatum, StandardUnit } from '@aws-sdk/client-cloudwatch';

import type { MetricSeries } from '../metrics/metric-aggregator';

/** PutMetricData limits (API reference, PutMetricData): metric data per request, request bytes, values per datum. */
export const PUT_METRIC_DATA_LIMITS = { data: 1000, bytes: 1_000_000, valuesPerDatum: 150 } as const;
/** CloudWatch accepts data points up to two weeks old and two hours ahead; we keep a margin of 5 minutes. */
export const MAX_AGE_MS = 14 * 24 * 3_600_000 - 300_000;
export const MAX_AHEAD_MS = 2 * 3_600_000 - 300_000;

/** Series cut into parts of at most 150 distinct values (each part is one MetricDatum). */
export function splitSeries(series: readonly MetricSeries[]): MetricSeries[] {
  const size = PUT_METRIC_DATA_LIMITS.valuesPerDatum;
  return series.flatMap((one) => {
    if (one.values.length <= size) return [one];
    const parts: MetricSeries[] = [];
    for (let i = 0; i < one.values.length; i += size) parts.push({ ...one, values: one.values.slice(i, i + size), counts: one.counts.slice(i, i + size) });
    return parts;
  });
}

/** The MetricDatum of one part (standard resolution: our series are per minute). */
export function toMetricDatum(part: MetricSeries): MetricDatum {
  return {
    MetricName: part.name,
    Dimensions: Object.entries(part.dimensions).map(([Name, Value]) => ({ Name, Value })),
    Timestamp: new Date(part.timestamp),
    Values: [...part.values],
    Counts: [...part.counts],
    Unit: part.unit as StandardUnit,
    StorageResolution: 60,
  };
}

/** Bytes of a datum on the wire (awsJson1_0: timestamps as epoch seconds), plus its comma. */
function wireBytes(part: MetricSeries): number {
  return Buffer.byteLength(JSON.stringify({ ...toMetricDatum(part), Timestamp: part.timestamp / 1000 })) + 1;
}

function envelopeBytes(namespace: string): number {
  return Buffer.byteLength(JSON.stringify({ Namespace: namespace, MetricData: [] }));
}

/** How many PutMetricData requests the parts need at least (1 when they fit in one). */
export function requestsNeeded(namespace: string, parts: readonly MetricSeries[]): number {
  let bytes = envelopeBytes(namespace);
  for (const part of parts) bytes += wireBytes(part);
  return Math.max(1, Math.ceil(parts.length / PUT_METRIC_DATA_LIMITS.data), Math.ceil(bytes / PUT_METRIC_DATA_LIMITS.bytes));
}

/** Parts packed greedily, in order, into requests within the limits. */
export function packRequests(namespace: string, parts: readonly MetricSeries[]): MetricSeries[][] {
  const requests: MetricSeries[][] = [];
  let current: MetricSeries[] = [];
  let bytes = envelopeBytes(namespace);
  for (const part of parts) {
    const size = wireBytes(part);
    if (current.length > 0 && (current.length === PUT_METRIC_DATA_LIMITS.data || bytes + size > PUT_METRIC_DATA_LIMITS.bytes)) {
      requests.push(current);
      current = [];
      bytes = envelopeBytes(namespace);
    }
    current.push(part);
    bytes += size;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

const RETRYABLE_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalServiceFault',
  'InternalServiceError',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * True for failures worth retrying: throttling, 5xx, timeouts and connection errors. False for the rest (a
 * rejected request — invalid parameter, missing permission — fails the same way again).
 */
export function isRetryableCloudWatchError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: string; code?: string; $fault?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return (
    Boolean(e.$retryable) ||
    e.$fault === 'server' ||
    (status !== undefined && (status >= 500 || status === 429)) ||
    RETRYABLE_NAMES.has(e.name ?? '') ||
    RETRYABLE_CODES.has(e.code ?? '')
  );
}
