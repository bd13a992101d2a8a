import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

import type { LoadConfig, LoadMessage, LoadStats, ParentMessage } from './load-protocol';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const ENTRY = join(__dirname, 'load-process.ts');
const STDERR_TAIL = 4000;

type MessageOf<T extends LoadMessage['type']> = Extract<LoadMessage, { type: T }>;

/** How a load process ended. */
export interface LoadExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * The parent's handle on one load process: a real child (`node --import tsx load-process.ts`, no wrapper process,
 * so signals reach it directly), talking over an IPC channel. Always `dispose()` it in a `finally`.
 *
 * @example
 * const load = await LoadProcess.start(config);
 * try {
 *   await load.next('load-done', 60_000);
 *   load.signal('SIGTERM');
 *   await load.exit(30_000);
 * } finally {
 *   await load.dispose();
 * }
 */
export class LoadProcess {
  readonly #child: ChildProcess;
  readonly #inbox: LoadMessage[] = [];
  readonly #waiters = new Set<(message: LoadMessage) => boolean>();
  readonly #exited: Promise<LoadExit>;
  #stderr = '';
  #exit: LoadExit | undefined;

  private constructor(config: LoadConfig) {
    this.#child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: join(REPO_ROOT, 'tsconfig.base.json'),
        RELIABILITY_LOAD: JSON.stringify(config),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.#child.stderr?.setEncoding('utf8');
    this.#child.stderr?.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_TAIL);
    });
    this.#child.on('message', (message: LoadMessage) => {
      for (const waiter of this.#waiters) if (waiter(message)) return;
      this.#inbox.push(message);
    });
    this.#exited = new Promise((resolve) => {
      this.#child.on('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
  }

  /** Starts a load process and waits for its `ready` (spool replayed, load starting). */
  static async start(config: LoadConfig, readyTimeoutMs = 60_000): Promise<{ load: LoadProcess; ready: MessageOf<'ready'> }> {
    const load = new LoadProcess(config);
    try {
      return { load, ready: await load.next('ready', readyTimeoutMs) };
    } catch (error) {
      await load.dispose();
      throw error;
    }
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** The last few KB the process wrote to stderr (for failure messages). */
  get stderr(): string {
    return this.#stderr;
  }

  /** The next message of `type` (an earlier unread one first); rejects after `timeoutMs` or when the process exits. */
  next<T extends LoadMessage['type']>(type: T, timeoutMs: number): Promise<MessageOf<T>> {
    const index = this.#inbox.findIndex((message) => message.type === type);
    if (index >= 0) return Promise.resolve(this.#inbox.splice(index, 1)[0] as MessageOf<T>);
    return new Promise((resolve, reject) => {
      const settle = (outcome: () => void): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        outcome();
      };
      const waiter = (message: LoadMessage): boolean => {
        if (message.type !== type) return false;
        settle(() => resolve(message as MessageOf<T>));
        return true;
      };
      const timer = setTimeout(() => settle(() => reject(this.#failure(`no "${type}" within ${timeoutMs} ms`))), timeoutMs);
      timer.unref();
      this.#waiters.add(waiter);
      this.#exited.then(
        (exit) => settle(() => reject(this.#failure(`exited (code ${exit.code}, signal ${exit.signal}) before "${type}"`))),
        () => undefined,
      );
    });
  }

  /** Asks for and waits for the current stats. */
  async stats(timeoutMs = 10_000): Promise<LoadStats> {
    this.send({ type: 'stats' });
    return (await this.next('stats', timeoutMs)).stats;
  }

  send(message: ParentMessage): void {
    if (this.#exit === undefined && this.#child.connected) this.#child.send(message);
  }

  signal(signal: NodeJS.Signals): void {
    if (this.#exit === undefined) this.#child.kill(signal);
  }

  /** Waits for the process to exit; rejects after `timeoutMs`. */
  async exit(timeoutMs: number): Promise<LoadExit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.#failure(`did not exit within ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([this.#exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the process (SIGKILL) unless it has exited, and waits for it. */
  async dispose(): Promise<void> {
    this.signal('SIGKILL');
    await this.#exited;
  }

  #failure(what: string): Error {
    return new Error(`load process ${this.pid} ${what}${this.#stderr ? `; stderr: ${this.#stderr.trim().slice(-800)}` : ''}`);
  }
}
