import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

import { UsageError } from '@bedrock-usage/core';

import { loadInfraConfig } from './infra-config';
import { UsageStack } from './usage-stack';

/** The repository root (apps/infra/src → ../../..). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Builds the app: the stack from the context's configuration, checked by cdk-nag's AwsSolutions rules. `context`
 * is cdk.json's context with the command line's over it (the CDK CLI passes both in CDK_CONTEXT_JSON).
 *
 * @example
 * const { app, stack } = buildApp({ region: 'eu-west-1' }, 'apps/infra/cdk.out');
 */
export function buildApp(context: Readonly<Record<string, unknown>>, outdir: string): { app: App; stack: UsageStack } {
  const config = loadInfraConfig(context);
  const app = new App({ outdir, context: { ...context } });
  const stack = new UsageStack(app, 'BedrockUsage', {
    config,
    repoRoot: REPO_ROOT,
    description: 'bedrock-usage: usage table, alert topics, batch publisher, reporting worker, agent roles, alarms and dashboards',
    env: { region: config.region, ...(config.account === undefined ? {} : { account: config.account }) },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

/**
 * `npm run synth`: synthesizes into apps/infra/cdk.out (offline: no AWS call, Lambda code bundled with the local
 * esbuild) and prints the template's path; cdk-nag findings or a bad context value fail it (exit 1 / 2).
 *
 * @example
 * process.exitCode = synth(process.env, (line) => console.log(line));
 */
export function synth(env: NodeJS.ProcessEnv, print: (line: string) => void): number {
  const fromCli = env.CDK_CONTEXT_JSON === undefined ? {} : (JSON.parse(env.CDK_CONTEXT_JSON) as Record<string, unknown>);
  const file = JSON.parse(readFileSync(join(REPO_ROOT, 'apps/infra/cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  let built: ReturnType<typeof buildApp>;
  try {
    built = buildApp({ ...file.context, ...fromCli }, env.CDK_OUTDIR ?? join(REPO_ROOT, 'apps/infra/cdk.out'));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    print(`cdk.json context: ${error.message}`);
    return 2;
  }
  const assembly = built.app.synth();
  const errors = assembly.stacks.flatMap((stack) => stack.messages.filter((message) => message.level === 'error').map((message) => `${message.id}: ${String(message.entry.data)}`));
  for (const error of errors) print(error);
  for (const stack of assembly.stacks) print(`synthesized ${stack.stackName}: ${stack.templateFullPath}`);
  return errors.length > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = synth(process.env, (line) => process.stdout.write(`${line}\n`));
