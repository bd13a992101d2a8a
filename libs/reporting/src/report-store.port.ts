/**
 * One named document to store: a rendering of a report.
 *
 * @example
 * const document: ReportDocument = { name: 'daily-cost-report-2025-03-11.json', contentType: 'application/json', body: '{}' };
 */
export interface ReportDocument {
  /** A file name without a directory (`[A-Za-z0-9._-]+`); the same name overwrites. */
  readonly name: string;
  readonly contentType: string;
  readonly body: string;
}

/**
 * Where reports go (a directory, a bucket). Writing the same name again replaces the document (re-runs are
 * idempotent); a reader never sees a half-written document.
 *
 * @example
 * const location = await store.write({ name: 'daily-cost-report-2025-03-11.html', contentType: 'text/html; charset=utf-8', body });
 * console.log(`report: ${location}`);
 */
export interface ReportStore {
  /** Resolves with the document's location (a path or a URI); rejects with a `UsageError` ('IO') when it was not stored. */
  write(document: ReportDocument): Promise<string>;
}
