/** Where a command writes; the real process streams in main.ts, buffers in tests. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** One status line that replaces the previous one (stderr with \r when a TTY); '' clears it. Optional. */
  progress?(text: string): void;
  /** Registers what to do on SIGINT/SIGTERM (the real process); long-running commands stop cleanly. Optional. */
  onInterrupt?(stop: () => void): void;
}

/** A failure the user can fix: printed as is, with the exit code (2 = bad usage or input). */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Renders rows as an aligned text table (first row is the header). */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n');
}
