import { install } from '@sinonjs/fake-timers';

import { CronSchedule, previousUtcDay, ReportScheduler } from '../src';

describe('ReportScheduler', () => {
  let clock: ReturnType<typeof install>;
  beforeEach(() => {
    clock = install({ now: Date.parse('2025-03-10T23:00:00.000Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.uninstall());

  it('runs the task at each cron tick with the tick time, never before it', async () => {
    // Prepare
    const ticks: string[] = [];
    const scheduled: string[] = [];
    const scheduler = new ReportScheduler({
      schedule: CronSchedule.parse('15 0 * * *'),
      task: async (tick) => void ticks.push(`${new Date(tick).toISOString()} ${previousUtcDay(tick)}`),
      onScheduled: (next) => scheduled.push(new Date(next).toISOString()),
    });
    // Act
    scheduler.start();
    await clock.tickAsync(75 * 60_000 - 1); // 00:14:59.999
    const before = [...ticks];
    await clock.tickAsync(1);
    await clock.tickAsync(2 * 86_400_000);
    await scheduler.stop();
    // Assess
    expect(before).toEqual([]);
    expect(ticks).toEqual(['2025-03-11T00:15:00.000Z 2025-03-10', '2025-03-12T00:15:00.000Z 2025-03-11', '2025-03-13T00:15:00.000Z 2025-03-12']);
    expect(scheduled).toEqual(['2025-03-11T00:15:00.000Z', '2025-03-12T00:15:00.000Z', '2025-03-13T00:15:00.000Z', '2025-03-14T00:15:00.000Z']);
    expect(scheduler.nextRun).toBeNull();
  });

  it('a failing run is reported and the schedule goes on', async () => {
    const errors: string[] = [];
    let runs = 0;
    const scheduler = new ReportScheduler({
      schedule: CronSchedule.parse('0 * * * *'),
      task: async () => {
        runs += 1;
        if (runs === 1) throw new Error('store is busy');
      },
      onError: (error, tick) => errors.push(`${new Date(tick).toISOString()} ${(error as Error).message}`),
    });
    scheduler.start();
    await clock.tickAsync(2 * 3_600_000);
    await scheduler.stop();
    expect(errors).toEqual(['2025-03-11T00:00:00.000Z store is busy']);
    expect(runs).toBe(2);
  });

  it('stop() waits for a run in progress and no tick fires after it', async () => {
    let release: () => void = () => {};
    const started: number[] = [];
    let finished = 0;
    const scheduler = new ReportScheduler({
      schedule: CronSchedule.parse('0 * * * *'),
      task: async (tick) => {
        started.push(tick);
        await new Promise<void>((resolve) => (release = resolve));
        finished += 1;
      },
    });
    scheduler.start();
    await clock.tickAsync(3_600_000);
    expect(started).toHaveLength(1);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await clock.tickAsync(10);
    expect(stopped).toBe(false);
    release();
    await stopping;
    await clock.tickAsync(5 * 3_600_000);
    expect(finished).toBe(1);
    expect(started).toHaveLength(1);
  });

  it('a run longer than the interval skips the missed ticks instead of piling up', async () => {
    const started: string[] = [];
    const scheduler = new ReportScheduler({
      schedule: CronSchedule.parse('*/10 * * * *'),
      task: async (tick) => {
        started.push(new Date(tick).toISOString());
        if (started.length === 1) await new Promise<void>((resolve) => setTimeout(resolve, 25 * 60_000));
      },
    });
    scheduler.start();
    await clock.tickAsync(60 * 60_000);
    await scheduler.stop();
    expect(started).toEqual(['2025-03-10T23:10:00.000Z', '2025-03-10T23:40:00.000Z', '2025-03-10T23:50:00.000Z', '2025-03-11T00:00:00.000Z']);
  });
});
