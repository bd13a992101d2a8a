import type { ServiceIdentifier } from 'inversify';

import type { Clock } from '@bedrock-usage/core';
import type { PriceBook } from '@bedrock-usage/pricing';

/**
 * Every injectable of bedrock-usage, by port. Domain classes carry no decorators: the modules bind them with
 * `toResolvedValue`, and only apps create a container.
 *
 * @example
 * const book = container.get(TOKENS.PriceBook);
 */
export const TOKENS = {
  Clock: Symbol.for('bedrock-usage.Clock') as ServiceIdentifier<Clock>,
  PriceBook: Symbol.for('bedrock-usage.PriceBook') as ServiceIdentifier<PriceBook>,
} as const;
