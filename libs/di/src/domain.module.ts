import { ContainerModule } from 'inversify';

import { systemClock } from '@bedrock-usage/core';
import { ConfigInferenceProfileResolver, parsePriceOverrides, PriceBook } from '@bedrock-usage/pricing';

import { TOKENS } from './tokens';

/** Options of {@link domainModule}, already read by the app's `loadConfig`. */
export interface DomainModuleOptions {
  /**
   * The parsed JSON of the price-overrides file; validated here, so a bad file stops start-up with the model,
   * field and allowed values.
   * @default none (the built-in book only)
   */
  readonly priceOverrides?: unknown;
  /**
   * Application inference-profile ARN → model id, for profiles the price book cannot resolve by itself.
   * @default {}
   */
  readonly inferenceProfiles?: Readonly<Record<string, string>>;
}

/**
 * The domain layer: clock and price book.
 *
 * @example
 * const container = new Container();
 * container.load(domainModule({ priceOverrides: JSON.parse(readFileSync(file, 'utf8')) }));
 */
export function domainModule(options: DomainModuleOptions = {}): ContainerModule {
  const overrides = options.priceOverrides === undefined ? undefined : parsePriceOverrides(options.priceOverrides);
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Clock).toConstantValue(systemClock);
    bind(TOKENS.PriceBook)
      .toResolvedValue(() => PriceBook.builtIn({ overrides, resolver: new ConfigInferenceProfileResolver(options.inferenceProfiles ?? {}) }))
      .inSingletonScope();
  });
}
