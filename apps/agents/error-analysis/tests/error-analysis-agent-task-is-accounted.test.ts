import { describeAgentApp } from '@bedrock-usage/agent-testing';
import { DEFINITION, loadConfig } from '../src/config';
import { app } from '../src/main';

describeAgentApp({ app, definition: DEFINITION, loadConfig });
