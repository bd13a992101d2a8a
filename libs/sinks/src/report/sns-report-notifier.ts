import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

import { UsageError } from '@bedrock-usage/core';
import type { ReportMessage, ReportNotifier } from '@bedrock-usage/reporting';

/**
 * Options of {@link SnsReportNotifier}.
 *
 * @example
 * const options: SnsReportNotifierOptions = { topicArn: 'arn:aws:sns:us-east-1:123456789012:cost-alerts', region: 'us-east-1' };
 */
export interface SnsReportNotifierOptions {
  /** The topic (`arn:aws:sns:<region>:<account>:<name>`). */
  readonly topicArn: string;
  /**
   * The client's region.
   * @default the topic ARN's region
   */
  readonly region?: string;
  /**
   * An SNS endpoint (a local server in tests); requests then carry dummy credentials.
   * @default none (AWS, credentials from the SDK's default chain)
   */
  readonly endpoint?: string;
  /**
   * Give up on a Publish after this long.
   * @default 10000
   */
  readonly timeoutMs?: number;
}

/**
 * `ReportNotifier` that publishes the summary to an SNS topic (`Publish` with a Subject — e-mail subscribers see it —
 * and the plain-text Message). The subject is made SNS-safe (ASCII printable, one line, ≤ 100 characters). SDK
 * errors are wrapped in a `UsageError('IO')` naming the topic.
 *
 * @example
 * const notifier = new SnsReportNotifier({ topicArn: process.env.TOPIC! });
 * await notifier.notify({ subject: 'Bedrock usage 2025-03-11: $84.22 - within thresholds', text });
 * notifier.destroy();
 */
export class SnsReportNotifier implements ReportNotifier {
  readonly name = 'sns';
  readonly #topicArn: string;
  readonly #client: SNSClient;
  readonly #timeoutMs: number;

  constructor(options: SnsReportNotifierOptions) {
    this.#topicArn = options.topicArn;
    const region = options.region ?? options.topicArn.split(':')[3] ?? 'us-east-1';
    this.#client = new SNSClient(
      options.endpoint === undefined ? { region, maxAttempts: 3 } : { region, endpoint: options.endpoint, maxAttempts: 3, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
    );
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  async notify(message: ReportMessage): Promise<void> {
    try {
      await this.#client.send(new PublishCommand({ TopicArn: this.#topicArn, Subject: snsSubject(message.subject), Message: message.text }), {
        abortSignal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode;
      throw new UsageError('IO', `SNS Publish to ${this.#topicArn} failed: ${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(error)}`, { cause: error });
    }
  }

  /** Releases the client's sockets. */
  destroy(): void {
    this.#client.destroy();
  }
}

/** SNS subjects: ASCII printable, no line break, at most 100 characters. */
function snsSubject(subject: string): string {
  const ascii = subject.replace(/[^\x20-\x7e]/g, '?').trim();
  return (ascii || 'Bedrock usage report').slice(0, 100);
}
