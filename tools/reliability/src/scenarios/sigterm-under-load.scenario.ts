import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { DeliveryRig, utcDay } from '../delivery-rig';
import { auditDelivery } from '../delivery-audit';
import { readLedger } from '../ledger';
import { LoadProcess } from '../load-process-handle';
import { loadConfig, stopGracefully } from '../load-run';
import { restartAndAudit } from '../restart-audit';
import { type Scenario, ScenarioReport } from '../scenario';

/** Event ids in a spool file (a torn last line skipped). */
function spooledIds(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        return [(JSON.parse(line) as { eventId: string }).eventId];
      } catch {
        return [];
      }
    });
}

/**
 * SIGTERM to a load process recording 200 events/s, 1 s after DynamoDB stopped answering (the proxy stalls), so the
 * shutdown deadline (5 s) has in-flight writes and a full buffer to deal with. Asserts: the process exits 0 within
 * the deadline (+ 10 s grace) reporting nothing dropped; every recorded id is in the table or in the spool file;
 * after DynamoDB is back, a restart (whose start-up replays the spool) puts every id in the table exactly once.
 */
export const sigtermUnderLoadScenario: Scenario = {
  name: 'sigterm-under-load',
  asserts: 'every event acknowledged or spooled; after restart all in the table once',
  async run(context) {
    const report = new ScenarioReport();
    const loadMs = context.mode === 'quick' ? 4000 : 20_000;
    const rig = await DeliveryRig.start();
    const config = loadConfig(rig, context.workDir, 'sigterm', { durationMs: 600_000 });
    const firstDay = utcDay(Date.now());
    try {
      const { load } = await LoadProcess.start(config);
      let stopSeconds = Number.NaN;
      try {
        await sleep(loadMs);
        await rig.proxy.mode('stall');
        await sleep(1000);
        const signalled = Date.now();
        const stop = await stopGracefully(load, config);
        stopSeconds = (Date.now() - signalled) / 1000;
        const recorded = readLedger(config.ledgerPath);
        const spooled = spooledIds(join(config.spoolDir, 'DynamoDB.jsonl'));
        const before = auditDelivery(recorded, new Set([...(await rig.storedIds()), ...spooled]));
        report.figure('events', recorded.length);
        report.figure('stopped in', `${stopSeconds.toFixed(1)} s`);
        report.figure('spooled at shutdown', stop.report?.spooled ?? '?');
        report.figure('neither stored nor spooled', before.missing);
        report.check(stop.exit.code === 0 && stop.report?.dropped === 0, `exit ${stop.exit.code ?? stop.exit.signal}, dropped ${stop.report?.dropped ?? '?'} (expected exit 0, nothing dropped)`);
        report.check(before.missing === 0, `${before.missing} recorded events neither acknowledged nor spooled at exit`);
      } finally {
        await load.dispose();
      }
      await rig.proxy.heal();
      await restartAndAudit(rig, report, { workDir: context.workDir, run: 'sigterm-restart', ledgerPath: config.ledgerPath, firstDay });
    } finally {
      await rig.close();
    }
    return report.outcome();
  },
};
