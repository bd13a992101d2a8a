import { type DeliveryRig, type TableAudit, utcDay } from './delivery-rig';
import { readLedger } from './ledger';
import { loadConfig, replaySpool } from './load-run';
import type { ScenarioReport } from './scenario';

/**
 * The table's invariants after a run: no id that was never recorded, the token total exact (each test event has 120),
 * and every recorded id there exactly once (missing and duplicated go to the suite's totals).
 *
 * @example
 * checkTableAudit(report, await rig.audit(recorded, [firstDay, utcDay(Date.now())]));
 */
export function checkTableAudit(report: ScenarioReport, audit: TableAudit): void {
  report.check(audit.unknown === 0, `${audit.unknown} ids in the table that were never recorded`);
  report.check(audit.totalTokens === 120 * audit.delivered, `token total ${audit.totalTokens} ≠ 120 × ${audit.delivered} events`);
  report.account(audit.missing, audit.duplicated + audit.indexDuplicated);
}

/** Where a stopped load run left its traces, and what to call the restart. */
export interface RestartAuditOptions {
  /** The scenario's work directory; the restart's files go there too. */
  readonly workDir: string;
  /** Run name of the restart (its id prefix and report file). */
  readonly run: string;
  /** The stopped run's ledger: every id it may have recorded. */
  readonly ledgerPath: string;
  /** UTC day the run started on (`utcDay`); the audit reads the by-day index from it to today. */
  readonly firstDay: string;
}

/**
 * The closing step after a load process stopped: a restart (whose start-up replays the spool), then every id of the
 * ledger audited against the table. Reports `replayed after restart` and `missing`, then {@link checkTableAudit}.
 *
 * @example
 * await restartAndAudit(rig, report, { workDir: context.workDir, run: 'sigterm-restart', ledgerPath: config.ledgerPath, firstDay });
 */
export async function restartAndAudit(rig: DeliveryRig, report: ScenarioReport, options: RestartAuditOptions): Promise<void> {
  const replayed = await replaySpool(loadConfig(rig, options.workDir, options.run));
  const audit = await rig.audit(readLedger(options.ledgerPath), [options.firstDay, utcDay(Date.now())]);
  report.figure('replayed after restart', replayed);
  report.figure('missing', audit.missing);
  checkTableAudit(report, audit);
}
