import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

import { makeUsageEvents } from '@bedrock-usage/testing';

import { DeliveryRig } from '../delivery-rig';
import { type Scenario, ScenarioReport } from '../scenario';
import { composeInProcess } from './in-process-delivery';

/**
 * Duplicate delivery, in-process through the production pipeline. (1) Lost responses: the proxy forwards every
 * write to dynalite (applied) and resets the connection instead of answering, so the pipeline sees failures and
 * spools what the table already holds; after healing, a manual breaker reset replays the spool — every event written
 * twice. (2) The spool replayed twice: the spool file is copied before a replay and put back afterwards (a crash
 * after delivering, before the spool was compacted), and replayed again. Asserts: each event once in the table and in
 * the by-day index, and the token total exactly 120 × events, after each step.
 */
export const duplicateDeliveryScenario: Scenario = {
  name: 'duplicate-delivery',
  asserts: 'a response lost after the server applied it, and a spool replayed twice: counts unchanged',
  async run(context) {
    const report = new ScenarioReport();
    const events = makeUsageEvents(context.mode === 'quick' ? 500 : 2000, { time: new Date().toISOString() });
    const ids = events.map((event) => event.eventId);
    const day = events[0]?.time.slice(0, 10) ?? '';
    const rig = await DeliveryRig.start();
    const spoolDir = join(context.workDir, 'spool');
    const { guarded, spool, pipeline } = composeInProcess(rig, spoolDir);
    try {
      await rig.proxy.mode('drop-response');
      for (const event of events) pipeline.record(event);
      await pipeline.forceFlush();
      const applied = await rig.audit(ids, [day]);
      const dropped = rig.proxy.stats.droppedResponses;
      await rig.proxy.heal();
      const copy = join(context.workDir, 'spool-copy.jsonl');
      const spoolFile = spool.pathOf(guarded.name);
      const hadSpool = existsSync(spoolFile);
      if (hadSpool) copyFileSync(spoolFile, copy);
      guarded.reset();
      await pipeline.replay();
      const afterReplay = await rig.audit(ids, [day]);
      if (hadSpool) copyFileSync(copy, spoolFile);
      const second = await pipeline.replay();
      const afterSecond = await rig.audit(ids, [day]);
      report.figure('events', events.length);
      report.figure('responses dropped', dropped);
      report.figure('applied before replay', applied.delivered);
      report.figure('replayed twice', second[guarded.name]?.replayed ?? 0);
      report.figure('stored', afterSecond.delivered);
      report.check(dropped > 0 && applied.delivered > 0 && hadSpool, `not a duplicate delivery: ${dropped} responses dropped, ${applied.delivered} events applied, spool ${hadSpool ? 'used' : 'empty'}`);
      report.check((second[guarded.name]?.replayed ?? 0) > 0, 'the second replay delivered nothing');
      for (const [step, audit] of [['after the replay', afterReplay], ['after the second replay', afterSecond]] as const) {
        report.check(audit.missing === 0, `${step}: ${audit.missing} events missing`);
        report.check(audit.totalTokens === 120 * events.length, `${step}: token total ${audit.totalTokens} ≠ 120 × ${events.length}`);
      }
      report.account(afterSecond.missing, afterReplay.duplicated + afterReplay.indexDuplicated + afterSecond.duplicated + afterSecond.indexDuplicated);
    } finally {
      await pipeline.shutdown({ deadlineMs: 10_000 });
      await rig.close();
    }
    return report.outcome();
  },
};
