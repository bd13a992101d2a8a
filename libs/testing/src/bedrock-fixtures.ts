import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { BedrockApi } from '@bedrock-usage/core';

/** One captured Bedrock response with its expected extraction (shared/fixtures/bedrock/README.md). */
export interface BedrockFixture {
  readonly id: string;
  readonly description: string;
  readonly api: BedrockApi;
  readonly modelId: string;
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly expected: Readonly<Record<string, unknown>>;
  readonly source: string;
  /** Absolute path of the file. */
  readonly file: string;
}

/** The folder holding the shared Bedrock fixtures (a copy of shared/fixtures/bedrock kept in the repo). */
export const BEDROCK_FIXTURES_DIR = join(__dirname, '..', 'fixtures', 'bedrock');

/**
 * Every fixture, ordered by file name.
 *
 * @example
 * for (const fixture of loadBedrockFixtures()) expect(extractUsage(fixture)).toMatchObject(fixture.expected);
 */
export function loadBedrockFixtures(dir: string = BEDROCK_FIXTURES_DIR): BedrockFixture[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      return { ...(JSON.parse(readFileSync(file, 'utf8')) as Omit<BedrockFixture, 'file'>), file };
    });
}
