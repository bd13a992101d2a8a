/** @see describeAgentApp */
export { describeAgentApp } from './agent-app-contract';
