import { createInterface } from 'node:readline';

import type { Container, ContainerModule } from 'inversify';

import { AgentRuntime, parseAgentTask, runTaskWorker, type TaskResult } from '@bedrock-usage/agent-runtime';
import { settleWithin, UsageError } from '@bedrock-usage/core';
import { withUsageFlush, type LambdaContextLike } from '@bedrock-usage/sinks';

import type { AgentConfig } from './agent-config';
import { agentPipelineModule } from './agent.module';
import { domainModule } from './domain.module';
import { usageStoreModule } from './store.module';
import { TOKENS } from './tokens';

/**
 * What an agent app gives the shared entry points: its `loadConfig` and its composition root (the app creates the
 * container — only apps do).
 *
 * @example
 * const app: AgentApp = {
 *   loadConfig,
 *   createContainer: (config) => { const container = new Container(); container.load(...agentModules(config)); return container; },
 * };
 */
export interface AgentApp {
  loadConfig(env: NodeJS.ProcessEnv): AgentConfig;
  createContainer(config: AgentConfig): Pick<Container, 'get' | 'getAsync'>;
}

/**
 * The long-running worker's surroundings; the real process wires stdin, stdout/stderr and SIGTERM/SIGINT.
 *
 * @example
 * const io: AgentWorkerIo = { tasks: createInterface({ input: process.stdin }), log: (line) => process.stderr.write(`${line}\n`), onStop: (stop) => process.once('SIGTERM', stop) };
 */
export interface AgentWorkerIo {
  /** The task queue: one JSON task per line. */
  readonly tasks: AsyncIterable<string>;
  /** One JSON log line (ids and counts only: never prompt or completion text). */
  log(line: string): void;
  /** Registers what to call when the process is asked to stop. */
  onStop(stop: () => void): void;
}

/**
 * The lines of a stream (the worker's stdin) as the task source of {@link runAgentWorker}. Reading starts at once, so
 * lines that arrive while the process is still starting (composition, spool replay) are kept, not lost, and a stream
 * that ends early still ends the loop.
 *
 * @example
 * const tasks = taskLines(process.stdin);
 */
export function taskLines(input: NodeJS.ReadableStream): AsyncIterable<string> {
  const iterator = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  return { [Symbol.asyncIterator]: () => iterator };
}

/**
 * The container modules of one agent process: domain (price book), usage store, and the agent's pipeline and
 * tracked Bedrock client.
 *
 * @example
 * container.load(...agentModules(loadConfig(process.env)));
 */
export function agentModules(config: AgentConfig): ContainerModule[] {
  return [domainModule(), usageStoreModule(config.store), agentPipelineModule(config.pipeline)];
}

/**
 * An agent app from its `loadConfig` and its container constructor (the app passes `() => new Container()`, so the
 * container is still created only in the app): the container gets {@link agentModules} of the config.
 *
 * @example
 * export const app = agentApp(loadConfig, () => new Container());
 */
export function agentApp(loadConfig: AgentApp['loadConfig'], newContainer: () => Container): AgentApp {
  return {
    loadConfig,
    createContainer: (config) => {
      const container = newContainer();
      container.load(...agentModules(config));
      return container;
    },
  };
}

/**
 * The long-running worker: reads the config once (a bad value: logged, exit code 2), composes, takes tasks from
 * `io.tasks` until they end or a stop is requested — a task in progress then gets half the shutdown deadline to
 * finish — and shuts the pipeline down (deliver or spool within the deadline). Resolves with the exit code: 0, 1 when events were dropped or start-up failed, 2 bad configuration.
 *
 * @example
 * process.exitCode = await runAgentWorker(app, process.env, io);
 */
export async function runAgentWorker(app: AgentApp, env: NodeJS.ProcessEnv, io: AgentWorkerIo): Promise<number> {
  let config: AgentConfig;
  try {
    config = app.loadConfig(env);
  } catch (error) {
    io.log(JSON.stringify({ level: 'error', message: 'invalid configuration — not started', error: (error as Error).message }));
    return error instanceof UsageError ? 2 : 1;
  }
  const { agentId } = config.definition;
  const container = app.createContainer(config);
  const shutdown = container.get(TOKENS.AgentShutdown);
  let stopRequested: (() => void) | undefined;
  const stop = new Promise<'stop'>((resolve) => (stopRequested = () => resolve('stop')));
  io.onStop(() => stopRequested?.());
  let code = 0;
  try {
    const runtime = new AgentRuntime({ definition: config.definition, model: config.model, port: await container.getAsync(TOKENS.ModelPort) });
    io.log(JSON.stringify({ level: 'info', message: 'agent ready: one JSON task per line', agentId, model: runtime.model, callShape: runtime.callShape }));
    let stopping = false;
    let inFlight = false;
    // A line handed to the loop is a task in progress until the loop asks for the next one.
    async function* tracked(): AsyncIterable<string> {
      for await (const line of io.tasks) {
        inFlight = true;
        yield line;
        inFlight = false;
      }
    }
    const work = runTaskWorker(tracked(), runtime, {
      stopped: () => stopping,
      onOutcome: (outcome) => io.log(JSON.stringify({ level: outcome.ok ? 'info' : 'error', message: outcome.ok ? 'task done' : 'task failed', ...outcome })),
    });
    const ended = await Promise.race([work.then((summary) => ({ summary })), stop]);
    stopping = true;
    if (ended !== 'stop') io.log(JSON.stringify({ level: 'info', message: 'tasks ended', agentId, ...ended.summary }));
    else if (inFlight) {
      // The call in progress is billed by Bedrock: give it half the deadline to finish and be recorded.
      io.log(JSON.stringify({ level: 'info', message: 'stop requested: finishing the task in progress', agentId }));
      await settleWithin(work, config.pipeline.shutdownDeadlineMs / 2);
    }
  } catch (error) {
    io.log(JSON.stringify({ level: 'error', message: 'agent failed', agentId, error: (error as Error).message }));
    code = 1;
  }
  const report = await shutdown();
  io.log(JSON.stringify({ level: report.dropped > 0 ? 'error' : 'info', message: 'usage pipeline shut down', agentId, ...report }));
  return report.dropped > 0 ? 1 : code;
}

/**
 * An agent app's `main` as a real process: {@link runAgentWorker} on stdin (one JSON task per line), SIGTERM/SIGINT
 * stop it (flush or spool), logs to stderr (stdout carries the EMF lines), and the process exits with the worker's
 * code once stderr has taken the last lines.
 *
 * @example
 * if (require.main === module) runAgentProcess(app);
 */
export function runAgentProcess(app: AgentApp): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  void runAgentWorker(app, process.env, {
    tasks: taskLines(process.stdin),
    log: (line) => process.stderr.write(`${line}\n`),
    onStop: (stop) => {
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
  }).then((code) => {
    // Exit once stderr has taken the last log lines (a pipe is written asynchronously).
    process.stderr.write('', () => process.exit(code));
  });
}

/**
 * The Lambda handler: the event is a task (`{ incidentId, input }`); configuration and composition happen once, at
 * the first invocation; each invocation runs the task and flushes the pipeline in `finally` (within the remaining
 * time) — what a sink refuses goes to the spool (stdout on Lambda). Returns the task's result.
 *
 * @example
 * export const handler = createAgentHandler(app, process.env);
 */
export function createAgentHandler(app: AgentApp, env: NodeJS.ProcessEnv): (event: unknown, context: LambdaContextLike) => Promise<TaskResult> {
  let ready: Promise<{ runtime: AgentRuntime; flush: (event: unknown, context: LambdaContextLike) => Promise<TaskResult> }> | undefined;
  const init = async (): Promise<{ runtime: AgentRuntime; flush: (event: unknown, context: LambdaContextLike) => Promise<TaskResult> }> => {
    const config = app.loadConfig(env);
    const container = app.createContainer(config);
    const port = await container.getAsync(TOKENS.ModelPort);
    const pipeline = await container.getAsync(TOKENS.UsagePipeline);
    const runtime = new AgentRuntime({ definition: config.definition, model: config.model, port });
    return { runtime, flush: withUsageFlush(async (event: unknown) => runtime.runTask(parseAgentTask(event)), pipeline) };
  };
  return async (event, context) => {
    ready ??= init();
    const started = await ready.catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return started.flush(event, context);
  };
}
