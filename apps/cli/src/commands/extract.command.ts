import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

import { BEDROCK_APIS } from '@bedrock-usage/core';
import { extractUsage, type RawBedrockCall } from '@bedrock-usage/extraction';

import { CliError, type CliIo } from '../cli-io';

export const EXTRACT_HELP = `Usage: npm run -s cli -- extract FILE...

Reads captured Bedrock responses (the shared/fixtures/bedrock format: {id?, api, modelId, statusCode, headers, body})
and prints one JSON line per file: {"id": <the file's id>, ...result}, where result is
  success   {inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens, totalTokens, latencyMs, usageSource, flags, ...}
  error     {error: "<ExceptionName>", retryable, statusCode}
  rejected  {rejected: true, reason}
Exit 0 when every file was read (rejected responses included); exit 2 when a file cannot be read or is not
in the fixture format (the other files are still printed).`;

/** `extract FILE...`: one JSON line per captured response. */
export function extractCommand(argv: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({ args: [...argv], options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  if (values.help) {
    io.out(EXTRACT_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new CliError(`extract needs at least one FILE\n\n${EXTRACT_HELP}`);
  let exitCode = 0;
  for (const file of positionals) {
    try {
      const { id, call } = readCapturedCall(file);
      io.out(JSON.stringify({ id, ...extractUsage(call) }));
    } catch (error) {
      io.err(`extract: ${(error as Error).message}`);
      exitCode = 2;
    }
  }
  return exitCode;
}

function readCapturedCall(file: string): { id: string; call: RawBedrockCall } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: is not JSON (${(error as Error).message}) — expected the fixture format {api, modelId, statusCode, headers, body}`, { cause: error });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new Error(`${file}: is not a JSON object — expected the fixture format {api, modelId, statusCode, headers, body}`);
  }
  const record = doc as Record<string, unknown>;
  const problem = fixtureProblem(record);
  if (problem) throw new Error(`${file}: ${problem}`);
  const id = typeof record.id === 'string' ? record.id : basename(file).replace(/\.json$/i, '');
  return { id, call: record as unknown as RawBedrockCall };
}

function fixtureProblem(doc: Record<string, unknown>): string | undefined {
  if (!BEDROCK_APIS.includes(doc.api as never)) return `field "api" is ${JSON.stringify(doc.api)} — allowed: ${BEDROCK_APIS.join(', ')}`;
  if (typeof doc.modelId !== 'string' || doc.modelId === '') return `field "modelId" is ${JSON.stringify(doc.modelId)} — a model id, profile id or ARN string is required`;
  if (!Number.isInteger(doc.statusCode) || (doc.statusCode as number) < 100 || (doc.statusCode as number) > 599) {
    return `field "statusCode" is ${JSON.stringify(doc.statusCode)} — an HTTP status from 100 to 599 is required`;
  }
  const headers = doc.headers;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return `field "headers" must be an object of {name: string value}`;
  const bad = Object.entries(headers).find(([, value]) => typeof value !== 'string');
  if (bad) return `field "headers.${bad[0]}" is ${JSON.stringify(bad[1])} — header values are strings`;
  if (!('body' in doc)) return 'field "body" is missing — the parsed JSON body, an array of stream events, or a string';
  return undefined;
}
