import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { alarmText, postAlarms } from '../src/alarm-webhook/alarm-webhook-handler';

const alarm = (state: string): { Sns: { Subject: string; Message: string } } => ({
  Sns: {
    Subject: `${state}: "BedrockUsage-DailyCostHigh" in US East (N. Virginia)`,
    Message: JSON.stringify({ AlarmName: 'BedrockUsage-DailyCostHigh', AlarmDescription: 'Daily Bedrock cost exceeded $100', NewStateValue: state, NewStateReason: 'Threshold Crossed: 1 datapoint [131.2] was greater than the threshold (100.0).' }),
  },
});

describe('the alarm webhook notifier', () => {
  let server: Server;
  let url: string;
  const received: { path: string; body: unknown }[] = [];
  let status = 200;

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ path: request.url ?? '', body: JSON.parse(body) as unknown });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    received.length = 0;
    status = 200;
  });

  it('posts one {"text"} line per alarm to every webhook (Slack and Teams take the same body)', async () => {
    // Act
    await postAlarms([alarm('ALARM'), alarm('OK')], [`${url}/slack`, `${url}/teams`]);
    // Assess
    expect(received).toEqual([
      { path: '/slack', body: { text: ':rotating_light: ALARM BedrockUsage-DailyCostHigh — Daily Bedrock cost exceeded $100 (Threshold Crossed: 1 datapoint [131.2] was greater than the threshold (100.0).)' } },
      { path: '/teams', body: { text: expect.stringContaining(':rotating_light: ALARM') } },
      { path: '/slack', body: { text: expect.stringContaining(':white_check_mark: OK BedrockUsage-DailyCostHigh') } },
      { path: '/teams', body: { text: expect.stringContaining(':white_check_mark: OK') } },
    ]);
  });

  it('throws when a webhook refuses, so Lambda retries the notification', async () => {
    // Prepare
    status = 500;
    // Act
    const post = postAlarms([alarm('ALARM')], [url]);
    // Assess
    await expect(post).rejects.toThrow('alarm webhook answered HTTP 500');
  });

  it('passes a message that is not an alarm on as its subject and text', () => {
    // Act
    const text = alarmText({ Sns: { Subject: 'Budget', Message: 'plain text' } });
    // Assess
    expect(text).toBe('Budget: plain text');
  });
});
