/** How an observed stream ended. */
export type StreamEnd =
  /** The source ran to its end. */
  | { readonly kind: 'complete' }
  /** The consumer stopped early (`break`, `return()`). */
  | { readonly kind: 'stopped' }
  /** Iterating the source threw (an exception event, a network cut, an abort). */
  | { readonly kind: 'failed'; readonly error: unknown }
  /** The stream was garbage-collected without ever being finished. */
  | { readonly kind: 'abandoned' };

export interface StreamObserver<T> {
  /** Sees each event before the consumer does; must not throw (a throw is reported, the event still flows). */
  onEvent(event: T): void;
  /** Called exactly once. */
  onEnd(end: StreamEnd): void;
}

const abandoned = new FinalizationRegistry<() => void>((finish) => finish());

/**
 * Wraps an async iterable so an observer sees every event as it is consumed — nothing is buffered — and learns
 * exactly once how it ended. The consumer gets the same events and the same errors, unchanged.
 */
export function observeStream<T>(source: AsyncIterable<T>, observer: StreamObserver<T>, onObserverError: (error: unknown) => void): AsyncIterable<T> {
  const token = {};
  let ended = false;
  const end = (how: StreamEnd): void => {
    if (ended) return;
    ended = true;
    abandoned.unregister(token);
    try {
      observer.onEnd(how);
    } catch (error) {
      onObserverError(error);
    }
  };
  const observed: AsyncIterable<T> = {
    async *[Symbol.asyncIterator]() {
      let how: StreamEnd = { kind: 'stopped' };
      try {
        for await (const event of source) {
          try {
            observer.onEvent(event);
          } catch (error) {
            onObserverError(error);
          }
          yield event;
        }
        how = { kind: 'complete' };
      } catch (error) {
        how = { kind: 'failed', error };
        throw error;
      } finally {
        end(how);
      }
    },
  };
  abandoned.register(observed, () => end({ kind: 'abandoned' }), token);
  return observed;
}
