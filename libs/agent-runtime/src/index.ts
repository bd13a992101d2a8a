export { CALL_SHAPES, parseAgentTask, validateAgentDefinition } from './agent-definition';
export type { AgentDefinition, AgentTask, CallShape } from './agent-definition';
export { AgentRuntime } from './agent-runtime';
export type { AgentRuntimeOptions, TaskResult } from './agent-runtime';
export { invokeModelBody, invokeModelText, invokeStreamChunkText, modelFamilyOf } from './model-family';
export type { ModelFamily } from './model-family';
export type { ConverseRequest, InvokeRequest, ModelPort } from './model-port';
export { runTaskWorker } from './task-worker';
export type { TaskOutcome, TaskWorkerOptions, TaskWorkerSummary } from './task-worker';
