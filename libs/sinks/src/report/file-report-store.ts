import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { UsageError } from '@bedrock-usage/core';
import type { ReportDocument, ReportStore } from '@bedrock-usage/reporting';

/**
 * Options of {@link FileReportStore}.
 *
 * @example
 * const options: FileReportStoreOptions = { directory: '.bedrock-usage/reports' };
 */
export interface FileReportStoreOptions {
  /** The reports directory (created when missing). */
  readonly directory: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * `ReportStore` on a local directory: each document is written to a temporary file beside its target and renamed
 * over it, so a reader (a browser, a sync job) never sees half a report and a re-run replaces the old one.
 * Resolves with the absolute path.
 *
 * @example
 * const store = new FileReportStore({ directory: '/var/lib/bedrock-usage/reports' });
 * const path = await store.write({ name: 'daily-cost-report-2025-03-11.html', contentType: 'text/html; charset=utf-8', body });
 */
export class FileReportStore implements ReportStore {
  readonly #directory: string;

  constructor(options: FileReportStoreOptions) {
    this.#directory = resolve(options.directory);
  }

  /** The absolute reports directory. */
  get directory(): string {
    return this.#directory;
  }

  async write(document: ReportDocument): Promise<string> {
    if (!NAME.test(document.name) || document.name.includes('..')) {
      throw new UsageError('INVALID_INPUT', `report name "${document.name}" is not a plain file name — use letters, digits, ".", "_" and "-"`);
    }
    const target = join(this.#directory, document.name);
    const temporary = join(this.#directory, `.${document.name}.${randomUUID()}.tmp`);
    try {
      await mkdir(this.#directory, { recursive: true });
      await writeFile(temporary, document.body, { encoding: 'utf8', mode: 0o644 });
      await rename(temporary, target);
      return target;
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new UsageError('IO', `cannot write report ${target} (${code}) — check that BEDROCK_USAGE_REPORTS_DIR is a writable directory`, { cause: error });
    }
  }
}
