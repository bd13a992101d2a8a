import { GetInferenceProfileCommand, type BedrockClient } from '@aws-sdk/client-bedrock';
import type { InferenceProfileResolver } from '@bedrock-usage/pricing';

/**
 * Options of {@link BedrockInferenceProfileResolver}.
 *
 * @example
 * new BedrockInferenceProfileResolver({ client: new BedrockClient({}), onResolved: (arn, model) => repricer.reprice(arn, model) });
 */
export interface BedrockInferenceProfileResolverOptions {
  /** A control-plane client (the caller owns it and destroys it). */
  readonly client: BedrockClient;
  /** Called once per ARN when its model becomes known, so pending events can be re-priced. */
  readonly onResolved?: (arn: string, modelId: string) => void;
  /** Receives failed look-ups (never thrown). @default ignored (the ARN stays pending and is retried later) */
  readonly onError?: (error: unknown, arn: string) => void;
  /** Known mappings (ARN → model id), e.g. from config. @default {} */
  readonly initial?: Readonly<Record<string, string>>;
  /** Abandon one GetInferenceProfile call after this long. @default 5000 */
  readonly timeoutMs?: number;
  /** After a failure, a new `request` for the same ARN is ignored for this long. @default 60000 */
  readonly retryAfterMs?: number;
}

const FOUNDATION_MODEL_ARN = /^arn:aws[a-z-]*:bedrock:([a-z0-9-]*):\d*:foundation-model\/(.+)$/;

/** A geo profile prefix for a set of regions (`us-east-1`, `us-west-2` → `us.`), when they share one area. */
function geoPrefix(regions: ReadonlySet<string>): string {
  if (regions.size < 2) return '';
  const all = [...regions];
  if (all.every((r) => r.startsWith('us-gov-'))) return 'us-gov.';
  if (all.every((r) => r.startsWith('us-'))) return 'us.';
  if (all.every((r) => r.startsWith('eu-'))) return 'eu.';
  if (all.every((r) => r.startsWith('ap-'))) return 'apac.';
  return '';
}

/**
 * The model id an application inference profile routes to, from GetInferenceProfile's `models`: the first
 * foundation-model ARN without its `arn:aws:bedrock:REGION::foundation-model/` prefix. A profile copied from a
 * cross-region (geo) profile lists the model in several regions of one area: its id gets that area's prefix
 * (`us.`, `eu.`, `apac.`, `us-gov.`) so it is priced with geo routing.
 *
 * @example
 * modelIdOfProfile([{ modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0' }]) // 'amazon.nova-lite-v1:0'
 */
export function modelIdOfProfile(models: readonly { readonly modelArn?: string }[] | undefined): string | undefined {
  const regions = new Set<string>();
  let modelId: string | undefined;
  for (const { modelArn } of models ?? []) {
    const match = FOUNDATION_MODEL_ARN.exec(modelArn ?? '');
    if (!match) continue;
    regions.add(match[1] ?? '');
    modelId ??= match[2];
  }
  return modelId === undefined ? undefined : `${geoPrefix(regions)}${modelId}`;
}

/**
 * pricing's {@link InferenceProfileResolver} answered by the Bedrock control plane: `lookup` reads an in-memory
 * cache only (it runs on the agent's call path); `request` starts one background GetInferenceProfile per ARN
 * (deduplicated, timed out, timers unref'd, errors reported and never thrown), caches `models[0]` → model id and
 * calls `onResolved`. The IAM role needs `bedrock:GetInferenceProfile`.
 *
 * @example
 * const resolver = new BedrockInferenceProfileResolver({ client: new BedrockClient({ region: 'us-east-1' }) });
 * const pricer = PriceBook.builtIn({ resolver });
 * trackBedrockClient(runtimeClient, { recorder, pricer });
 */
export class BedrockInferenceProfileResolver implements InferenceProfileResolver {
  readonly #client: BedrockClient;
  readonly #options: BedrockInferenceProfileResolverOptions;
  readonly #models = new Map<string, string>();
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #failedAt = new Map<string, number>();

  constructor(options: BedrockInferenceProfileResolverOptions) {
    this.#client = options.client;
    this.#options = options;
    for (const [arn, model] of Object.entries(options.initial ?? {})) this.#models.set(arn, model);
  }

  /**
   * The model id of a resolved profile, from memory; undefined until resolved.
   *
   * @example
   * resolver.lookup(arn) // 'anthropic.claude-3-5-haiku-20241022-v1:0'
   */
  lookup(arn: string): string | undefined {
    return this.#models.get(arn);
  }

  /**
   * Starts resolving `arn` in the background unless it is known, in flight, or failed less than `retryAfterMs` ago.
   * Returns at once; never throws.
   *
   * @example
   * resolver.request(arn); await resolver.settled(); resolver.lookup(arn);
   */
  request(arn: string): void {
    try {
      if (this.#models.has(arn) || this.#inFlight.has(arn)) return;
      const failedAt = this.#failedAt.get(arn);
      if (failedAt !== undefined && Date.now() - failedAt < (this.#options.retryAfterMs ?? 60_000)) return;
      const pending = this.#resolve(arn).finally(() => this.#inFlight.delete(arn));
      this.#inFlight.set(arn, pending);
    } catch (error) {
      this.#fail(error, arn);
    }
  }

  /**
   * Resolves once every look-up started so far has finished (for tests and shutdown).
   *
   * @example
   * await resolver.settled();
   */
  async settled(): Promise<void> {
    await Promise.all([...this.#inFlight.values()]);
  }

  async #resolve(arn: string): Promise<void> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.#options.timeoutMs ?? 5_000);
    timer.unref();
    try {
      const profile = await this.#client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: arn }), { abortSignal: abort.signal });
      const modelId = modelIdOfProfile(profile.models);
      if (modelId === undefined) throw new Error(`inference profile "${arn}" lists no foundation-model ARN`);
      this.#models.set(arn, modelId);
      this.#failedAt.delete(arn);
      try {
        this.#options.onResolved?.(arn, modelId);
      } catch (error) {
        this.#fail(error, arn, false);
      }
    } catch (error) {
      this.#fail(error, arn);
    } finally {
      clearTimeout(timer);
    }
  }

  #fail(error: unknown, arn: string, markFailed = true): void {
    if (markFailed) this.#failedAt.set(arn, Date.now());
    try {
      this.#options.onError?.(error, arn);
    } catch {
      // never thrown
    }
  }
}
