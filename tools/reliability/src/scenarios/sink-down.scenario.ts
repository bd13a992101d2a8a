import { setTimeout as sleep } from 'node:timers/promises';

import { DeliveryRig, utcDay } from '../delivery-rig';
import { readLedger } from '../ledger';
import { LoadProcess } from '../load-process-handle';
import { loadConfig, spoolBytes, stopGracefully, waitFor } from '../load-run';
import { checkTableAudit } from '../restart-audit';
import { type Scenario, ScenarioReport } from '../scenario';

/**
 * DynamoDB refuses connections (the fault proxy stops listening) for 120 s (quick: 15 s) while a load process
 * records 200 events/s, then comes back; the load goes on 10 s (quick: 5 s) more. The breaker probes every 60 s
 * (quick: 5 s, so that the quick run does not wait a minute for recovery). Asserts: every recorded id ends up in
 * the table exactly once (base table and by-day index, token total exact) without a restart; the buffer never
 * went above its cap; the spool was used during the outage; `CircuitBreakerTrips` = 1.
 */
export const sinkDownScenario: Scenario = {
  name: 'sink-down',
  asserts: 'outage at 200 events/s: every id in the table once after recovery; queue ≤ cap; spool used; one trip per outage',
  async run(context) {
    const report = new ScenarioReport();
    const quick = context.mode === 'quick';
    const outageMs = quick ? 15_000 : 120_000;
    const tailMs = quick ? 5000 : 10_000;
    const rig = await DeliveryRig.start();
    const config = loadConfig(rig, context.workDir, 'sink-down', { durationMs: outageMs + tailMs, resetTimeoutMs: quick ? 5000 : 60_000 });
    const firstDay = utcDay(Date.now());
    try {
      await rig.proxy.mode('refuse');
      const { load } = await LoadProcess.start(config);
      try {
        await sleep(outageMs);
        const spooled = spoolBytes(config);
        await rig.proxy.heal();
        const healedAt = Date.now();
        context.log(`outage over, ${spooled} spool bytes`);
        await load.next('load-done', tailMs + 60_000);
        const recorded = readLedger(config.ledgerPath);
        const drained = await waitFor(async () => (await rig.storedIds()).length >= recorded.length, config.resetTimeoutMs + 120_000, 1000);
        const drainSeconds = (Date.now() - healedAt) / 1000;
        const stop = await stopGracefully(load, config);
        const audit = await rig.audit(recorded, [firstDay, utcDay(Date.now())]);
        const trips = Object.entries(stop.stats?.counts ?? {})
          .filter(([key]) => key.startsWith('CircuitBreakerTrips{'))
          .reduce((sum, [, value]) => sum + value, 0);
        report.figure('events', recorded.length);
        report.figure('outage', `${outageMs / 1000} s`);
        report.figure('peak queue', `${stop.stats?.peakDepth ?? '?'}/${config.capacity}`);
        report.figure('spool bytes', spooled);
        report.figure('trips', trips);
        report.figure('recovered in', `${drainSeconds.toFixed(1)} s`);
        report.figure('missing', audit.missing);
        report.check(drained, `the table did not catch up within ${(config.resetTimeoutMs + 120_000) / 1000} s of the outage's end`);
        report.check(stop.exit.code === 0, `the load process exited with ${stop.exit.code ?? stop.exit.signal} after SIGTERM`);
        report.check(stop.stats !== undefined && stop.stats.peakDepth <= config.capacity, `buffer peaked at ${stop.stats?.peakDepth} over its cap ${config.capacity}`);
        report.check(spooled > 0, 'the spool was not used during the outage');
        report.check(trips === 1, `${trips} breaker trips for one outage`);
        checkTableAudit(report, audit);
      } finally {
        await load.dispose();
      }
    } finally {
      await rig.close();
    }
    return report.outcome();
  },
};
