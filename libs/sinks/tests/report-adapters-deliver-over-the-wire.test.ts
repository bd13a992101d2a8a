import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { UsageError } from '@bedrock-usage/core';

import { FileReportStore, SnsReportNotifier, WebhookReportNotifier } from '../src';

type Received = { method: string; url: string; headers: IncomingMessage['headers']; body: string };

/** A local HTTP server answering each request with `answer`; records what it received. */
async function startServer(answer: (request: Received, response: ServerResponse) => void): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      answer(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const MESSAGE = { subject: 'Bedrock usage 2025-03-11: $120.50 - daily threshold crossed', text: 'Total: $120.5\nBREACH: daily total $120.5 > $100\nReport: /r/daily-cost-report-2025-03-11.html\n' };
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:bedrock-cost-alerts';

describe('SnsReportNotifier against a server speaking the SNS Query API', () => {
  it('publishes the subject and the text to the topic', async () => {
    // Prepare: Publish answered the way SNS does (XML)
    const sns = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end('<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult><ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata></PublishResponse>');
    });
    const notifier = new SnsReportNotifier({ topicArn: TOPIC, endpoint: sns.url });
    try {
      // Act
      await notifier.notify({ ...MESSAGE, subject: `${MESSAGE.subject} — ✓\nsecond line` });
      // Assess
      expect(sns.received).toHaveLength(1);
      const [request] = sns.received;
      expect(request?.method).toBe('POST');
      expect(request?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
      const form = new URLSearchParams(request?.body);
      expect(form.get('Action')).toBe('Publish');
      expect(form.get('Version')).toBe('2010-03-31');
      expect(form.get('TopicArn')).toBe(TOPIC);
      expect(form.get('Message')).toBe(MESSAGE.text);
      expect(form.get('Subject')).toBe(`${MESSAGE.subject} ? ??second line`.slice(0, 100));
      expect(form.get('Subject')).toMatch(/^[\x20-\x7e]{1,100}$/);
      expect(request?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/us-east-1\/sns\/aws4_request/);
    } finally {
      notifier.destroy();
      await sns.close();
    }
  });

  it('an SNS error is a UsageError naming the topic and the error code', async () => {
    const sns = await startServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/xml' });
      res.end('<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>9dd01905-5012-5f99-8663-4b3ecd0dfaef</RequestId></ErrorResponse>');
    });
    const notifier = new SnsReportNotifier({ topicArn: TOPIC, endpoint: sns.url });
    try {
      const failure = await notifier.notify(MESSAGE).then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(UsageError);
      expect((failure as UsageError).code).toBe('IO');
      expect((failure as UsageError).message).toBe(`SNS Publish to ${TOPIC} failed: NotFoundException (HTTP 404): Topic does not exist`);
    } finally {
      notifier.destroy();
      await sns.close();
    }
  });
});

describe('WebhookReportNotifier against a local HTTP server', () => {
  it('POSTs JSON whose text is the subject and the summary', async () => {
    const hook = await startServer((_req, res) => res.writeHead(204).end());
    try {
      await new WebhookReportNotifier({ url: `${hook.url}/services/T000/B000/secret-token` }).notify(MESSAGE);
      expect(hook.received).toHaveLength(1);
      expect(hook.received[0]?.url).toBe('/services/T000/B000/secret-token');
      expect(hook.received[0]?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(hook.received[0]?.body ?? '')).toEqual({ text: `${MESSAGE.subject}\n${MESSAGE.text}`, subject: MESSAGE.subject, body: MESSAGE.text });
    } finally {
      await hook.close();
    }
  });

  it('a non-2xx answer rejects naming the status and the origin, never the secret path', async () => {
    const hook = await startServer((_req, res) => res.writeHead(500).end('boom'));
    try {
      const failure = (await new WebhookReportNotifier({ url: `${hook.url}/hooks/secret-token` }).notify(MESSAGE).catch((e: unknown) => e)) as UsageError;
      expect(failure).toBeInstanceOf(UsageError);
      expect(failure.message).toBe(`webhook POST to ${hook.url} answered HTTP 500 — expected 2xx`);
      expect(failure.message).not.toContain('secret-token');
    } finally {
      await hook.close();
    }
  });

  it('a refused connection rejects with the network error', async () => {
    const hook = await startServer((_req, res) => res.end());
    await hook.close();
    const failure = (await new WebhookReportNotifier({ url: `${hook.url}/x` }).notify(MESSAGE).catch((e: unknown) => e)) as UsageError;
    expect(failure).toBeInstanceOf(UsageError);
    expect(failure.message).toBe(`webhook POST to ${hook.url} failed: ECONNREFUSED`);
  });
});

describe('FileReportStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'reports-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the directory, writes the document, and a second write replaces it, leaving no temporary file', async () => {
    const store = new FileReportStore({ directory: join(dir, 'nested', 'reports') });
    const first = await store.write({ name: 'daily-cost-report-2025-03-11.json', contentType: 'application/json', body: '{"v":1}' });
    const second = await store.write({ name: 'daily-cost-report-2025-03-11.json', contentType: 'application/json', body: '{"v":2}' });
    expect(first).toBe(join(dir, 'nested', 'reports', 'daily-cost-report-2025-03-11.json'));
    expect(second).toBe(first);
    expect(readFileSync(first, 'utf8')).toBe('{"v":2}');
    expect(readdirSync(join(dir, 'nested', 'reports'))).toEqual(['daily-cost-report-2025-03-11.json']);
  });

  it('refuses a name with a directory in it', async () => {
    await expect(new FileReportStore({ directory: dir }).write({ name: '../escape.html', contentType: 'text/html', body: '' })).rejects.toThrow(/is not a plain file name/);
  });

  it('an unwritable directory is a UsageError naming the path', async () => {
    writeFileSync(join(dir, 'not-a-dir'), '');
    const failure = (await new FileReportStore({ directory: join(dir, 'not-a-dir') }).write({ name: 'a.md', contentType: 'text/markdown', body: 'x' }).catch((e: unknown) => e)) as UsageError;
    expect(failure).toBeInstanceOf(UsageError);
    expect(failure.code).toBe('IO');
    expect(failure.message).toMatch(new RegExp(`cannot write report ${join(dir, 'not-a-dir', 'a.md')} \\((EEXIST|ENOTDIR)\\)`));
  });
});
