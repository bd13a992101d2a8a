import type { CliIo } from './cli-io';

/** What {@link renderProgress} draws. */
export interface ProgressState {
  readonly done: number;
  readonly total: number;
  /** Time since the work started, for the estimate of what is left. */
  readonly elapsedMs: number;
  /** What is counted, e.g. `events`. */
  readonly unit: string;
  /** Width of the bar in cells. @default 24 */
  readonly width?: number;
  /** A few words after the figures, e.g. the day being written. */
  readonly note?: string;
}

/**
 * One progress line: `[██████░░░░░░] 45 % 9000/20000 events · 12 s left`. Pure (no clock, no I/O), so it is tested
 * with figures, not with time.
 */
export function renderProgress(state: ProgressState): string {
  const width = state.width ?? 24;
  const total = Math.max(state.total, 0);
  const done = Math.min(Math.max(state.done, 0), total);
  const ratio = total === 0 ? 1 : done / total;
  const filled = Math.round(ratio * width);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
  const percent = `${String(Math.floor(ratio * 100)).padStart(3)} %`;
  return `${bar} ${percent} ${done}/${total} ${state.unit} · ${timeLeft(done, total, state.elapsedMs)}${state.note ? ` · ${state.note}` : ''}`;
}

function timeLeft(done: number, total: number, elapsedMs: number): string {
  if (done >= total) return `done in ${duration(elapsedMs)}`;
  // Too early to tell: no rate yet.
  if (done === 0 || elapsedMs < 500) return 'estimating…';
  return `${duration((elapsedMs * (total - done)) / done)} left`;
}

/** `12 s`, `3 min 05 s`, `1 h 02 min`. */
export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')} min`;
}

/** A progress bar on the status line; every method is a no-op when there is no status line. */
export interface ProgressBar {
  /** `done` of the total so far; drawn at most ten times a second (and always the first and the last time). */
  update(done: number, note?: string): void;
  /** Clears the status line. */
  finish(): void;
}

/**
 * A {@link renderProgress} bar on `io.progress` (stderr with \r on a TTY; absent otherwise and under --json, see
 * {@link statusIo}). Every long command uses this one.
 */
export function progressBar(io: CliIo, options: { readonly total: number; readonly unit: string; readonly now?: () => number }): ProgressBar {
  const show = io.progress;
  if (!show) return { update() {}, finish() {} };
  const now = options.now ?? Date.now;
  const started = now();
  let drawnAt = -Infinity;
  return {
    update(done, note) {
      const at = now();
      if (at - drawnAt < 100 && done < options.total) return;
      drawnAt = at;
      show(renderProgress({ done, total: options.total, elapsedMs: at - started, unit: options.unit, note }));
    },
    finish() {
      show('');
    },
  };
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Awaits `work` with a spinner and the elapsed time on the status line (`⠹ reading 7 days of events · 4 s`), for the
 * analyzer calls that give no progress hook; the line is cleared when `work` settles. Nothing when there is no
 * status line.
 */
export async function withSpinner<T>(io: CliIo, label: string, work: () => Promise<T>): Promise<T> {
  const show = io.progress;
  if (!show) return work();
  const started = Date.now();
  let frame = 0;
  const draw = () => show(`${SPINNER[frame++ % SPINNER.length]} ${label} · ${duration(Date.now() - started)}`);
  draw();
  const timer = setInterval(draw, 120);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
    show('');
  }
}

/** `io` without its status line when the output is --json (scripts read it; nothing extra on any stream). */
export function statusIo(io: CliIo, json: boolean | undefined): CliIo {
  return json ? { out: io.out, err: io.err } : io;
}
