// Long-running commands (simulator, explorer) run until the operator presses Ctrl+C or the service manager sends
// SIGTERM; both end them the same way, so the wait lives here once.

/** Resolves at the first SIGINT or SIGTERM, then stops listening so a second signal gets Node's default. */
export function untilStopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
