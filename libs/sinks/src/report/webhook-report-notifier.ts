import { UsageError } from '@bedrock-usage/core';
import type { ReportMessage, ReportNotifier } from '@bedrock-usage/reporting';

/**
 * Options of {@link WebhookReportNotifier}.
 *
 * @example
 * const options: WebhookReportNotifierOptions = { url: 'https://hooks.example.com/services/T000/B000/XXXX' };
 */
export interface WebhookReportNotifierOptions {
  /** An http(s) URL that accepts a JSON POST. */
  readonly url: string;
  /**
   * Give up after this long.
   * @default 10000
   */
  readonly timeoutMs?: number;
}

/**
 * `ReportNotifier` that POSTs `{"text": "<subject>\n<text>", "subject", "body"}` as JSON — `text` is what Slack, Teams
 * and Mattermost incoming webhooks show. Any 2xx is success; anything else, a network error or the timeout rejects
 * with a `UsageError('IO')` naming the URL's origin (never its path, which often holds a secret token).
 *
 * @example
 * await new WebhookReportNotifier({ url }).notify({ subject: 'Bedrock usage 2025-03-11: $84.22 - within thresholds', text });
 */
export class WebhookReportNotifier implements ReportNotifier {
  readonly name = 'webhook';
  readonly #url: string;
  readonly #origin: string;
  readonly #timeoutMs: number;

  constructor(options: WebhookReportNotifierOptions) {
    this.#url = options.url;
    this.#origin = new URL(options.url).origin;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  async notify(message: ReportMessage): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `${message.subject}\n${message.text}`, subject: message.subject, body: message.text }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const { cause } = error as Error & { cause?: { code?: string; message?: string } };
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new UsageError('IO', `webhook POST to ${this.#origin} failed: ${reason}`, { cause: error });
    }
    // Drain the body so the connection is released.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new UsageError('IO', `webhook POST to ${this.#origin} answered HTTP ${response.status} — expected 2xx`);
  }
}
