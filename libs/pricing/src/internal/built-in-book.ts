import builtInDocument from './price-book.json';
import type { PriceEntry } from '../pricing.types';
import { validatePriceDocument } from './price-entry-validation';

let validated: readonly PriceEntry[] | undefined;

/** The built-in price book's entries, validated on first use (a bad edit to the JSON fails loudly). */
export function validateDocumentOnce(): readonly PriceEntry[] {
  validated ??= validatePriceDocument(builtInDocument as unknown, 'built-in');
  return validated;
}
