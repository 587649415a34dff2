// Reads <parameter> values of stores, processors and inbound endpoints with errors that name the artifact,
// the parameter and what was wrong, before anything connects.
import { ConnectorError } from '../errors.js';

export class ParameterReader {
  constructor(
    /** e.g. `message store 'incidents'` */
    private readonly owner: string,
    private readonly values: Readonly<Record<string, string>>,
  ) {}

  has(name: string): boolean {
    return this.values[name] !== undefined && this.values[name].trim() !== '';
  }

  text(name: string, fallback: string): string;
  text(name: string): string | undefined;
  text(name: string, fallback?: string): string | undefined {
    return this.has(name) ? this.values[name].trim() : fallback;
  }

  required(name: string): string {
    if (!this.has(name)) throw new ConnectorError({ code: 'MISSING_PARAMETER', parameter: name, message: `${this.owner}: the parameter '${name}' is required` });
    return this.values[name].trim();
  }

  integer(name: string, fallback: number, min = 0): number {
    if (!this.has(name)) return fallback;
    const raw = this.values[name].trim();
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
      throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: name, message: `${this.owner}: '${name}' must be a whole number of at least ${min}, not '${raw}'` });
    }
    return n;
  }

  /** true/false, and WSO2's Enabled/Disabled. */
  boolean(name: string, fallback: boolean): boolean {
    if (!this.has(name)) return fallback;
    const raw = this.values[name].trim().toLowerCase();
    if (raw === 'true' || raw === 'enabled' || raw === 'enable') return true;
    if (raw === 'false' || raw === 'disabled' || raw === 'disable') return false;
    throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: name, message: `${this.owner}: '${name}' must be true or false (or Enabled/Disabled), not '${this.values[name]}'` });
  }

  /** A comma-separated list of HTTP status codes. */
  statusCodes(name: string): Set<number> {
    const out = new Set<number>();
    if (!this.has(name)) return out;
    for (const part of this.values[name].split(',')) {
      const t = part.trim();
      if (t === '') continue;
      const n = Number(t);
      if (!Number.isInteger(n) || n < 100 || n > 599) {
        throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: name, message: `${this.owner}: '${name}' must list HTTP status codes (100-599) separated by commas; '${t}' is not one` });
      }
      out.add(n);
    }
    return out;
  }

  fail(name: string, what: string): never {
    throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: name, message: `${this.owner}: '${name}' ${what}` });
  }
}
