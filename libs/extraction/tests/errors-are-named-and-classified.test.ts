import type { RawBedrockCall } from '../src';
import { extractUsage, isRetryableBedrockError } from '../src';

const failed = (statusCode: number, headers: Record<string, string>, body: unknown = {}): RawBedrockCall => ({
  api: 'InvokeModel',
  modelId: 'anthropic.claude-3-5-sonnet-20241022-v2:0',
  statusCode,
  headers,
  body,
});

describe('errors are named from the header, the body or the status, and classified retryable or not', () => {
  it('the x-amzn-ErrorType header names the exception up to its first colon, whatever the header case', () => {
    // Prepare
    const call = failed(503, { 'X-AMZN-ERRORTYPE': 'ServiceUnavailableException:http://internal.amazon.com/coral/com.amazon.bedrock/' });
    // Act / Assess
    expect(extractUsage(call)).toEqual({ error: 'ServiceUnavailableException', retryable: true, statusCode: 503 });
  });

  it('without the header, the body __type names it (namespace stripped)', () => {
    // Prepare
    const call = failed(403, {}, { __type: 'com.amazonaws.bedrock#AccessDeniedException', message: 'no' });
    // Act / Assess
    expect(extractUsage(call)).toEqual({ error: 'AccessDeniedException', retryable: false, statusCode: 403 });
  });

  it.each([
    [429, 'ThrottlingException', true],
    [408, 'ModelTimeoutException', true],
    [400, 'ValidationException', false],
    [404, 'ResourceNotFoundException', false],
    [500, 'InternalServerException', true],
    [502, 'Http502Exception', true],
    [418, 'Http418Exception', false],
  ])('with neither, status %p gives %s (retryable %p)', (statusCode, error, retryable) => {
    // Prepare
    const call = failed(statusCode, {}, 'upstream said no');
    // Act / Assess
    expect(extractUsage(call)).toEqual({ error, retryable, statusCode });
  });

  it.each([
    ['ThrottlingException', undefined, true],
    ['ServiceUnavailableException', undefined, true],
    ['ModelTimeoutException', undefined, true],
    ['InternalServerException', undefined, true],
    ['ModelNotReadyException', undefined, true],
    ['ModelStreamErrorException', undefined, true],
    ['ValidationException', undefined, false],
    ['AccessDeniedException', undefined, false],
    ['ResourceNotFoundException', undefined, false],
    ['ServiceQuotaExceededException', 400, false],
    ['ModelErrorException', 424, false],
    ['throttlingException', undefined, true],
    ['SomethingNewException', 503, true],
    ['SomethingNewException', 429, true],
    ['SomethingNewException', 409, false],
    ['SomethingNewException', undefined, false],
  ])('isRetryableBedrockError(%p, %p) is %p', (name, statusCode, expected) => {
    // Act / Assess
    expect(isRetryableBedrockError(name, statusCode)).toBe(expected);
  });
});
