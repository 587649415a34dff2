// Deterministic pseudo-random numbers, so a given seed always yields the same data and the same faults.

/** mulberry32: tiny, fast, good enough for test data and fault draws (not for secrets). */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** 32 lowercase hex characters, like a ServiceNow sys_id. */
  sysId(): string {
    let out = '';
    for (let i = 0; i < 4; i++) out += ((this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
    return out;
  }

  /** Fills 16 bytes of `target` at `offset` (a binary sys_id) without building a string. */
  sysIdBytes(target: Uint8Array, offset: number): void {
    for (let i = 0; i < 4; i++) {
      const word = (this.next() * 4294967296) >>> 0;
      target[offset + i * 4] = word >>> 24;
      target[offset + i * 4 + 1] = (word >>> 16) & 0xff;
      target[offset + i * 4 + 2] = (word >>> 8) & 0xff;
      target[offset + i * 4 + 3] = word & 0xff;
    }
  }
}

/** A stable hash of a string in [0, 1): used for ACL decisions that must not change between requests. */
export function stableFraction(text: string, salt: number): number {
  let h = (2166136261 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995) >>> 0;
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}
