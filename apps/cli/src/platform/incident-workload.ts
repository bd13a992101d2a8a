import type { AgentTask } from '@bedrock-usage/agent-runtime';
import { seededRandom } from '@bedrock-usage/stand-ins';

/**
 * What `npm start` runs, already validated (see `parseStartOptions`).
 *
 * @example
 * const options: WorkloadOptions = { durationMs: 60_000, rate: 3, agents: ['jira', 'operations'], seed: 1, outage: true };
 */
export interface WorkloadOptions {
  /** How long tasks keep arriving. */
  readonly durationMs: number;
  /** Tasks per second, over all agents. */
  readonly rate: number;
  /** The agents that take part, by id. */
  readonly agents: readonly string[];
  /** Same seed, same script: tasks, incidents, inputs and the stand-in's fault draws. */
  readonly seed: number;
  /** Take the usage store down for a while (the spool absorbs it). */
  readonly outage: boolean;
}

/** One task of the script: when it starts (ms after the start), which agent takes it, and the task itself. */
export interface ScheduledTask {
  readonly atMs: number;
  readonly agentId: string;
  readonly task: AgentTask;
}

/** A stretch of the run, in ms after the start: `[fromMs, toMs)`. */
export interface Window {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * The scripted incident workload: tasks in time order over several overlapping incidents, a throttling burst and
 * (when asked) a store outage.
 */
export interface IncidentWorkload {
  readonly tasks: readonly ScheduledTask[];
  readonly incidents: readonly string[];
  /** Bedrock throttles most calls of the burst model in this window. */
  readonly throttlingBurst: Window;
  /** The usage store refuses connections in this window; absent when the outage is off. */
  readonly outage?: Window;
}

/** The order agents usually join an incident: find what is known, read the errors, diagnose, act, write it up. */
const INCIDENT_ROLES = ['knowledge-base', 'error-analysis', 'cloud-engineer', 'operations', 'jira'];
const SERVICES = ['checkout-api', 'payments-worker', 'search-indexer', 'auth-gateway', 'orders-db', 'notification-fanout'];
const SYMPTOMS = [
  '5xx rate above 4 % since the last deploy',
  'p95 latency up from 300 ms to 4.2 s',
  'SQS backlog growing by 2,000 messages a minute',
  'DynamoDB ThrottledRequests on the orders table',
  'Lambda concurrency at the account limit',
  'ALB target group reporting 2 of 6 hosts unhealthy',
];
const LOG_LINES = [
  'ERROR TimeoutError: connect ETIMEDOUT 10.0.3.17:5432 at TCPConnectWrap.afterConnect',
  'WARN retrying request 3/3 after 800 ms (ProvisionedThroughputExceededException)',
  'ERROR Task timed out after 30.00 seconds',
  'ERROR NullPointerException at com.shop.orders.PriceCalculator.total(PriceCalculator.java:88)',
  'INFO deployment d-7QX2 finished: 12 of 12 instances updated',
  'WARN connection pool exhausted (max 50), waiting 250 ms',
];

/**
 * The script of one `npm start` run, a pure function of the options and the day (same seed, same script): an
 * incident opens every fifth of the run and stays open for two fifths, so incidents overlap; tasks arrive at
 * `rate` per second with seeded jitter, mostly for an open incident (the agents in their usual order), some routine
 * (`OPS-<day>-routine`); inputs are incident notes with a seeded number of log lines, so token counts vary. The
 * throttling burst covers 15–30 % of the run; the outage starts at 35 % and lasts a fifth of the run (at least 4 s).
 *
 * @example
 * const workload = incidentWorkload({ durationMs: 60_000, rate: 3, agents: ['jira'], seed: 1, outage: true }, '20261127');
 * workload.tasks.length; // 180
 */
export function incidentWorkload(options: WorkloadOptions, day: string): IncidentWorkload {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const { durationMs } = options;
  const span = durationMs / 5;
  const incidents = Array.from({ length: 5 }, (_, n) => `INC-${day}-${String(((options.seed % 100) * 100 + n + 1) % 10_000).padStart(4, '0')}`);
  const roles = INCIDENT_ROLES.filter((agentId) => options.agents.includes(agentId));
  const others = options.agents.filter((agentId) => !INCIDENT_ROLES.includes(agentId));
  const agents = [...roles, ...others];
  const count = Math.max(1, Math.round((durationMs / 1000) * options.rate));
  const tasks: ScheduledTask[] = [];
  for (let i = 0; i < count; i++) {
    const atMs = Math.min(durationMs - 1, Math.floor(((i + random()) / count) * durationMs));
    const open = incidents.filter((_, n) => atMs >= n * span && atMs < (n + 2) * span);
    const routine = open.length === 0 || random() < 0.1;
    const incidentId = routine ? `OPS-${day}-routine` : pick(open);
    // Early in an incident the first roles work; later, all of them.
    const opened = routine ? 0 : incidents.indexOf(incidentId) * span;
    const progress = Math.min(1, (atMs - opened) / (2 * span));
    const agentId = routine ? pick(agents) : agents[Math.min(agents.length - 1, Math.floor(random() * Math.max(1, Math.ceil(progress * agents.length))))];
    tasks.push({ atMs, agentId: agentId as string, task: { incidentId, input: notes(incidentId, pick, 1 + Math.floor(random() * 12)) } });
  }
  const outageLength = Math.max(4000, Math.round(durationMs / 5));
  return {
    tasks,
    incidents: [...incidents.filter((id) => tasks.some((task) => task.task.incidentId === id)), ...(tasks.some((task) => task.task.incidentId.startsWith('OPS-')) ? [`OPS-${day}-routine`] : [])],
    throttlingBurst: { fromMs: Math.round(durationMs * 0.15), toMs: Math.round(durationMs * 0.3) },
    ...(options.outage ? { outage: { fromMs: Math.round(durationMs * 0.35), toMs: Math.round(durationMs * 0.35) + outageLength } } : {}),
  };
}

function notes(incidentId: string, pick: <T>(items: readonly T[]) => T, lines: number): string {
  const service = pick(SERVICES);
  const body = Array.from({ length: lines }, () => pick(LOG_LINES)).join('\n');
  return `${incidentId} on ${service}: ${pick(SYMPTOMS)}. Recent log lines:\n${body}`;
}
