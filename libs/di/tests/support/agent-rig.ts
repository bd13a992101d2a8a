import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Container } from 'inversify';

import type { UsageEvent } from '@bedrock-usage/core';
import { DynamoDbUsageStoreReader } from '@bedrock-usage/sinks';
import { localDynamoDbClientConfig, startDynalite, type DynaliteServer } from '@bedrock-usage/testing';
import { defaultBedrockResponder, startBedrockStandIn, type BedrockStandIn, type StandInResponse } from '@bedrock-usage/stand-ins';

import { agentModules, loadAgentConfig, type AgentApp, type AgentDefinition } from '../../src';

/** The token counts one stand-in answer reported (headers, stream metrics, Converse usage). */
export interface ReportedTokens {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/**
 * Real parts for agent tests: the Bedrock stand-in (HTTP/2, the real SDK), dynalite, and a temp directory for the EMF
 * file and the spool. Each answer's reported tokens are kept, read from the answer the stand-in sent.
 */
export class AgentRig {
  readonly answers: ReportedTokens[] = [];
  readonly dir: string;
  #table = 0;

  private constructor(
    readonly standIn: BedrockStandIn,
    readonly dynamo: DynaliteServer,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'bedrock-usage-agent-'));
    standIn.respondWith(async (request) => {
      const answer = await defaultBedrockResponder(request);
      this.answers.push(reportedTokens(answer));
      return answer;
    });
  }

  static async start(): Promise<AgentRig> {
    const [standIn, dynamo] = await Promise.all([startBedrockStandIn(), startDynalite()]);
    return new AgentRig(standIn, dynamo);
  }

  /** An environment pointing every part at the rig, with a fresh table. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    this.#table += 1;
    return {
      BEDROCK_USAGE_DYNAMODB_ENDPOINT: this.dynamo.endpoint,
      BEDROCK_USAGE_BEDROCK_ENDPOINT: this.standIn.endpoint,
      BEDROCK_USAGE_TABLE: `agents-${this.#table}`,
      BEDROCK_USAGE_EMF_FILE: join(this.dir, `emf-${this.#table}.log`),
      BEDROCK_USAGE_DATA_DIR: join(this.dir, `data-${this.#table}`),
      BEDROCK_USAGE_HEARTBEAT_INTERVAL_MS: '0',
      AWS_REGION: 'us-east-1',
      ...extra,
    };
  }

  /** An agent app over a definition, composed like the apps do. */
  app(definition: AgentDefinition, modelVariable = 'BEDROCK_USAGE_TEST_MODEL'): AgentApp {
    return {
      loadConfig: (env) => loadAgentConfig(env, { definition, modelVariable, defaultDataDir: join(this.dir, 'default-data') }),
      createContainer: (config) => {
        const container = new Container();
        container.load(...agentModules(config));
        return container;
      },
    };
  }

  /** The usage events of an incident, as stored in the table of `env`. */
  async storedEvents(env: NodeJS.ProcessEnv, incidentId: string): Promise<readonly UsageEvent[]> {
    const client = new DynamoDBClient(localDynamoDbClientConfig(this.dynamo.endpoint));
    try {
      return await new DynamoDbUsageStoreReader({ client, tableName: env.BEDROCK_USAGE_TABLE ?? '' }).eventsOfIncident(incidentId);
    } finally {
      client.destroy();
    }
  }

  /** The usage EMF lines (those with an event id) of the EMF file of `env`. */
  emfUsageLines(env: NodeJS.ProcessEnv): Record<string, unknown>[] {
    const text = readFileSync(env.BEDROCK_USAGE_EMF_FILE ?? '', 'utf8');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => typeof line['event_id'] === 'string');
  }

  async close(): Promise<void> {
    await Promise.all([this.standIn.close(), this.dynamo.close()]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Tasks as an async source of lines, like stdin. */
export async function* lines(...tasks: readonly object[]): AsyncIterable<string> {
  for (const task of tasks) yield JSON.stringify(task);
}

function reportedTokens(answer: StandInResponse): ReportedTokens {
  if ('stream' in answer) {
    for (const event of [...answer.stream].reverse()) {
      if ('chunk' in event) {
        const metrics = (event.chunk as Record<string, Record<string, number> | undefined>)['amazon-bedrock-invocationMetrics'];
        if (metrics) return { inputTokens: metrics['inputTokenCount'] ?? 0, outputTokens: metrics['outputTokenCount'] ?? 0 };
      }
      if ('event' in event && event.event === 'metadata') {
        const usage = (event.payload as { usage: ReportedTokens }).usage;
        return { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
      }
    }
    throw new Error('the stand-in stream reported no usage');
  }
  const headers = answer.headers ?? {};
  if (headers['X-Amzn-Bedrock-Input-Token-Count'] !== undefined) {
    return { inputTokens: Number(headers['X-Amzn-Bedrock-Input-Token-Count']), outputTokens: Number(headers['X-Amzn-Bedrock-Output-Token-Count']) };
  }
  const usage = (answer.body as { usage: ReportedTokens }).usage;
  return { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
}
