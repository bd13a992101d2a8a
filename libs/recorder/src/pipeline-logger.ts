/**
 * Where the pipeline logs its own failures (dropped events, rejected events, broken sinks). Fields use the seed's
 * log field names (`error_code`, `agent_id` …); event ids and counts only, never prompt or completion text.
 *
 * @example
 * const logger: PipelineLogger = { error: (message, fields) => myLogger.error({ message, ...fields }) };
 */
export interface PipelineLogger {
  error(message: string, fields: Readonly<Record<string, unknown>>): void;
}

/**
 * The default {@link PipelineLogger}: one JSON line per message on stderr
 * (`{"timestamp","level":"ERROR","message","error_code",…}`), which CloudWatch Logs keeps on Lambda and ECS.
 *
 * @example
 * stderrJsonLogger.error('usage events dropped', { error_code: 'Dropped', count: 3 });
 */
export const stderrJsonLogger: PipelineLogger = {
  error(message, fields) {
    console.error(JSON.stringify({ timestamp: new Date().toISOString(), level: 'ERROR', message, ...fields }));
  },
};
