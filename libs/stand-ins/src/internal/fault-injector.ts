import type { StandInFault, StandInFaultRates, StandInFaults, StandInLatency } from '../bedrock-stand-in.types';
import { seededRandom } from '../seeded-random';

const RATE_NAMES = ['throttlingRate', 'serviceUnavailableRate', 'internalErrorRate', 'timeoutRate'] as const;
const FAULT_BY_RATE: Readonly<Record<(typeof RATE_NAMES)[number], StandInFault>> = {
  throttlingRate: 'ThrottlingException',
  serviceUnavailableRate: 'ServiceUnavailableException',
  internalErrorRate: 'InternalServerException',
  timeoutRate: 'timeout',
};
export const DEFAULT_STALL_MS = 30_000;

/** FNV-1a of `text`, mixed with `seed`: a 32-bit PRNG seed per model id. */
function seedFor(seed: number, text: string): number {
  let hash = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function checkRates(rates: StandInFaultRates, where: string): void {
  let sum = 0;
  for (const name of RATE_NAMES) {
    const rate = rates[name] ?? 0;
    if (!(typeof rate === 'number' && rate >= 0 && rate <= 1)) {
      throw new RangeError(`Bedrock stand-in: ${where}${name} is ${String(rate)} — expected a number in [0, 1]`);
    }
    sum += rate;
  }
  if (sum > 1 + 1e-9) throw new RangeError(`Bedrock stand-in: ${where}fault rates sum to ${sum} — expected at most 1`);
}

function checkNonNegative(value: number | undefined, name: string): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`Bedrock stand-in: ${name} is ${String(value)} — expected a finite number ≥ 0`);
  }
}

/** Decides, per request and deterministically, which fault (if any) the stand-in injects. */
export class FaultInjector {
  readonly #faults: StandInFaults;
  readonly #seed: number;
  readonly #random = new Map<string, () => number>();

  constructor(faults: StandInFaults) {
    checkRates(faults, 'faults.');
    for (const [modelId, rates] of Object.entries(faults.models ?? {})) checkRates(rates, `faults.models["${modelId}"].`);
    checkNonNegative(faults.stallMs, 'faults.stallMs');
    this.#faults = faults;
    this.#seed = faults.seed ?? 1;
  }

  get stallMs(): number {
    return this.#faults.stallMs ?? DEFAULT_STALL_MS;
  }

  /** One draw from the model's own PRNG; the fault its rates give, or undefined. */
  decide(modelId: string): StandInFault | undefined {
    const rates = this.#faults.models?.[modelId] ?? this.#faults;
    let random = this.#random.get(modelId);
    if (!random) {
      random = seededRandom(seedFor(this.#seed, modelId));
      this.#random.set(modelId, random);
    }
    const draw = random();
    let bound = 0;
    for (const name of RATE_NAMES) {
      bound += rates[name] ?? 0;
      if (draw < bound) return FAULT_BY_RATE[name];
    }
    return undefined;
  }
}

/** Fixed latency plus seeded jitter. */
export class LatencyInjector {
  readonly #fixedMs: number;
  readonly #jitterMs: number;
  readonly #random: () => number;

  constructor(latency: StandInLatency) {
    checkNonNegative(latency.fixedMs, 'latency.fixedMs');
    checkNonNegative(latency.jitterMs, 'latency.jitterMs');
    this.#fixedMs = latency.fixedMs ?? 0;
    this.#jitterMs = latency.jitterMs ?? 0;
    this.#random = seededRandom(latency.seed ?? 1);
  }

  nextDelayMs(): number {
    return this.#fixedMs + Math.floor(this.#random() * this.#jitterMs);
  }
}
