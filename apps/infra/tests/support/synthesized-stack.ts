import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Template } from 'aws-cdk-lib/assertions';
import type { App } from 'aws-cdk-lib';

import { buildApp } from '../../src/main';
import type { UsageStack } from '../../src/usage-stack';

/** A synthesized stack and its template (Lambda bundling skipped unless asked: it is tested once, in the synth test). */
export interface SynthesizedStack {
  readonly app: App;
  readonly stack: UsageStack;
  readonly template: Template;
  /** The template as JSON, for walking every resource. */
  readonly json: { readonly Resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>> };
}

/** Builds the app for `context` (the defaults of cdk.json when empty) into a temporary directory. */
export function synthesizedStack(context: Readonly<Record<string, unknown>> = {}): SynthesizedStack {
  const { app, stack } = buildApp({ 'aws:cdk:bundling-stacks': [], ...context }, mkdtempSync(join(tmpdir(), 'bedrock-usage-cdk-')));
  const template = Template.fromStack(stack);
  return { app, stack, template, json: template.toJSON() as SynthesizedStack['json'] };
}

/** Every resource of a type, as [logical id, properties]. */
export function resourcesOf(json: SynthesizedStack['json'], type: string): [string, Record<string, unknown>][] {
  return Object.entries(json.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => [id, resource.Properties ?? {}]);
}
