import type { Server as Http1Server } from 'node:http';
import type { Http2Server } from 'node:http2';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { Duplex } from 'node:stream';

/** The HTTP/2 connection preface starts with these bytes; no HTTP/1.1 method does. */
const H2_PREFACE_START = Buffer.from('PRI ');

/**
 * The socket as a stream that first replays `head`. The HTTP/2 session reads the socket's native handle directly, so
 * bytes already read (the preface we peeked at) cannot be pushed back with `unshift`; a JS stream can replay them.
 */
function replaying(socket: Socket, head: Buffer): Duplex {
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, encoding, callback) {
      socket.write(chunk, encoding, callback);
    },
    final(callback) {
      socket.end(() => callback());
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  duplex.push(head);
  socket.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  return duplex;
}

/**
 * One TCP listener serving both h2c (prior knowledge — what the Bedrock runtime SDK speaks) and HTTP/1.1
 * (what the control-plane SDK and curl speak): it peeks at the first bytes and hands the socket to the right server.
 */
export class ProtocolSniffingListener {
  readonly #net: NetServer;
  readonly #sockets = new Set<Socket>();

  constructor(h2: Http2Server, http1: Http1Server) {
    this.#net = createNetServer((socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      let seen = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        seen = Buffer.concat([seen, chunk]);
        const n = Math.min(seen.length, H2_PREFACE_START.length);
        const isH2 = seen.subarray(0, n).equals(H2_PREFACE_START.subarray(0, n));
        if (isH2 && seen.length < H2_PREFACE_START.length) return;
        socket.removeListener('data', onData);
        if (isH2) {
          h2.emit('connection', replaying(socket, seen));
        } else {
          socket.pause();
          socket.unshift(seen);
          http1.emit('connection', socket);
          socket.resume();
        }
      };
      socket.on('data', onData);
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#net.once('error', reject);
      this.#net.listen(port, host, () => {
        this.#net.removeListener('error', reject);
        const address = this.#net.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  }

  /** Stops accepting and destroys every open connection. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#net.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
    });
  }
}
