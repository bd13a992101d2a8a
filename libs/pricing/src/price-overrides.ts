import { validatePriceDocument } from './internal/price-entry-validation';
import type { PriceOverrides } from './pricing.types';

/**
 * Validates an already-parsed overrides document — the app reads the file (e.g. BEDROCK_USAGE_PRICING_FILE)
 * and `JSON.parse`s it; this lib never touches the file system.
 *
 * Schema: `{ "version"?: 1, "prices": PriceEntry[] }`, each entry shaped like the built-in book's
 * (see README): amounts are decimal strings of USD per 1M tokens with at most 9 decimal places, dates are
 * YYYY-MM-DD, regions and routing are listed explicitly. Throws one `UsageError('INVALID_PRICE_BOOK')` naming
 * every bad entry, field and what is allowed.
 *
 * @example
 * const overrides = parsePriceOverrides({
 *   prices: [{ model: 'acme.custom-v1', from: '2025-06-01', regions: ['us-east-1'], input: '0.5', output: '1.5',
 *              source: 'contract ACME-42', asOf: '2025-06-01' }],
 * });
 * const book = PriceBook.builtIn({ overrides });
 */
export function parsePriceOverrides(json: unknown): PriceOverrides {
  return { prices: validatePriceDocument(json, 'override') };
}
