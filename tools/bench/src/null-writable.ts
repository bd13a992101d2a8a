import { Writable } from 'node:stream';

/**
 * A Writable that discards what it is given and counts the bytes: the same "/dev/null" target for us and the peers,
 * so the hot-path comparison measures the libraries, not a disk.
 *
 * @example
 * const output = new NullWritable();
 * new EmfMetricsSink({ output });
 */
export class NullWritable extends Writable {
  #bytes = 0;

  /** Bytes written so far. */
  get bytes(): number {
    return this.#bytes;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#bytes += chunk.length;
    callback();
  }
}
