import { UsageError } from '@bedrock-usage/core';
import type { InferenceProfileResolver } from './pricing.types';

const APPLICATION_PROFILE_ARN = /^arn:aws(?:-[a-z]+)*:bedrock:[a-z0-9-]+:\d{12}:application-inference-profile\/[A-Za-z0-9]+$/;

/**
 * An {@link InferenceProfileResolver} answered from configuration: a mapping of application inference-profile
 * ARN → the model id (or system profile id) it routes to. `lookup` reads memory only; `request` records the ARN
 * as wanted so the app can report it (`pending()`), and `learn` adds a mapping at run time (e.g. after a
 * background `GetInferenceProfile` in an adapter), after which new events are priced.
 *
 * @example
 * const resolver = new ConfigInferenceProfileResolver({
 *   'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123': 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
 * });
 * const book = PriceBook.builtIn({ resolver });
 */
export class ConfigInferenceProfileResolver implements InferenceProfileResolver {
  readonly #models = new Map<string, string>();
  readonly #pending = new Set<string>();

  /** Throws `UsageError('INVALID_CONFIG')` naming the first key that is not an application-profile ARN. */
  constructor(mapping: Readonly<Record<string, string>> = {}) {
    for (const [arn, model] of Object.entries(mapping)) this.learn(arn, model);
  }

  /**
   * The model the profile routes to, from memory.
   *
   * @example
   * resolver.lookup(arn) // 'us.anthropic.claude-3-5-haiku-20241022-v1:0'
   */
  lookup(arn: string): string | undefined {
    return this.#models.get(arn);
  }

  /**
   * Notes that an event needed this profile; never blocks, never throws.
   *
   * @example
   * resolver.request(arn); resolver.pending() // [arn]
   */
  request(arn: string): void {
    if (!this.#models.has(arn)) this.#pending.add(arn);
  }

  /**
   * Adds or replaces a mapping. Throws `UsageError('INVALID_CONFIG')` when `arn` is not an application
   * inference-profile ARN or `model` is empty.
   *
   * @example
   * resolver.learn(arn, 'anthropic.claude-3-5-haiku-20241022-v1:0');
   */
  learn(arn: string, model: string): void {
    if (!APPLICATION_PROFILE_ARN.test(arn)) {
      throw new UsageError(
        'INVALID_CONFIG',
        `inference profile "${arn}" is not an application inference-profile ARN (arn:aws:bedrock:REGION:ACCOUNT:application-inference-profile/ID)`,
      );
    }
    if (typeof model !== 'string' || model.trim().length === 0) {
      throw new UsageError('INVALID_CONFIG', `inference profile "${arn}" maps to ${JSON.stringify(model)} — give the model id it routes to`);
    }
    this.#models.set(arn, model);
    this.#pending.delete(arn);
  }

  /**
   * ARNs requested but not mapped yet, for a doctor/report line ("add these to config").
   *
   * @example
   * resolver.pending() // ['arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/zzz']
   */
  pending(): readonly string[] {
    return [...this.#pending];
  }
}
