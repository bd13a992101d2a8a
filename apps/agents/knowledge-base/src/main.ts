import { Container } from 'inversify';

import { agentApp, createAgentHandler, runAgentProcess, type AgentApp } from '@bedrock-usage/di';

import { loadConfig } from './config';

/**
 * The composition root of the knowledge base agent: its config and its container (the only `new Container()`).
 *
 * @example
 * const container = app.createContainer(app.loadConfig(process.env));
 */
export const app: AgentApp = agentApp(loadConfig, () => new Container());

/**
 * The Lambda entry point: the event is a task `{ "incidentId": "...", "input": "..." }`; the usage pipeline is flushed
 * in `finally`, before the handler returns.
 *
 * @example
 * // CDK: new lambda.Function(this, 'Agent', { handler: 'main.handler', ... })
 */
export const handler = createAgentHandler(app, process.env);

// The long-running worker: one JSON task per line on stdin; SIGTERM/SIGINT (or the end of stdin) flush or spool, then exit.
if (require.main === module) runAgentProcess(app);
