import { ContainerModule } from 'inversify';

import type { CostAnalyzer } from '@bedrock-usage/analyzer';
import type { Clock } from '@bedrock-usage/core';
import { DailyReportJob, type ReportNotifier, type ReportStore, type ReportThresholds } from '@bedrock-usage/reporting';
import { FileReportStore, SnsReportNotifier, WebhookReportNotifier } from '@bedrock-usage/sinks';

import { TOKENS } from './tokens';

/**
 * Options of {@link reportingModule}, already read and validated by the app's `loadConfig`.
 *
 * @example
 * const options: ReportingModuleOptions = { reportsDir: '.bedrock-usage/reports', thresholds: { dailyCost: '100', hourlyCost: '10' } };
 */
export interface ReportingModuleOptions {
  /** Where the report files go (FileReportStore). */
  readonly reportsDir: string;
  readonly thresholds: ReportThresholds;
  /**
   * Post the summary to this SNS topic.
   * @default none (off)
   */
  readonly snsTopicArn?: string;
  /**
   * An SNS endpoint (a local server in tests).
   * @default none (AWS, in the topic's region)
   */
  readonly snsEndpoint?: string;
  /**
   * POST the summary to this webhook.
   * @default none (off)
   */
  readonly webhookUrl?: string;
}

/**
 * The daily report: `TOKENS.ReportStore` (FileReportStore on `reportsDir`), `TOKENS.ReportNotifiers` (SNS and/or
 * webhook when configured, else none), and `TOKENS.DailyReportJob` over the store module's `CostAnalyzer` (resolve
 * it with `getAsync`). `TOKENS.ReportingShutdown` releases the notifiers' clients. Needs `domainModule` and a store
 * module loaded beside it.
 *
 * @example
 * container.load(domainModule(), usageStoreModule(storeConfig), reportingModule({ reportsDir, thresholds }));
 * const run = await (await container.getAsync(TOKENS.DailyReportJob)).run('2025-03-11');
 * await container.get(TOKENS.ReportingShutdown)();
 * await container.get(TOKENS.StoreShutdown)();
 */
export function reportingModule(options: ReportingModuleOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const notifiers: ReportNotifier[] = [];
    let sns: SnsReportNotifier | undefined;
    bind(TOKENS.ReportStore).toConstantValue(new FileReportStore({ directory: options.reportsDir }));
    bind(TOKENS.ReportNotifiers)
      .toResolvedValue(() => {
        if (notifiers.length > 0) return notifiers;
        if (options.snsTopicArn !== undefined) {
          sns = new SnsReportNotifier({ topicArn: options.snsTopicArn, ...(options.snsEndpoint === undefined ? {} : { endpoint: options.snsEndpoint }) });
          notifiers.push(sns);
        }
        if (options.webhookUrl !== undefined) notifiers.push(new WebhookReportNotifier({ url: options.webhookUrl }));
        return notifiers;
      })
      .inSingletonScope();
    bind(TOKENS.DailyReportJob)
      .toResolvedValue(
        (analyzer: CostAnalyzer, store: ReportStore, reportNotifiers: readonly ReportNotifier[], clock: Clock) =>
          new DailyReportJob({ source: analyzer, store, notifiers: reportNotifiers, thresholds: options.thresholds, clock }),
        [TOKENS.CostAnalyzer, TOKENS.ReportStore, TOKENS.ReportNotifiers, TOKENS.Clock],
      )
      .inSingletonScope();
    bind(TOKENS.ReportingShutdown).toConstantValue(async () => {
      sns?.destroy();
    });
  });
}
