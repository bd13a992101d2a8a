import { tokenUsage } from '@bedrock-usage/core';
import { PriceBook, resolveModelId } from '../src';

const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';

describe('Model ids resolve in every form Bedrock accepts', () => {
  it.each([
    [HAIKU, { kind: 'model', model: HAIKU, routing: 'in-region' }],
    [`us.${HAIKU}`, { kind: 'model', model: HAIKU, routing: 'geo' }],
    [`eu.${HAIKU}`, { kind: 'model', model: HAIKU, routing: 'geo' }],
    [`apac.${HAIKU}`, { kind: 'model', model: HAIKU, routing: 'geo' }],
    [`jp.${HAIKU}`, { kind: 'model', model: HAIKU, routing: 'geo' }],
    [`au.${HAIKU}`, { kind: 'model', model: HAIKU, routing: 'geo' }],
    [`us-gov.${HAIKU}`, { kind: 'model', model: HAIKU, routing: 'geo' }],
    [`global.${HAIKU}`, { kind: 'model', model: HAIKU, routing: 'global' }],
    [`arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${HAIKU}`, { kind: 'model', model: HAIKU, routing: 'geo', profileRegion: 'us-east-1' }],
    [`arn:aws:bedrock:eu-west-1:123456789012:inference-profile/global.${HAIKU}`, { kind: 'model', model: HAIKU, routing: 'global', profileRegion: 'eu-west-1' }],
    [`arn:aws:bedrock:us-west-2::foundation-model/${HAIKU}`, { kind: 'model', model: HAIKU, routing: 'in-region', profileRegion: 'us-west-2' }],
    [`arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/${HAIKU}`, { kind: 'model', model: HAIKU, routing: 'in-region', profileRegion: 'us-gov-west-1' }],
    [`${HAIKU}:200k`, { kind: 'model', model: HAIKU, routing: 'in-region' }],
    ['anthropic.claude-3-haiku-20240307-v1:0:28k', { kind: 'model', model: 'anthropic.claude-3-haiku-20240307-v1:0', routing: 'in-region' }],
    ['cohere.embed-english-v3:0:512', { kind: 'model', model: 'cohere.embed-english-v3:0', routing: 'in-region' }],
    [
      'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6',
      { kind: 'application-profile', arn: 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6' },
    ],
    [
      'arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdefgh1234',
      { kind: 'provisioned', arn: 'arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdefgh1234' },
    ],
    ['arn:aws:bedrock:us-east-1:123456789012:custom-model/x', { kind: 'unknown', modelId: 'arn:aws:bedrock:us-east-1:123456789012:custom-model/x' }],
    ['arn:aws:s3:::bucket/key', { kind: 'unknown', modelId: 'arn:aws:s3:::bucket/key' }],
    ['not a model', { kind: 'unknown', modelId: 'not a model' }],
    ['', { kind: 'unknown', modelId: '' }],
  ])('%s', (modelId, expected) => {
    // Act
    const resolution = resolveModelId(modelId);
    // Assess
    expect(resolution).toEqual(expected);
  });

  it('maps context-window and unversioned variants to the priced key in the book', () => {
    // Prepare
    const book = PriceBook.builtIn();
    // Act & Assess: Titan ids have no ":0"; their provisioned variants are called "…-v1:0:4k"
    expect(book.resolve('amazon.titan-text-lite-v1:0:4k')).toEqual({ kind: 'model', model: 'amazon.titan-text-lite-v1', routing: 'in-region' });
    expect(book.resolve('anthropic.claude-3-haiku-20240307-v1:0:200k')).toEqual({
      kind: 'model',
      model: 'anthropic.claude-3-haiku-20240307-v1:0',
      routing: 'in-region',
    });
    expect(book.resolve('acme.unknown-v1:0')).toEqual({ kind: 'unknown', modelId: 'acme.unknown-v1:0' });
  });

  it('prices an inference-profile ARN in the region the ARN names', () => {
    // Prepare: Llama 3 8B: 1,000 in + 1,000 out; eu-west-1 0.32/0.65 → 0.00097; us-east-1 0.3/0.6 → 0.0009
    const book = PriceBook.builtIn();
    const usage = tokenUsage({ inputTokens: 1000, outputTokens: 1000 });
    // Act
    const result = book.price({
      modelId: 'arn:aws:bedrock:eu-west-1::foundation-model/meta.llama3-8b-instruct-v1:0',
      region: 'us-east-1',
      at: '2025-01-01T00:00:00Z',
      usage,
    });
    // Assess
    expect(result.priceRef?.region).toBe('eu-west-1');
    expect(result.cost?.total).toBe(970_000_000_000n);
  });
});
