import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is calling Bedrock, carried by async context so agent code never threads it through calls. */
export interface UsageContext {
  readonly agentId: string;
  readonly incidentId?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

const storage = new AsyncLocalStorage<UsageContext>();

/**
 * Runs `fn` with a usage context; every Bedrock call made inside (also after `await`s) is attributed to it.
 * Nested contexts inherit the outer one: inner fields win, tags are merged.
 *
 * @example
 * await withUsageContext({ agentId: 'jira', incidentId: 'INC-20250311-0042' }, () => agent.run(task));
 */
export function withUsageContext<T>(context: UsageContext, fn: () => T): T {
  const outer = storage.getStore();
  const merged: UsageContext = outer
    ? {
        agentId: context.agentId,
        incidentId: context.incidentId ?? outer.incidentId,
        tags: { ...outer.tags, ...context.tags },
      }
    : context;
  return storage.run(merged, fn);
}

/**
 * The context of the running code, or undefined outside any {@link withUsageContext}.
 *
 * @example
 * currentUsageContext()?.agentId // 'jira'
 */
export function currentUsageContext(): UsageContext | undefined {
  return storage.getStore();
}
