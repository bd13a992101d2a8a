import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants as h2, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';

/** Headers HTTP/2 forbids (RFC 9113 §8.2.2) and that Node sets itself on HTTP/1.1. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** One request/response pair, the same for HTTP/1.1 and h2c, so routing does not care which. */
export interface HttpExchange {
  readonly protocol: 'h2' | 'http/1.1';
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** True once the client went away or the exchange was ended or cut. */
  readonly closed: boolean;
  /** Resolves when the underlying response closes (the client went away, or it was ended or cut). */
  whenClosed(): Promise<void>;
  readBody(): Promise<Buffer>;
  /** Starts the response (status + headers); names are lower-cased and connection headers dropped. */
  start(status: number, headers: Readonly<Record<string, string>>): void;
  /** Resolves once the bytes were handed to the connection. */
  write(bytes: Uint8Array): Promise<void>;
  end(bytes?: Uint8Array | string): void;
  /** Kills the response mid-body: RST_STREAM on h2, a destroyed socket on HTTP/1.1. */
  cut(): void;
}

function plainHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name.startsWith(':') || value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function outgoingHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!CONNECTION_HEADERS.has(lower)) out[lower] = value;
  }
  return out;
}

export function httpExchange(
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse,
): HttpExchange {
  const isH2 = 'stream' in res;
  let closed = false;
  const closing = new Promise<void>((resolve) => {
    res.once('close', () => {
      closed = true;
      resolve();
    });
  });
  const exchange: HttpExchange = {
    protocol: isH2 ? 'h2' : 'http/1.1',
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    headers: plainHeaders(req.headers),
    get closed() {
      return closed;
    },
    whenClosed() {
      return closing;
    },
    async readBody() {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
      return Buffer.concat(chunks);
    },
    start(status, headers) {
      (res as ServerResponse).writeHead(status, outgoingHeaders(headers));
    },
    write(bytes) {
      return new Promise<void>((resolve) => {
        if (closed) {
          resolve();
          return;
        }
        (res as ServerResponse).write(bytes, () => resolve());
      });
    },
    end(bytes) {
      if (closed) return;
      closed = true;
      if (bytes === undefined) (res as ServerResponse).end();
      else (res as ServerResponse).end(bytes);
    },
    cut() {
      if (closed) return;
      closed = true;
      if (isH2) (res as Http2ServerResponse).stream.close(h2.NGHTTP2_INTERNAL_ERROR);
      else (res as ServerResponse).destroy();
    },
  };
  return exchange;
}
