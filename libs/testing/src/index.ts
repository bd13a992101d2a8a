export { BEDROCK_FIXTURES_DIR, loadBedrockFixtures } from './bedrock-fixtures';
export type { BedrockFixture } from './bedrock-fixtures';
