/**
 * Growth factor of the latency sketch's bins: bin i holds values in [γ^i, γ^(i+1)) milliseconds.
 *
 * @example
 * LATENCY_SKETCH_GAMMA; // 1.02
 */
export const LATENCY_SKETCH_GAMMA = 1.02;

/**
 * The largest relative error of a quantile read from a {@link LatencySketch}: (γ − 1) / (γ + 1) ≈ 0.99 %, for any
 * number of merges (merging adds bin counts; it never widens a bin). Avg, min and max are exact (up to float sums).
 *
 * @example
 * Math.abs(sketchQuantile(sketch, 0.95)! - exactP95) <= LATENCY_SKETCH_RELATIVE_ERROR * exactP95; // true
 */
export const LATENCY_SKETCH_RELATIVE_ERROR = (LATENCY_SKETCH_GAMMA - 1) / (LATENCY_SKETCH_GAMMA + 1);

const LOG_GAMMA = Math.log(LATENCY_SKETCH_GAMMA);

/**
 * A mergeable latency distribution: fixed log-scale bins (see {@link LATENCY_SKETCH_GAMMA}) counted sparsely, plus
 * exact count, sum, min and max. The p95 of a day is the p95 of the merge of its hours' sketches.
 * Values ≤ 0 ms are counted in `zero`. Plain data: safe to JSON-encode (bin indexes are the keys of `bins`).
 *
 * @example
 * const sketch: LatencySketch = sketchOf([120, 340, 2100]);
 */
export interface LatencySketch {
  readonly count: number;
  /** Sum of the values, in ms (a float sum; the average is `sum / count`). */
  readonly sum: number;
  /** Null when empty. */
  readonly min: number | null;
  readonly max: number | null;
  readonly zero: number;
  /** Bin index → count; bin i covers [γ^i, γ^(i+1)) ms. */
  readonly bins: Readonly<Record<string, number>>;
}

/**
 * The empty sketch.
 *
 * @example
 * mergeSketches([]); // equals EMPTY_SKETCH
 */
export const EMPTY_SKETCH: LatencySketch = Object.freeze({ count: 0, sum: 0, min: null, max: null, zero: 0, bins: Object.freeze({}) });

/**
 * The bin index of a positive value.
 *
 * @example
 * sketchBin(100); // 232
 */
export function sketchBin(value: number): number {
  return Math.floor(Math.log(value) / LOG_GAMMA);
}

/**
 * The sketch of some latencies (ms); non-finite values are ignored.
 *
 * @example
 * sketchOf([120, 340]).count; // 2
 */
export function sketchOf(values: Iterable<number>): LatencySketch {
  const builder = new SketchBuilder();
  for (const value of values) builder.add(value);
  return builder.build();
}

/**
 * The sketch of all values of some sketches (adds their bins).
 *
 * @example
 * const day = mergeSketches(hours.map((hour) => hour.apiLatency));
 */
export function mergeSketches(sketches: Iterable<LatencySketch>): LatencySketch {
  const builder = new SketchBuilder();
  for (const sketch of sketches) builder.merge(sketch);
  return builder.build();
}

/**
 * The nearest-rank quantile `q` (0 < q ≤ 1) of a sketch, within {@link LATENCY_SKETCH_RELATIVE_ERROR} of the
 * exact one and clamped to [min, max]; null when the sketch is empty.
 *
 * @example
 * sketchQuantile(sketchOf([1, 2, 3, 4]), 0.5); // ≈ 2
 */
export function sketchQuantile(sketch: LatencySketch, q: number): number | null {
  if (sketch.count === 0 || sketch.min === null || sketch.max === null) return null;
  const rank = Math.max(1, Math.ceil(q * sketch.count));
  if (rank <= sketch.zero) return Math.max(sketch.min, 0);
  let seen = sketch.zero;
  const bins = Object.keys(sketch.bins)
    .map(Number)
    .sort((a, b) => a - b);
  for (const bin of bins) {
    seen += sketch.bins[bin] ?? 0;
    if (seen >= rank) {
      const representative = (2 * LATENCY_SKETCH_GAMMA ** (bin + 1)) / (LATENCY_SKETCH_GAMMA + 1);
      return Math.min(sketch.max, Math.max(sketch.min, representative));
    }
  }
  return sketch.max;
}

/**
 * Accumulates values and sketches into one sketch (used by the aggregates and the merges).
 *
 * @example
 * const builder = new SketchBuilder();
 * for (const event of events) builder.add(event.apiLatencyMs);
 * builder.merge(earlierSketch);
 * const sketch = builder.build();
 */
export class SketchBuilder {
  #count = 0;
  #sum = 0;
  #min: number | null = null;
  #max: number | null = null;
  #zero = 0;
  readonly #bins = new Map<number, number>();

  /** Counts one value in ms (non-finite values are ignored, values ≤ 0 count in `zero`). */
  add(value: number): void {
    if (!Number.isFinite(value)) return;
    this.#count += 1;
    this.#sum += value;
    this.#min = this.#min === null ? value : Math.min(this.#min, value);
    this.#max = this.#max === null ? value : Math.max(this.#max, value);
    if (value <= 0) this.#zero += 1;
    else {
      const bin = sketchBin(value);
      this.#bins.set(bin, (this.#bins.get(bin) ?? 0) + 1);
    }
  }

  /** Adds every value of a sketch (its bins, count, sum, min and max). */
  merge(sketch: LatencySketch): void {
    if (sketch.count === 0) return;
    this.#count += sketch.count;
    this.#sum += sketch.sum;
    if (sketch.min !== null) this.#min = this.#min === null ? sketch.min : Math.min(this.#min, sketch.min);
    if (sketch.max !== null) this.#max = this.#max === null ? sketch.max : Math.max(this.#max, sketch.max);
    this.#zero += sketch.zero;
    for (const [bin, count] of Object.entries(sketch.bins)) this.#bins.set(Number(bin), (this.#bins.get(Number(bin)) ?? 0) + count);
  }

  /** The sketch of everything added so far (bins in ascending order); the builder stays usable. */
  build(): LatencySketch {
    const bins: Record<string, number> = {};
    for (const bin of [...this.#bins.keys()].sort((a, b) => a - b)) bins[bin] = this.#bins.get(bin) ?? 0;
    return { count: this.#count, sum: this.#sum, min: this.#min, max: this.#max, zero: this.#zero, bins };
  }
}
