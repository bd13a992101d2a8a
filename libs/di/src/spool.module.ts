import { ContainerModule } from 'inversify';

import { FileSpool, FileSpoolInspector } from '@bedrock-usage/sinks';

import { TOKENS } from './tokens';

/** Options of {@link spoolModule}, already read by the app's `loadConfig`. */
export interface SpoolModuleOptions {
  /** The spool directory (`<sink>.jsonl` files); one process at a time replays it. */
  readonly dir: string;
  /**
   * Events handed back per batch on replay (each batch is acknowledged, so an interrupted replay delivers at most
   * this many again).
   * @default 500
   */
  readonly replayBatchSize?: number;
}

/**
 * The file spool of a directory: `TOKENS.Spool` (a `FileSpool`: append, replay with its crash-safe offset and
 * compaction) and `TOKENS.SpoolInspector` (reads the directory without changing it). No I/O until used.
 *
 * @example
 * container.load(spoolModule({ dir: '.bedrock-usage/spool' }));
 * const files = await container.get(TOKENS.SpoolInspector).inspect();
 * const { replayed, remaining } = await container.get(TOKENS.Spool).replay('DynamoDB', async (batch) => (await writer.write(batch)).ok);
 */
export function spoolModule(options: SpoolModuleOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Spool)
      .toResolvedValue(() => new FileSpool({ dir: options.dir, replayBatchSize: options.replayBatchSize ?? 500 }))
      .inSingletonScope();
    bind(TOKENS.SpoolInspector)
      .toResolvedValue(() => new FileSpoolInspector({ dir: options.dir }))
      .inSingletonScope();
  });
}
