import { randomUUID } from 'node:crypto';
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { UsageError } from '@bedrock-usage/core';

/**
 * What the proxy does with every request until told otherwise:
 * - `pass`: forward to the target (and apply queued throttles, see {@link FaultProxy.throttleNext});
 * - `refuse`: stop listening, so connections are refused (`ECONNREFUSED`); open connections are destroyed;
 * - `stall`: accept the request and never answer (a client without a timeout hangs);
 * - `reset`: read the request, then reset the connection (`ECONNRESET`) without forwarding it;
 * - `drop-response`: forward the request (the target applies it), then reset the connection instead of answering.
 */
export type FaultMode = 'pass' | 'refuse' | 'stall' | 'reset' | 'drop-response';
export const FAULT_MODES: readonly FaultMode[] = ['pass', 'refuse', 'stall', 'reset', 'drop-response'];

/**
 * A capacity refusal to inject:
 * - `ProvisionedThroughputExceededException` / `ThrottlingException`: HTTP 400 in the DynamoDB JSON error format
 *   (`__type` as DynamoDB sends it), for any DynamoDB operation;
 * - `UnprocessedItems`: for the next BatchWriteItem only — half of each table's items (rounded up, at least one) are
 *   held back, the rest forwarded, and the held-back ones answered as `UnprocessedItems` in the wire format.
 */
export type InjectedThrottle = 'ProvisionedThroughputExceededException' | 'ThrottlingException' | 'UnprocessedItems';
export const INJECTED_THROTTLES: readonly InjectedThrottle[] = ['ProvisionedThroughputExceededException', 'ThrottlingException', 'UnprocessedItems'];

/** What the proxy has done so far. */
export interface FaultProxyStats {
  /** Requests received (refused connections never become requests). */
  readonly requests: number;
  /** Requests (or parts of BatchWriteItem requests) sent to the target. */
  readonly forwarded: number;
  /** Throttling error responses injected. */
  readonly throttled: number;
  /** BatchWriteItem responses with injected `UnprocessedItems`. */
  readonly unprocessedRounds: number;
  readonly stalled: number;
  readonly reset: number;
  /** Requests applied by the target whose response was dropped. */
  readonly droppedResponses: number;
  /** Requests the target could not be reached for (the client's connection is reset). */
  readonly targetErrors: number;
}

export interface FaultProxyOptions {
  /** The HTTP endpoint behind the proxy, e.g. dynalite's `http://127.0.0.1:PORT`. */
  readonly target: string;
}

/** A running fault proxy (see {@link startFaultProxy}). */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give this to the client instead of the target. Stays the same across `refuse`. */
  readonly endpoint: string;
  /** `http://127.0.0.1:<port>` of the control API (for other processes), reachable in every mode. */
  readonly controlEndpoint: string;
  /** A snapshot of the counters. */
  readonly stats: FaultProxyStats;
  /** Switches the mode for every later request (resolves once listening stopped or resumed). */
  mode(mode: FaultMode): Promise<void>;
  /** Queues `n` injected throttles of one kind, applied in `pass` mode, one per request, in queue order. */
  throttleNext(n: number, kind?: InjectedThrottle): void;
  /** Back to `pass`: queued throttles cleared, stalled requests' connections destroyed. */
  heal(): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}

const THROTTLE_BODIES: Readonly<Record<Exclude<InjectedThrottle, 'UnprocessedItems'>, object>> = {
  ProvisionedThroughputExceededException: {
    __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
  ThrottlingException: {
    __type: 'com.amazon.coral.availability#ThrottlingException',
    message: 'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly.',
  },
};
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

type BatchWriteBody = { RequestItems: Record<string, unknown[]> } & Record<string, unknown>;
type Upstream = { status: number; headers: IncomingHttpHeaders; body: Buffer };

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

function copyHeaders(headers: IncomingHttpHeaders, drop: readonly string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !drop.includes(name)) out[name] = value;
  }
  return out;
}

function validated<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new UsageError('INVALID_INPUT', `fault proxy "${field}" is ${JSON.stringify(value)} — expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function validatedCount(value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new UsageError('INVALID_INPUT', `fault proxy "n" is ${JSON.stringify(value)} — expected a non-negative integer`);
  }
  return value as number;
}

class RunningFaultProxy implements FaultProxy {
  readonly endpoint: string;
  readonly controlEndpoint: string;
  readonly #server: Server;
  readonly #control: Server;
  readonly #port: number;
  readonly #target: URL;
  readonly #agent = new Agent({ keepAlive: true });
  readonly #sockets = new Set<Socket>();
  readonly #stalled = new Set<Socket>();
  readonly #throttles: InjectedThrottle[] = [];
  readonly #stats = { requests: 0, forwarded: 0, throttled: 0, unprocessedRounds: 0, stalled: 0, reset: 0, droppedResponses: 0, targetErrors: 0 };
  #mode: FaultMode = 'pass';
  #listening = true;
  #closing: Promise<void> | undefined;

  constructor(server: Server, control: Server, target: URL) {
    this.#server = server;
    this.#control = control;
    this.#target = target;
    this.#port = (server.address() as AddressInfo).port;
    this.endpoint = `http://127.0.0.1:${this.#port}`;
    this.controlEndpoint = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => {
        this.#sockets.delete(socket);
        this.#stalled.delete(socket);
      });
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.#handle(req, res));
    control.on('request', (req: IncomingMessage, res: ServerResponse) => void this.#handleControl(req, res));
  }

  get stats(): FaultProxyStats {
    return { ...this.#stats };
  }

  async mode(mode: FaultMode): Promise<void> {
    this.#mode = validated('mode', mode, FAULT_MODES);
    if (mode === 'refuse') await this.#stopListening();
    else await this.#listen();
  }

  throttleNext(n: number, kind: InjectedThrottle = 'ProvisionedThroughputExceededException'): void {
    const count = validatedCount(n);
    const validKind = validated('kind', kind, INJECTED_THROTTLES);
    for (let i = 0; i < count; i++) this.#throttles.push(validKind);
  }

  async heal(): Promise<void> {
    this.#throttles.length = 0;
    for (const socket of this.#stalled) socket.destroy();
    await this.mode('pass');
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#mode = 'refuse';
      await Promise.all([this.#stopListening(), new Promise<void>((resolve) => {
        this.#control.close(() => resolve());
        this.#control.closeAllConnections();
      })]);
      this.#agent.destroy();
    })();
    return this.#closing;
  }

  async #stopListening(): Promise<void> {
    const closed = this.#listening ? new Promise<void>((resolve) => this.#server.close(() => resolve())) : undefined;
    this.#listening = false;
    // close() waits for open connections: end them (keep-alive ones too), as a crashed server would.
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  async #listen(): Promise<void> {
    if (this.#listening || this.#closing) return;
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#listening = true;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req).catch(() => undefined);
    if (body === undefined) return;
    this.#stats.requests++;
    const mode = this.#mode;
    if (mode === 'stall' || mode === 'refuse') {
      this.#stats.stalled++;
      this.#stalled.add(req.socket);
      return;
    }
    if (mode === 'reset') return this.#reset(req);
    const throttle = this.#nextThrottle(req, body);
    if (throttle === 'UnprocessedItems') return this.#answerWithUnprocessed(req, res, body);
    if (throttle) {
      this.#stats.throttled++;
      const payload = JSON.stringify(THROTTLE_BODIES[throttle]);
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(payload),
        'x-amzn-requestid': randomUUID(),
      });
      res.end(payload);
      return;
    }
    const upstream = await this.#forward(req, body);
    if (!upstream) return;
    if (mode === 'drop-response') {
      this.#stats.droppedResponses++;
      return this.#reset(req);
    }
    res.writeHead(upstream.status, { ...copyHeaders(upstream.headers), 'content-length': upstream.body.length });
    res.end(upstream.body);
  }

  #nextThrottle(req: IncomingMessage, body: Buffer): InjectedThrottle | undefined {
    const next = this.#throttles[0];
    if (next === undefined || !req.headers['x-amz-target']) return undefined;
    if (next === 'UnprocessedItems' && (!String(req.headers['x-amz-target']).endsWith('.BatchWriteItem') || !this.#batchWrite(body))) return undefined;
    this.#throttles.shift();
    return next;
  }

  #batchWrite(body: Buffer): BatchWriteBody | undefined {
    try {
      const parsed = JSON.parse(body.toString('utf8')) as Partial<BatchWriteBody>;
      const items = parsed.RequestItems;
      return items && typeof items === 'object' && Object.values(items).every(Array.isArray) ? (parsed as BatchWriteBody) : undefined;
    } catch {
      return undefined;
    }
  }

  async #answerWithUnprocessed(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const request = this.#batchWrite(body) as BatchWriteBody;
    const forward: Record<string, unknown[]> = {};
    const held: Record<string, unknown[]> = {};
    for (const [table, items] of Object.entries(request.RequestItems)) {
      const keep = Math.floor(items.length / 2);
      if (keep > 0) forward[table] = items.slice(0, keep);
      if (items.length > keep) held[table] = items.slice(keep);
    }
    this.#stats.unprocessedRounds++;
    let upstream: Upstream | undefined = { status: 200, headers: {}, body: Buffer.from('{"UnprocessedItems":{}}') };
    if (Object.keys(forward).length > 0) {
      // The body changes, so its SigV4 signature no longer matches: fine for dynalite, which does not verify it.
      upstream = await this.#forward(req, Buffer.from(JSON.stringify({ ...request, RequestItems: forward })));
      if (!upstream) return;
    }
    if (upstream.status !== 200) {
      res.writeHead(upstream.status, { ...copyHeaders(upstream.headers), 'content-length': upstream.body.length });
      res.end(upstream.body);
      return;
    }
    const answer = JSON.parse(upstream.body.toString('utf8')) as { UnprocessedItems?: Record<string, unknown[]> };
    const unprocessed = { ...answer.UnprocessedItems };
    for (const [table, items] of Object.entries(held)) unprocessed[table] = [...(unprocessed[table] ?? []), ...items];
    const payload = JSON.stringify({ ...answer, UnprocessedItems: unprocessed });
    res.writeHead(200, {
      ...copyHeaders(upstream.headers, ['x-amz-crc32']),
      'content-type': 'application/x-amz-json-1.0',
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': String(upstream.headers['x-amzn-requestid'] ?? randomUUID()),
    });
    res.end(payload);
  }

  #forward(req: IncomingMessage, body: Buffer): Promise<Upstream | undefined> {
    this.#stats.forwarded++;
    return new Promise((resolve) => {
      const outgoing = request(
        {
          host: this.#target.hostname,
          port: this.#target.port,
          method: req.method,
          path: req.url,
          headers: { ...copyHeaders(req.headers), 'content-length': body.length },
          agent: this.#agent,
        },
        (incoming) => {
          readAll(incoming).then(
            (bytes) => resolve({ status: incoming.statusCode ?? 502, headers: incoming.headers, body: bytes }),
            () => resolve(this.#targetFailed(req)),
          );
        },
      );
      outgoing.once('error', () => resolve(this.#targetFailed(req)));
      outgoing.end(body);
    });
  }

  #targetFailed(req: IncomingMessage): undefined {
    this.#stats.targetErrors++;
    req.socket.resetAndDestroy();
    return undefined;
  }

  #reset(req: IncomingMessage): void {
    this.#stats.reset++;
    req.socket.resetAndDestroy();
  }

  async #handleControl(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, value?: unknown): void => {
      const payload = value === undefined ? '' : JSON.stringify(value);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    };
    try {
      const text = (await readAll(req)).toString('utf8');
      const input = (text ? JSON.parse(text) : {}) as { mode?: unknown; n?: unknown; kind?: unknown };
      const route = `${req.method} ${req.url}`;
      if (route === 'GET /stats') return reply(200, this.stats);
      if (route === 'POST /mode') await this.mode(input.mode as FaultMode);
      else if (route === 'POST /throttle') this.throttleNext(input.n as number, (input.kind ?? undefined) as InjectedThrottle | undefined);
      else if (route === 'POST /heal') await this.heal();
      else return reply(404, { message: `unknown route "${route}" — use GET /stats, POST /mode, POST /throttle, POST /heal` });
      reply(204);
    } catch (error) {
      reply(400, { message: (error as Error).message });
    }
  }
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts an HTTP fault proxy on 127.0.0.1 in front of `target` (dynalite, or any local HTTP endpoint), plus a
 * control API on its own port so that other processes can drive it:
 * `POST /mode {"mode":"refuse"}`, `POST /throttle {"n":3,"kind":"UnprocessedItems"}`, `POST /heal`,
 * `GET /stats` (JSON {@link FaultProxyStats}); bad input answers 400 naming the field and the allowed values.
 *
 * @example
 * const dynamo = await startDynalite();
 * const proxy = await startFaultProxy({ target: dynamo.endpoint });
 * const client = new DynamoDBClient(localDynamoDbClientConfig(proxy.endpoint));
 * proxy.throttleNext(3, 'UnprocessedItems');
 * await proxy.mode('refuse'); // an outage …
 * await proxy.heal();         // … and its end
 * await proxy.close();
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  let target: URL;
  try {
    target = new URL(options.target);
  } catch (error) {
    throw new UsageError('INVALID_INPUT', `fault proxy "target" is ${JSON.stringify(options.target)} — expected an http:// URL such as http://127.0.0.1:8000`, { cause: error });
  }
  if (target.protocol !== 'http:') {
    throw new UsageError('INVALID_INPUT', `fault proxy "target" is ${JSON.stringify(options.target)} — expected an http:// URL such as http://127.0.0.1:8000`);
  }
  const server = createServer();
  const control = createServer();
  server.on('clientError', (_error, socket) => socket.destroy());
  await Promise.all([listen(server), listen(control)]);
  return new RunningFaultProxy(server, control, target);
}
