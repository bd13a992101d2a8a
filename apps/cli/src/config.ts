import { CliError } from './cli-io';

/** The CLI's settings, from the environment; validated once at start. */
export interface CliConfig {
  /** BEDROCK_USAGE_REGION, else AWS_REGION, else us-east-1: the region prices are looked up for. */
  readonly region: string;
  /** BEDROCK_USAGE_PRICING_FILE: a JSON file of price overrides merged over the built-in book. */
  readonly pricingFile?: string;
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;

/**
 * The only place the CLI reads `process.env`. A bad value stops start-up naming the variable, the value and what
 * is allowed.
 */
export function loadConfig(env: NodeJS.ProcessEnv): CliConfig {
  const region = env.BEDROCK_USAGE_REGION || env.AWS_REGION || 'us-east-1';
  const variable = env.BEDROCK_USAGE_REGION ? 'BEDROCK_USAGE_REGION' : 'AWS_REGION';
  if (!REGION.test(region)) throw new CliError(`${variable}="${region}" is not an AWS region — use one like us-east-1 or eu-central-1`);
  const pricingFile = env.BEDROCK_USAGE_PRICING_FILE || undefined;
  return { region, pricingFile };
}

/** True when the string is shaped like an AWS region name. */
export function isRegion(value: string): boolean {
  return REGION.test(value);
}
