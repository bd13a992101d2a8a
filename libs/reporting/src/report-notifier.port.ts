/**
 * The short plain-text summary of a report, for a channel that people read (SNS e-mail/SMS, a chat webhook).
 *
 * @example
 * const message: ReportMessage = { subject: 'Bedrock daily cost 2025-03-11: $84.22', text: formatReportSummary(report, locations) };
 */
export interface ReportMessage {
  /** One line (SNS subjects: ≤ 100 ASCII-printable characters). */
  readonly subject: string;
  readonly text: string;
}

/**
 * Posts a report summary somewhere. Off unless configured.
 *
 * @example
 * await notifier.notify({ subject, text }); // rejects with a UsageError when the channel did not accept it
 */
export interface ReportNotifier {
  /** A short name for logs and results (`sns`, `webhook`). */
  readonly name: string;
  /** Resolves once the channel accepted the message; rejects with a `UsageError` naming the channel otherwise. */
  notify(message: ReportMessage): Promise<void>;
}
