import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** The units PutMetricData accepts (StandardUnit). */
const STANDARD_UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits',
  'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second',
  'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second',
  'Terabits/Second', 'Count/Second', 'None',
]);
/** PutMetricData limits (API reference): 1 MB per request, 1000 metric data, 150 values, 30 dimensions. */
const MAX_BYTES = 1_048_576;
const MAX_DATA = 1000;
const MAX_VALUES = 150;
const MAX_DIMENSIONS = 30;
const MAX_MAGNITUDE = 2 ** 360;
const TARGET = 'GraniteServiceVersion20100801.PutMetricData';
const LIST_TARGET = 'GraniteServiceVersion20100801.ListMetrics';

/**
 * How {@link CloudWatchEndpoint.failNext} fails: `throttle` (400 `Throttling`, as CloudWatch throttles), `unavailable`
 * (503 `ServiceUnavailable`), `server-error` (500 `InternalServiceFault`), `reset` (the connection is destroyed).
 *
 * @example
 * endpoint.failNext(2, 'throttle');
 */
export type CloudWatchFailureKind = 'throttle' | 'unavailable' | 'server-error' | 'reset';

/**
 * One MetricDatum as decoded from the wire (awsJson1_0: `Timestamp` in epoch seconds), with its request's namespace.
 *
 * @example
 * const sum = endpoint.data.filter((d) => d.MetricName === 'Requests' && d.Dimensions.length === 0)
 *   .reduce((total, d) => total + d.Values!.reduce((s, v, i) => s + v * d.Counts![i], 0), 0);
 */
export interface DecodedMetricDatum {
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[];
  readonly Timestamp?: number;
  readonly Value?: number;
  readonly Values?: readonly number[];
  readonly Counts?: readonly number[];
  readonly StatisticValues?: { readonly SampleCount: number; readonly Sum: number; readonly Minimum: number; readonly Maximum: number };
  readonly Unit?: string;
  readonly StorageResolution?: number;
}

/**
 * One request the endpoint received.
 *
 * @example
 * expect(endpoint.requests.every((r) => r.status === 200)).toBe(true);
 */
export interface CloudWatchRequest {
  readonly headers: Readonly<Record<string, string>>;
  /** True when the body came gzip-compressed (the SDK compresses bodies over 10 KiB). */
  readonly gzip: boolean;
  /** Decompressed body size. */
  readonly bytes: number;
  readonly status: number;
  /** The error message when the endpoint answered 400, else undefined. */
  readonly error?: string;
  readonly data: readonly DecodedMetricDatum[];
}

/**
 * A local CloudWatch PutMetricData endpoint (HTTP/1.1 on 127.0.0.1).
 *
 * @example
 * const endpoint = await startCloudWatchEndpoint();
 * const client = new CloudWatchClient({ endpoint: endpoint.endpoint, region: 'us-east-1', credentials });
 */
export interface CloudWatchEndpoint {
  readonly endpoint: string;
  readonly requests: readonly CloudWatchRequest[];
  /** Every datum of every accepted (200) request, in arrival order. */
  readonly data: readonly DecodedMetricDatum[];
  /** Fails the next `count` requests (`Infinity` until told otherwise; 0 clears). */
  failNext(count: number, kind: CloudWatchFailureKind): void;
  close(): Promise<void>;
}

/**
 * Options of {@link startCloudWatchEndpoint}.
 *
 * @example
 * await startCloudWatchEndpoint({ now: () => Date.parse('2025-03-11T10:05:00Z') });
 */
export interface CloudWatchEndpointOptions {
  /**
   * The endpoint's "now" for the timestamp check (two weeks back, two hours ahead).
   * @default Date.now
   */
  readonly now?: () => number;
}

class InvalidRequest extends Error {}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new InvalidRequest(message);
}

function validNumber(value: unknown, where: string): void {
  check(typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_MAGNITUDE, `${where} must be a finite number within ±2^360, got ${JSON.stringify(value)}`);
}

function decodeDatum(raw: unknown, index: number, namespace: string, now: number): DecodedMetricDatum {
  const at = `MetricData.member.${index + 1}`;
  check(typeof raw === 'object' && raw !== null, `${at} must be an object`);
  const datum = raw as Record<string, unknown>;
  check(typeof datum.MetricName === 'string' && datum.MetricName.length >= 1 && datum.MetricName.length <= 255, `${at}.MetricName must be 1–255 characters`);
  const dimensions = (datum.Dimensions ?? []) as unknown[];
  check(Array.isArray(dimensions), `${at}.Dimensions must be a list`);
  check(dimensions.length <= MAX_DIMENSIONS, `${at}.Dimensions has ${dimensions.length} members — at most ${MAX_DIMENSIONS} allowed`);
  const names = new Set<string>();
  for (const [i, dimension] of dimensions.entries()) {
    const { Name, Value } = (dimension ?? {}) as { Name?: unknown; Value?: unknown };
    check(typeof Name === 'string' && Name.length >= 1 && Name.length <= 255, `${at}.Dimensions.member.${i + 1}.Name must be 1–255 characters`);
    check(!names.has(Name), `${at}.Dimensions has the name "${Name}" twice`);
    names.add(Name);
    check(
      typeof Value === 'string' && Value.length >= 1 && Value.length <= 1024 && /^[\x20-\x7e]+$/.test(Value) && Value.trim() !== '',
      `${at}.Dimensions.member.${i + 1}.Value must be 1–1024 printable ASCII characters, not only whitespace`,
    );
  }
  if (datum.Unit !== undefined) check(STANDARD_UNITS.has(datum.Unit as string), `${at}.Unit "${String(datum.Unit)}" is not a valid unit — use one of ${[...STANDARD_UNITS].join(', ')}`);
  if (datum.StorageResolution !== undefined) check(datum.StorageResolution === 1 || datum.StorageResolution === 60, `${at}.StorageResolution must be 1 or 60`);
  if (datum.Timestamp !== undefined) {
    check(typeof datum.Timestamp === 'number', `${at}.Timestamp must be epoch seconds`);
    const ms = datum.Timestamp * 1000;
    check(ms >= now - 14 * 86_400_000 && ms <= now + 2 * 3_600_000, `${at}.Timestamp ${new Date(ms).toISOString()} is more than two weeks in the past or two hours in the future`);
  }
  const forms = ['Value', 'Values', 'StatisticValues'].filter((key) => datum[key] !== undefined);
  check(forms.length === 1, `${at} must have exactly one of Value, Values, StatisticValues — has ${forms.join(', ') || 'none'}`);
  if (datum.Value !== undefined) validNumber(datum.Value, `${at}.Value`);
  if (datum.Values !== undefined) {
    const values = datum.Values as unknown[];
    check(Array.isArray(values) && values.length >= 1, `${at}.Values must be a non-empty list`);
    check(values.length <= MAX_VALUES, `${at}.Values has ${values.length} values — at most ${MAX_VALUES} allowed`);
    values.forEach((value, i) => validNumber(value, `${at}.Values.member.${i + 1}`));
    if (datum.Counts !== undefined) {
      const counts = datum.Counts as unknown[];
      check(Array.isArray(counts) && counts.length === values.length, `${at}.Counts must have as many members as Values (${values.length})`);
      counts.forEach((count, i) => validNumber(count, `${at}.Counts.member.${i + 1}`));
    }
  }
  return { ...(datum as unknown as Omit<DecodedMetricDatum, 'Namespace'>), Dimensions: dimensions as DecodedMetricDatum['Dimensions'], Namespace: namespace };
}

function decodeRequest(headers: Readonly<Record<string, string>>, body: Buffer, now: number): DecodedMetricDatum[] {
  check(headers['content-type'] === 'application/x-amz-json-1.0', `content-type must be application/x-amz-json-1.0, got ${headers['content-type'] ?? 'none'}`);
  check(headers['x-amz-target'] === TARGET, `x-amz-target must be ${TARGET}, got ${headers['x-amz-target'] ?? 'none'}`);
  check(body.length <= MAX_BYTES, `request body is ${body.length} bytes — at most 1 MB (${MAX_BYTES}) allowed`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new InvalidRequest('request body is not JSON');
  }
  const request = (parsed ?? {}) as { Namespace?: unknown; MetricData?: unknown };
  check(typeof request.Namespace === 'string' && request.Namespace.length >= 1 && request.Namespace.length <= 255, 'Namespace must be 1–255 characters');
  check(!request.Namespace.startsWith('AWS/'), 'Namespace must not start with "AWS/" (reserved)');
  const namespace = request.Namespace;
  check(Array.isArray(request.MetricData) && request.MetricData.length >= 1, 'MetricData must be a non-empty list');
  check(request.MetricData.length <= MAX_DATA, `MetricData has ${request.MetricData.length} members — at most ${MAX_DATA} allowed`);
  return request.MetricData.map((datum, index) => decodeDatum(datum, index, namespace, now));
}

const FAILURES: Readonly<Record<Exclude<CloudWatchFailureKind, 'reset'>, { status: number; code: string; fault: string }>> = {
  throttle: { status: 400, code: 'Throttling', fault: 'Sender' },
  unavailable: { status: 503, code: 'ServiceUnavailable', fault: 'Receiver' },
  'server-error': { status: 500, code: 'InternalServiceFault', fault: 'Receiver' },
};

/** Answers as CloudWatch does: the modeled `__type` in the body, the query-protocol code in `x-amzn-query-error`. */
function answer(res: ServerResponse, status: number, error?: { type: string; code: string; fault: string; message: string }, body: object = {}): void {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': globalThis.crypto.randomUUID() };
  if (error) headers['x-amzn-query-error'] = `${error.code};${error.fault}`;
  res.writeHead(status, headers);
  res.end(JSON.stringify(error ? { __type: `com.amazonaws.cloudwatch#${error.type}`, message: error.message } : body));
}

/** ListMetrics over what was put: each distinct metric (name + dimensions) of the namespace, in one page. */
function listMetrics(data: readonly DecodedMetricDatum[], input: { readonly Namespace?: string }): object {
  const metrics = new Map<string, object>();
  for (const datum of data) {
    if (input.Namespace !== undefined && datum.Namespace !== input.Namespace) continue;
    const dimensions = [...datum.Dimensions].sort((a, b) => a.Name.localeCompare(b.Name));
    metrics.set(JSON.stringify([datum.Namespace, datum.MetricName, dimensions]), { Namespace: datum.Namespace, MetricName: datum.MetricName, Dimensions: dimensions });
  }
  return { Metrics: [...metrics.values()] };
}

/**
 * Starts a local endpoint that decodes the real PutMetricData wire request of `@aws-sdk/client-cloudwatch` 3.x
 * (awsJson1_0, query-compatible: `x-amz-target: GraniteServiceVersion20100801.PutMetricData`, body gzip-compressed
 * by the SDK above 10 KiB) and checks it as CloudWatch does: ≤ 1 MB, ≤ 1000 data, ≤ 150 values and ≤ 30 dimensions
 * per datum, valid units, values and timestamps. It answers `200 {}`, or `400 InvalidParameterValue(Exception)` with the
 * broken rule, or a scripted failure. It also answers ListMetrics (one page: the distinct metrics put so far, of the
 * requested namespace), for health checks.
 *
 * @example
 * const endpoint = await startCloudWatchEndpoint();
 * endpoint.failNext(1, 'throttle');
 * await client.send(new PutMetricDataCommand({ Namespace: 'BedrockUsage', MetricData })); // throws Throttling
 * await endpoint.close();
 */
export async function startCloudWatchEndpoint(options: CloudWatchEndpointOptions = {}): Promise<CloudWatchEndpoint> {
  const now = options.now ?? Date.now;
  const requests: CloudWatchRequest[] = [];
  const data: DecodedMetricDatum[] = [];
  const sockets = new Set<Socket>();
  let failures = 0;
  let failure: CloudWatchFailureKind = 'throttle';

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer): void => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const gzip = headers['content-encoding'] === 'gzip';
    const record = (status: number, decoded: DecodedMetricDatum[], bytes: number, error?: string): void => {
      requests.push({ headers, gzip, bytes, status, error, data: decoded });
    };
    if (failures > 0) {
      failures -= 1;
      record(failure === 'reset' ? 0 : FAILURES[failure].status, [], raw.length);
      if (failure === 'reset') {
        req.socket.destroy();
        return;
      }
      const { status, code, fault } = FAILURES[failure];
      answer(res, status, { type: code, code, fault, message: `scripted ${failure}` });
      return;
    }
    let body = raw;
    try {
      if (gzip) body = gunzipSync(raw);
      if (headers['x-amz-target'] === LIST_TARGET) {
        record(200, [], body.length);
        answer(res, 200, undefined, listMetrics(data, JSON.parse(body.toString('utf8') || '{}') as { Namespace?: string }));
        return;
      }
      const decoded = decodeRequest(headers, body, now());
      record(200, decoded, body.length);
      data.push(...decoded);
      answer(res, 200);
    } catch (error) {
      const message = error instanceof InvalidRequest ? error.message : `could not read the request: ${(error as Error).message}`;
      record(400, [], body.length, message);
      answer(res, 400, { type: 'InvalidParameterValueException', code: 'InvalidParameterValue', fault: 'Sender', message });
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    data,
    failNext(count: number, kind: CloudWatchFailureKind): void {
      failures = count;
      failure = kind;
    },
    close(): Promise<void> {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
