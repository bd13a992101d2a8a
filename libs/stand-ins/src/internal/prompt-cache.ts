import { createHash } from 'node:crypto';

const FIVE_MINUTES_MS = 5 * 60_000;
const ONE_HOUR_MS = 60 * 60_000;

/** The cached prefix a request asks for: everything up to its last cache point, in the model's order. */
export interface CachePrefix {
  /** Model id + prefix digest: the cache entry's identity. */
  readonly key: string;
  /** Tokens of the prefix (≈ its JSON length / 4, at least 1). */
  readonly tokens: number;
  /** The entry's time to live: 1 h for `cache_control: {ttl: '1h'}` / `cachePoint: {ttl: '1h'}`, else 5 min. */
  readonly ttlMs: number;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function blocksOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value as unknown[];
  if (value === undefined || value === null) return [];
  return [value];
}

/** Tools, then system, then each message's content blocks: the order both Anthropic and Converse cache in. */
function promptBlocks(body: Record<string, unknown>): unknown[] {
  const tools = blocksOf(body['tools'] ?? record(body['toolConfig'])?.['tools']);
  const system = blocksOf(body['system']);
  const messages = blocksOf(body['messages']).flatMap((message) => {
    const m = record(message);
    return m ? blocksOf(m['content']).map((block) => ({ role: m['role'], block })) : [];
  });
  return [...tools, ...system, ...messages];
}

/** The cache marker of a block: Anthropic `cache_control` on the block, or a Converse/Nova `{cachePoint}` block. */
function markerOf(block: unknown): Record<string, unknown> | undefined {
  const b = record(block);
  const inner = record(b?.['block']) ?? b;
  return record(inner?.['cache_control']) ?? record(inner?.['cachePoint']);
}

/**
 * The prefix `body` asks to cache for `modelId`, or undefined when it marks no cache point. Deterministic: the same
 * prefix (whatever follows it) gives the same key.
 */
export function cachePrefix(modelId: string, body: unknown): CachePrefix | undefined {
  const b = record(body);
  if (!b) return undefined;
  const blocks = promptBlocks(b);
  let last = -1;
  for (let i = 0; i < blocks.length; i++) if (markerOf(blocks[i]) !== undefined) last = i;
  if (last < 0) return undefined;
  const text = JSON.stringify(blocks.slice(0, last + 1));
  const ttlMs = markerOf(blocks[last])?.['ttl'] === '1h' ? ONE_HOUR_MS : FIVE_MINUTES_MS;
  return {
    key: `${modelId}\n${createHash('sha256').update(text).digest('hex')}`,
    tokens: Math.max(1, Math.ceil(text.length / 4)),
    ttlMs,
  };
}

/** Cache entries by prefix key: a first use writes, uses within the TTL read (and refresh it, as Bedrock does). */
export class PromptCache {
  readonly #expiresAt = new Map<string, number>();

  /** 'read' when the entry is live at `now`, else 'write'; either way the entry lives `ttlMs` from `now`. */
  use(prefix: CachePrefix, now: number): 'read' | 'write' {
    const expiresAt = this.#expiresAt.get(prefix.key);
    this.#expiresAt.set(prefix.key, now + prefix.ttlMs);
    return expiresAt !== undefined && expiresAt > now ? 'read' : 'write';
  }
}
