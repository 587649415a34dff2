// Counts the distinct sys_ids a read case received without keeping every one as a string. A Set of 200,040
// sys_ids holds ~13 MB and costs ~0.15 s of string hashing, which the bench charged to the client under test (to
// the raw baseline and the connector alike). Here each 32-hex-digit key keeps its first 13 hex digits (52 bits,
// exact in a double) in a growing Float64Array (1.6 MB for 200,040), and the distinct ones are counted by sorting
// once the read is over. A duplicate record has the same prefix, so a duplicate is never missed; two different keys
// sharing 52 bits (a chance of ~1 in 200,000 for 200,040 random sys_ids) would count one short and fail the run
// loudly, never pass it. Keys that are not hex are kept as text.
const HEX_PREFIX = /^[0-9a-f]{13}/;

export class DistinctKeys {
  private values = new Float64Array(1 << 16);
  private count = 0;
  private readonly other = new Set<string>();

  add(key: string): void {
    if (!HEX_PREFIX.test(key)) {
      this.other.add(key);
      return;
    }
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = Number.parseInt(key.slice(0, 13), 16);
  }

  /** Distinct keys added so far (sorts what was added: call it after the timed part). */
  get size(): number {
    const sorted = this.values.subarray(0, this.count).sort();
    let distinct = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
    return distinct + this.other.size;
  }
}
