// A promise's outcome kept as a value: a background read (a prefetched page, a range's next batch) whose failure
// waits until it is looked at, instead of being an unhandled rejection meanwhile.
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** The value, or the failure thrown now that the caller awaits it. */
export async function unwrap<T>(settled: Promise<Settled<T>>): Promise<T> {
  const s = await settled;
  if (s.ok) return s.value;
  throw s.error;
}
