import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { seededRandom } from '@bedrock-usage/stand-ins';

import { DeliveryRig, utcDay } from '../delivery-rig';
import { readLedger } from '../ledger';
import { ledgerSlack } from '../load-generator';
import { LoadProcess } from '../load-process-handle';
import { loadConfig, replaySpool } from '../load-run';
import { type Scenario, ScenarioReport } from '../scenario';

/** A smaller pipeline than the default, so the window (200 + 200 + 4 × 25 = 500 events) is below what a trial records. */
const SIZING = { capacity: 200, overflowCapacity: 200, batchSize: 25 } as const;

/**
 * kill -9 at random moments (×20; quick ×3) of a load process recording 200 events/s, every other trial during an
 * outage (the spool is being written when the kill lands). After each kill, DynamoDB is healed and a restart
 * replays the spool. Loss = recorded ids (ledger) not in the table. Asserted per trial: loss ≤ the pipeline's
 * durability window (`durabilityWindowEvents`) + the ledger's own slack (ids fsynced to the ledger whose `record()`
 * the kill cut short: one tick, at most 4 ticks' worth of events). Nothing counted twice.
 */
export const kill9Scenario: Scenario = {
  name: 'kill-9',
  asserts: 'loss ≤ the documented durability window, in events; worst printed',
  async run(context) {
    const report = new ScenarioReport();
    const quick = context.mode === 'quick';
    const trials = quick ? 3 : 20;
    const next = seededRandom(context.seed);
    const rig = await DeliveryRig.start();
    const days = [utcDay(Date.now())];
    let worst = 0;
    let window = 0;
    const recordedSoFar: string[] = [];
    let missingSoFar = 0;
    let duplicatedSoFar = 0;
    try {
      for (let trial = 0; trial < trials; trial++) {
        const dir = join(context.workDir, `trial-${trial}`);
        const outage = trial % 2 === 1;
        const config = loadConfig(rig, dir, `k9-${trial}`, { ...SIZING, durationMs: 600_000 });
        const killAfterMs = Math.round(3000 + next() * (quick ? 5000 : 9000));
        if (outage) await rig.proxy.mode('refuse');
        const { load, ready } = await LoadProcess.start(config);
        try {
          await sleep(killAfterMs);
          load.signal('SIGKILL');
          await load.exit(10_000);
        } finally {
          await load.dispose();
        }
        await rig.proxy.heal();
        await replaySpool(config);
        const recorded = readLedger(config.ledgerPath);
        recordedSoFar.push(...recorded);
        days.push(utcDay(Date.now()));
        // The table holds every trial so far: audit them all, and take this trial's share of the totals.
        const audit = await rig.audit(recordedSoFar, days);
        const lost = audit.missing - missingSoFar;
        const duplicated = audit.duplicated + audit.indexDuplicated - duplicatedSoFar;
        missingSoFar = audit.missing;
        duplicatedSoFar += duplicated;
        window = ready.durabilityWindow + ledgerSlack(config.ratePerSecond);
        worst = Math.max(worst, lost);
        context.log(`trial ${trial}${outage ? ' (outage)' : ''}: killed after ${killAfterMs} ms, ${recorded.length} recorded, ${lost} lost (window ${window})`);
        report.check(audit.unknown === 0, `trial ${trial}: ${audit.unknown} ids in the table that were never recorded`);
        report.account(Math.max(0, lost - window), duplicated);
      }
      report.figure('trials', trials);
      report.figure('events', recordedSoFar.length);
      report.figure('window', `${window} events`);
      report.figure('worst loss', `${worst} events`);
    } finally {
      await rig.close();
    }
    return report.outcome();
  },
};
