/** What {@link readBoundedBytes} got. @internal */
export type BoundedRead =
  | { kind: "ok"; bytes: Uint8Array }
  | { kind: "too_large" }
  | { kind: "timeout" }
  | { kind: "failed" };

const EMPTY = new Uint8Array(0);

/**
 * Reads a body stream to the end, but never more than `limit` bytes and never past `signal`: on
 * either it cancels the stream instead of draining it, so a 10 MB (or endless) upload costs us
 * about `limit` bytes and no more time than allowed. `Content-Length` cannot be trusted for this
 * (chunked bodies have none), hence the byte counter.
 *
 * @internal
 */
export async function readBoundedBytes(
  stream: ReadableStream<Uint8Array> | null,
  limit: number,
  signal: AbortSignal,
): Promise<BoundedRead> {
  if (stream === null) return { kind: "ok", bytes: EMPTY };
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = stream.getReader();
  } catch {
    // Already read or locked by someone else.
    return { kind: "failed" };
  }
  const stop = () => {
    // Not awaited: a source whose cancel never settles must not hold up the answer.
    reader.cancel().catch(() => {});
  };
  let onAbort: (() => void) | undefined;
  // A plain `reader.read()` does not observe the signal (a crafted or stalled stream would hang),
  // so each read races it.
  const aborted = new Promise<"aborted">((resolve) => {
    onAbort = () => resolve("aborted");
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const step = await Promise.race([reader.read(), aborted]);
      if (step === "aborted") {
        stop();
        return { kind: "timeout" };
      }
      if (step.done) break;
      const chunk: unknown = step.value;
      if (!(chunk instanceof Uint8Array)) {
        stop();
        return { kind: "failed" };
      }
      total += chunk.byteLength;
      if (total > limit) {
        stop();
        return { kind: "too_large" };
      }
      chunks.push(chunk);
    }
  } catch {
    stop();
    return { kind: "failed" };
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
  if (chunks.length === 1) return { kind: "ok", bytes: chunks[0]! };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { kind: "ok", bytes };
}
