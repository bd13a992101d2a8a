/**
 * One SNS record as Lambda receives it (the fields used here).
 *
 * @example
 * const record: SnsRecord = { Sns: { Subject: 'ALARM: "BedrockUsage-DailyCostHigh"', Message: '{"AlarmName":"…"}' } };
 */
export interface SnsRecord {
  readonly Sns: { readonly Subject?: string | null; readonly Message: string };
}

/**
 * The chat line of one alarm notification: `:rotating_light: ALARM BedrockUsage-DailyCostHigh — Daily Bedrock cost
 * exceeded $100 (Threshold Crossed: …)`; a message that is not a CloudWatch alarm is passed on as its subject/text.
 *
 * @example
 * alarmText({ Sns: { Message: JSON.stringify({ AlarmName: 'BedrockUsage-HighLatency', NewStateValue: 'OK', NewStateReason: 'back to normal' }) } });
 */
export function alarmText(record: SnsRecord): string {
  let alarm: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(record.Sns.Message);
    alarm = typeof parsed === 'object' && parsed !== null && 'AlarmName' in parsed ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    alarm = undefined;
  }
  if (!alarm) return record.Sns.Subject ? `${record.Sns.Subject}: ${record.Sns.Message}` : record.Sns.Message;
  const state = String(alarm.NewStateValue ?? 'UNKNOWN');
  const mark = state === 'ALARM' ? ':rotating_light:' : state === 'OK' ? ':white_check_mark:' : ':grey_question:';
  const description = typeof alarm.AlarmDescription === 'string' && alarm.AlarmDescription !== '' ? ` — ${alarm.AlarmDescription}` : '';
  return `${mark} ${state} ${String(alarm.AlarmName)}${description} (${String(alarm.NewStateReason ?? '')})`;
}

/**
 * Posts `{"text": …}` (what Slack and Teams incoming webhooks take) for every record to every URL in `urls`. A
 * failed post throws, so Lambda retries the notification (SNS delivers to Lambda asynchronously).
 *
 * @example
 * await postAlarms(event.Records, ['https://hooks.slack.com/services/T/B/X']);
 */
export async function postAlarms(records: readonly SnsRecord[], urls: readonly string[], post: typeof fetch = fetch): Promise<void> {
  for (const record of records) {
    const body = JSON.stringify({ text: alarmText(record) });
    for (const url of urls) {
      const response = await post(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`alarm webhook answered HTTP ${response.status}`);
    }
  }
}

/**
 * The Lambda entry point: the topics' alarms to the webhooks of `ALARM_WEBHOOK_URLS` (space-separated).
 *
 * @example
 * // CDK: new NodejsFunction(this, 'AlarmWebhookNotifier', { entry: 'apps/infra/src/alarm-webhook/alarm-webhook-handler.ts' })
 */
export async function handler(event: { readonly Records: readonly SnsRecord[] }): Promise<void> {
  const urls = (process.env.ALARM_WEBHOOK_URLS ?? '').split(' ').filter((url) => url !== '');
  await postAlarms(event.Records, urls);
}
