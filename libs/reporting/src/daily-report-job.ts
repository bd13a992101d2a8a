import { systemClock, UsageError, type Clock } from '@bedrock-usage/core';

import { buildDailyReport, type DailyReport, type DailyReportSource } from './daily-report';
import { renderDailyReportHtml } from './render-html';
import { renderDailyReportJson } from './render-json';
import { renderDailyReportMarkdown } from './render-markdown';
import type { ReportNotifier } from './report-notifier.port';
import type { ReportStore } from './report-store.port';
import { formatReportSummary, type ReportLocations } from './report-summary';
import { DEFAULT_REPORT_THRESHOLDS, parseReportThresholds, type ReportThresholds } from './report-thresholds';

/**
 * Options of {@link DailyReportJob}.
 *
 * @example
 * const options: DailyReportJobOptions = { source: analyzer, store: new FileReportStore({ directory: 'reports' }) };
 */
export interface DailyReportJobOptions {
  /** The analyzer (or anything with its report methods). */
  readonly source: DailyReportSource;
  readonly store: ReportStore;
  /**
   * Where the short summary is posted after the files are written.
   * @default [] (none)
   */
  readonly notifiers?: readonly ReportNotifier[];
  /** @default DEFAULT_REPORT_THRESHOLDS (daily > $100, hourly > $10) */
  readonly thresholds?: ReportThresholds;
  /** @default systemClock */
  readonly clock?: Clock;
}

/**
 * What one notifier did with the summary.
 *
 * @example
 * for (const n of run.notifications) if (!n.ok) console.error(`${n.notifier}: ${n.error}`);
 */
export type NotificationResult = { readonly notifier: string; readonly ok: true } | { readonly notifier: string; readonly ok: false; readonly error: string };

/**
 * The outcome of {@link DailyReportJob.run}: the report, where its three files are, and the notifications.
 *
 * @example
 * const { locations, notifications } = await job.run('2025-03-11');
 */
export interface DailyReportRun {
  readonly date: string;
  readonly report: DailyReport;
  readonly locations: ReportLocations;
  readonly notifications: readonly NotificationResult[];
  /** False when a notifier failed (the files were written all the same). */
  readonly notified: boolean;
}

/**
 * The report file name of a day: `daily-cost-report-YYYY-MM-DD.{html,md,json}`.
 *
 * @example
 * reportFileName('2025-03-11', 'html'); // "daily-cost-report-2025-03-11.html"
 */
export function reportFileName(date: string, extension: 'html' | 'md' | 'json'): string {
  return `daily-cost-report-${date}.${extension}`;
}

/**
 * The UTC day before the one `time` falls in (what a run at 00:15 UTC reports).
 *
 * @example
 * previousUtcDay(Date.parse('2025-03-12T00:15:00Z')); // "2025-03-11"
 */
export function previousUtcDay(time: number): string {
  const midnight = Math.floor(time / 86_400_000) * 86_400_000;
  return new Date(midnight - 86_400_000).toISOString().slice(0, 10);
}

/**
 * One daily-report run: read the day from the analyzer, render HTML, Markdown and JSON, write them to the store
 * (JSON first, HTML last; same names each run, so a re-run overwrites), then post the summary to each notifier.
 * A notifier failure never undoes the written report: it is returned in `notifications` (`notified: false`).
 * A store failure rejects (nothing is notified).
 *
 * @example
 * const job = new DailyReportJob({ source: analyzer, store, notifiers, thresholds: { dailyCost: '100', hourlyCost: '10' } });
 * const run = await job.run(); // yesterday (UTC)
 * console.log(run.locations.html);
 */
export class DailyReportJob {
  readonly #source: DailyReportSource;
  readonly #store: ReportStore;
  readonly #notifiers: readonly ReportNotifier[];
  readonly #thresholds: ReportThresholds;
  readonly #clock: Clock;

  constructor(options: DailyReportJobOptions) {
    this.#source = options.source;
    this.#store = options.store;
    this.#notifiers = options.notifiers ?? [];
    this.#thresholds = options.thresholds ?? DEFAULT_REPORT_THRESHOLDS;
    parseReportThresholds(this.#thresholds);
    this.#clock = options.clock ?? systemClock;
  }

  /** Reports `date` (`YYYY-MM-DD`, UTC), by default the day before now. */
  async run(date: string = previousUtcDay(this.#clock.now())): Promise<DailyReportRun> {
    const report = await buildDailyReport(this.#source, date, { thresholds: this.#thresholds, generatedAt: new Date(this.#clock.now()).toISOString() });
    const json = await this.#store.write({ name: reportFileName(date, 'json'), contentType: 'application/json', body: renderDailyReportJson(report) });
    const markdown = await this.#store.write({ name: reportFileName(date, 'md'), contentType: 'text/markdown; charset=utf-8', body: renderDailyReportMarkdown(report) });
    const html = await this.#store.write({ name: reportFileName(date, 'html'), contentType: 'text/html; charset=utf-8', body: renderDailyReportHtml(report) });
    const locations = { html, markdown, json };
    const message = formatReportSummary(report, locations);
    const notifications = await Promise.all(
      this.#notifiers.map(async (notifier): Promise<NotificationResult> => {
        try {
          await notifier.notify(message);
          return { notifier: notifier.name, ok: true };
        } catch (error) {
          return { notifier: notifier.name, ok: false, error: error instanceof UsageError || error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    return { date, report, locations, notifications, notified: notifications.every((n) => n.ok) };
  }
}
