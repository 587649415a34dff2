// The low-memory runtime for a paging process (docs/paging.md, "Memory"): V8 flags an operator passes to node, which
// a library cannot set for its host. --liftoff-only keeps V8 from recompiling undici's HTTP parser (WebAssembly) with
// its optimising compiler once it is hot, a compile that takes ~37 MB of memory for about half a second;
// --max-semi-space-size=2 caps the young generation at 2 MB a half, where V8 otherwise grows it to 16 MB during a
// long read.
export const LOW_MEMORY_FLAGS = ['--liftoff-only', '--max-semi-space-size=2'];
