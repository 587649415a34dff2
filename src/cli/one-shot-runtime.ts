// A one-shot command (invoke, run, operations...) keeps WebAssembly on V8's baseline compiler (Liftoff).
//
// Why: undici parses HTTP with llhttp compiled to WebAssembly. After the first response V8 finds the parser's state
// machine hot and recompiles it with TurboFan on a background thread: 140 ms and 29-42 MB for that one function
// (`node --trace-wasm-compilation-times`), and node waits for that compile before the process may exit. So every
// `snconnect invoke` paid ~150 ms after its answer was printed and peaked ~35 MB higher, for code it never ran.
// Measured on the 2-core CI machine: `snconnect invoke` 0.43-0.51 s -> 0.28-0.34 s wall, 98 -> 63 MB peak RSS.
//
// Long-running commands (serve, simulator, demo, explorer) keep V8's defaults: there the compile is paid once and the
// optimised parser serves every later request. Paging through a static server, the baseline-compiled parser read
// 45-49k records/s against 43-59k with TurboFan (4 alternating runs each), so a long `run` loses nothing measurable.
// This is a flag of our own command's process; the library never sets its host's V8 flags (docs/paging.md).
import { setFlagsFromString } from 'node:v8';

/** Set before any WebAssembly module is compiled: V8 reads the flag when it compiles a module. */
export function keepWasmOnBaselineCompiler(): void {
  setFlagsFromString('--liftoff-only');
}
