import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { PriceBook } from '@bedrock-usage/pricing';
import { InMemoryUsageRecorder } from '@bedrock-usage/testing';
import { startBedrockStandIn, type BedrockStandIn, type BedrockStandInOptions } from '@bedrock-usage/stand-ins';

import { trackBedrockClient, type TrackedBedrockClientOptions } from '../../src';

/** A stand-in, a real SDK client pointed at it and tracked, an in-memory recorder, and the tracking errors seen. */
export interface TrackedStandIn {
  readonly standIn: BedrockStandIn;
  readonly client: BedrockRuntimeClient;
  readonly recorder: InMemoryUsageRecorder;
  readonly trackingErrors: unknown[];
  close(): Promise<void>;
}

export const CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'y' } as const;

export async function startTrackedStandIn(
  setup: {
    readonly standIn?: BedrockStandInOptions;
    readonly client?: Partial<BedrockRuntimeClientConfig>;
    readonly tracking?: Partial<TrackedBedrockClientOptions>;
  } = {},
): Promise<TrackedStandIn> {
  const standIn = await startBedrockStandIn(setup.standIn);
  const recorder = new InMemoryUsageRecorder();
  const trackingErrors: unknown[] = [];
  const client = trackBedrockClient(
    new BedrockRuntimeClient({ endpoint: standIn.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1, ...setup.client }),
    { recorder, pricer: PriceBook.builtIn(), onTrackingError: (error) => trackingErrors.push(error), ...setup.tracking },
  );
  return {
    standIn,
    client,
    recorder,
    trackingErrors,
    async close() {
      client.destroy();
      await standIn.close();
    },
  };
}

/**
 * One tracked stand-in shared by the tests of the enclosing `describe`: started before all, closed after all, and
 * after each test its recorder cleared, then `afterEach` (if given) run to undo what a test scripted.
 */
export function useTrackedStandIn(hooks: { readonly afterEach?: (t: TrackedStandIn) => void } = {}): TrackedStandIn {
  let started: TrackedStandIn | undefined;
  const current = (): TrackedStandIn => {
    if (!started) throw new Error('The tracked stand-in is used outside a test — use it inside it(), after beforeAll has run');
    return started;
  };

  beforeAll(async () => {
    started = await startTrackedStandIn();
  });

  afterEach(() => {
    current().recorder.clear();
    hooks.afterEach?.(current());
  });

  afterAll(async () => {
    await started?.close();
  });

  return {
    get standIn() {
      return current().standIn;
    },
    get client() {
      return current().client;
    },
    get recorder() {
      return current().recorder;
    },
    get trackingErrors() {
      return current().trackingErrors;
    },
    close: () => current().close(),
  };
}

/** JSON of anything, bigints as strings (costs are bigint femto-dollars). */
export function stringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Consumes a stream to its end or first error, returning what arrived. */
export async function drain(iterable: AsyncIterable<unknown> | undefined): Promise<{ readonly events: unknown[]; readonly error?: unknown }> {
  const events: unknown[] = [];
  try {
    for await (const event of iterable ?? []) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

export const decoder = new TextDecoder();
