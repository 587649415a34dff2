// The explorer's last line of defence: every secret value it was given (passwords, client secrets, keys) is
// remembered and masked in anything it sends to the page, on top of the runtime's own key-based redaction.
import { REDACTED, redact } from '../logger.js';

export class SecretScrubber {
  private readonly secrets = new Set<string>();

  /** Remembers the values of the secret parameters among `values` (short values are masked too, but only whole). */
  remember(values: Record<string, unknown>, secretNames: Iterable<string>): void {
    for (const name of secretNames) {
      const value = values[name];
      if (typeof value === 'string' && value.length > 0) this.secrets.add(value);
    }
  }

  /** JSON text with secret-named keys masked and every remembered secret value replaced. */
  json(value: unknown): string {
    return this.text(JSON.stringify(redact(value)) ?? 'null');
  }

  text(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      // The secret as it appears inside JSON text (quotes and backslashes escaped) and as it is.
      const escaped = JSON.stringify(secret).slice(1, -1);
      out = out.split(escaped).join(REDACTED);
      if (escaped !== secret) out = out.split(secret).join(REDACTED);
    }
    return out;
  }
}
