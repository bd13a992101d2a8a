import { ListMetricsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { UsageError } from '@bedrock-usage/core';

/**
 * The distinct metric names of `namespace` that received data in the last 3 hours (CloudWatch's `RecentlyActive`:
 * `PT3H`, the only window it offers), for `cli doctor`'s "are metrics arriving?". Rejects with a `UsageError` naming
 * the cause (unreachable, denied: the IAM permission `cloudwatch:ListMetrics`).
 *
 * @example
 * const names = await recentCloudWatchMetrics(client, 'BedrockUsage'); // ['InputTokens', 'OutputTokens', …]
 */
export async function recentCloudWatchMetrics(client: CloudWatchClient, namespace: string): Promise<readonly string[]> {
  const names = new Set<string>();
  let next: string | undefined;
  try {
    do {
      const page = await client.send(new ListMetricsCommand({ Namespace: namespace, RecentlyActive: 'PT3H', NextToken: next }), { abortSignal: AbortSignal.timeout(10_000) });
      for (const metric of page.Metrics ?? []) if (metric.MetricName) names.add(metric.MetricName);
      next = page.NextToken;
    } while (next);
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const answer = status === undefined ? 'no answer' : `HTTP ${status} ${(error as Error).name}`;
    throw new UsageError('IO', `CloudWatch ListMetrics in namespace ${namespace} failed (${answer}: ${(error as Error).message}) — check the region, credentials and the IAM permission cloudwatch:ListMetrics`, { cause: error });
  }
  return [...names].sort();
}
