import { UsageError } from '@bedrock-usage/core';

import { loadConfig } from '../src/config';
import { runWorker } from '../src/main';
import { bufferedIo } from './support/seeded-store';

const BASE = { BEDROCK_USAGE_DATA_DIR: '/tmp/bedrock-usage-config-test' };

describe('loadConfig', () => {
  it('defaults: daily 00:15 UTC, reports under the data directory, the seed thresholds, no notifier', () => {
    const config = loadConfig(BASE);
    expect(config.cron).toBe('15 0 * * *');
    expect(new Date(config.schedule.next(Date.parse('2025-03-11T08:00:00Z'))).toISOString()).toBe('2025-03-12T00:15:00.000Z');
    expect(config.reportsDir).toBe('/tmp/bedrock-usage-config-test/reports');
    expect(config.thresholds).toEqual({ dailyCost: '100', hourlyCost: '10' });
    expect(config.snsTopicArn).toBeUndefined();
    expect(config.webhookUrl).toBeUndefined();
  });

  it('reads every variable', () => {
    const config = loadConfig({
      ...BASE,
      BEDROCK_USAGE_REPORT_CRON: '0 6 * * MON',
      BEDROCK_USAGE_REPORTS_DIR: '/srv/reports',
      BEDROCK_USAGE_DAILY_COST_THRESHOLD: '250.5',
      BEDROCK_USAGE_HOURLY_COST_THRESHOLD: '0',
      BEDROCK_USAGE_REPORT_SNS_TOPIC_ARN: 'arn:aws:sns:eu-central-1:123456789012:cost-alerts',
      BEDROCK_USAGE_REPORT_WEBHOOK_URL: 'https://hooks.example.com/T0/B0/x',
    });
    expect(config).toMatchObject({
      cron: '0 6 * * MON',
      reportsDir: '/srv/reports',
      thresholds: { dailyCost: '250.5', hourlyCost: '0' },
      snsTopicArn: 'arn:aws:sns:eu-central-1:123456789012:cost-alerts',
      webhookUrl: 'https://hooks.example.com/T0/B0/x',
    });
  });

  it.each([
    ['BEDROCK_USAGE_REPORT_CRON', '15 0 * *', /BEDROCK_USAGE_REPORT_CRON="15 0 \* \*" has 4 fields — use five fields/],
    ['BEDROCK_USAGE_REPORT_CRON', '15 25 * * *', /BEDROCK_USAGE_REPORT_CRON="15 25 \* \* \*" hour "25": 25 is outside 0-23 — use five fields .*e\.g\. "15 0 \* \* \*"/],
    ['BEDROCK_USAGE_DAILY_COST_THRESHOLD', '$100', /BEDROCK_USAGE_DAILY_COST_THRESHOLD="\$100" is not an amount of dollars — use a decimal number ≥ 0/],
    ['BEDROCK_USAGE_HOURLY_COST_THRESHOLD', '-1', /BEDROCK_USAGE_HOURLY_COST_THRESHOLD="-1" is not an amount of dollars/],
    ['BEDROCK_USAGE_REPORT_SNS_TOPIC_ARN', 'cost-alerts', /BEDROCK_USAGE_REPORT_SNS_TOPIC_ARN="cost-alerts" is not an SNS topic ARN — use arn:aws:sns:<region>/],
    ['BEDROCK_USAGE_REPORT_WEBHOOK_URL', 'ftp://x', /BEDROCK_USAGE_REPORT_WEBHOOK_URL="ftp:\/\/x" is not an http\(s\) URL/],
  ])('%s=%s stops start-up naming the variable, the value and the allowed form', (name, value, message) => {
    const failure = (() => {
      try {
        loadConfig({ ...BASE, [name]: value });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(UsageError);
    expect((failure as UsageError).code).toBe('INVALID_CONFIG');
    expect((failure as UsageError).message).toMatch(message);
  });

  it('DynamoDB without BEDROCK_USAGE_REPORTS_DIR is refused (no data directory to default to)', () => {
    expect(() => loadConfig({ BEDROCK_USAGE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })).toThrow(/BEDROCK_USAGE_REPORTS_DIR is not set — with DynamoDB \(http:\/\/127\.0\.0\.1:8000\)/);
  });

  it('run exits 2 with the message on stderr', async () => {
    const io = bufferedIo();
    expect(await runWorker(['run'], { ...BASE, BEDROCK_USAGE_DAILY_COST_THRESHOLD: 'lots' }, io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/BEDROCK_USAGE_DAILY_COST_THRESHOLD="lots"/);
    expect(await runWorker(['run', '--date', '2025-02-30'], BASE, io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/--date "2025-02-30" is not a UTC day/);
    expect(await runWorker(['run', '--bogus'], BASE, io)).toBe(2);
    expect(await runWorker(['nope'], BASE, io)).toBe(2);
  });
});
