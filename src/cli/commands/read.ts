// Output of `snconnect invoke ... --format ndjson|json|csv`: records written as they arrive (all-pages reads
// stream them page by page), with stdout's backpressure respected so memory stays flat whatever the table size,
// and a progress line on stderr when stderr is a terminal. Used by invoke.ts; not a command of its own.
import type { RecordStream } from '../../paging/types.js';

export type RecordFormat = 'ndjson' | 'json' | 'csv';
export const RECORD_FORMATS: readonly RecordFormat[] = ['ndjson', 'json', 'csv'];

/** Text is gathered up to this size before one write: one write per record would dominate the cost. */
const FLUSH_BYTES = 64 * 1024;
const PROGRESS_EVERY_MS = 200;

export interface WriteSummary {
  records: number;
  pages: number;
  /** The watermark of an incremental read, to pass as `since` next time. */
  watermark?: string;
}

export async function writeRecords(
  records: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>,
  format: RecordFormat,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const writer = new BufferedWriter(out);
  let n = 0;
  let columns: string[] | undefined;
  for await (const record of records) {
    if (format === 'ndjson') writer.add(JSON.stringify(record) + '\n');
    else if (format === 'json') writer.add((n === 0 ? '[\n' : ',\n') + JSON.stringify(record));
    else {
      if (!columns) {
        // The first record's fields make the header; sysparmFields keeps every record to the same ones.
        columns = Object.keys(record);
        writer.add(columns.map(csvCell).join(',') + '\r\n');
      }
      writer.add(columns.map((c) => csvCell(plain(record[c]))).join(',') + '\r\n');
    }
    n++;
    if (writer.size >= FLUSH_BYTES) await writer.flush();
  }
  if (format === 'json') writer.add(n === 0 ? '[]\n' : '\n]\n');
  await writer.flush();
  return n;
}

/** Streams every record of an all-pages read to stdout; a progress line on stderr when it is a terminal. */
export async function writeRecordStream(stream: RecordStream, format: RecordFormat): Promise<WriteSummary> {
  const progress = process.stderr.isTTY ? startProgress(stream) : undefined;
  try {
    await writeRecords(stream, format);
  } finally {
    progress?.stop();
  }
  const summary: WriteSummary = { records: stream.progress.records, pages: stream.progress.pages };
  const watermark = stream.watermark();
  if (watermark !== undefined) summary.watermark = watermark;
  return summary;
}

class BufferedWriter {
  private parts: string[] = [];
  size = 0;

  constructor(private readonly out: NodeJS.WritableStream) {}

  add(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.out.write(text)) await new Promise<void>((resolve) => this.out.once('drain', resolve));
  }
}

/** A reference or display-value object shows its value; other values as JSON text. */
function plain(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if ('display_value' in v) return plain(v['display_value']);
    if ('value' in v) return plain(v['value']);
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * One CSV field. A text a spreadsheet would read as a formula (starting with =, +, -, @, tab or CR; OWASP's
 * CSV-injection advice) gets a leading ' so it shows as text; a plain number such as -5 or +1.5e3 stays as it is.
 * A field with a quote, comma or line break is quoted, its quotes doubled.
 */
function csvCell(text: string): string {
  const safe = FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? "'" + text : text;
  return /[",\r\n]/.test(safe) ? '"' + safe.replace(/"/g, '""') + '"' : safe;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function startProgress(stream: RecordStream): { stop(): void } {
  const draw = (final: boolean) => {
    const p = stream.progress;
    const seconds = p.startedAt > 0 ? (performance.now() - p.startedAt) / 1000 : 0;
    const rate = seconds > 0 ? Math.round(p.records / seconds) : 0;
    const total = p.totalCount !== undefined ? ` / ${p.totalCount.toLocaleString('en')} (${p.totalCount > 0 ? Math.min(100, (100 * p.records) / p.totalCount).toFixed(1) : '100.0'}%)` : '';
    process.stderr.write(`\r${bar(p.records, p.totalCount)} ${p.records.toLocaleString('en')}${total} records, ${p.pages} pages, ${rate.toLocaleString('en')} records/s\x1b[K${final ? '\n' : ''}`);
  };
  const timer = setInterval(() => draw(false), PROGRESS_EVERY_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      draw(true);
    },
  };
}

function bar(done: number, total: number | undefined): string {
  const width = 20;
  if (total === undefined || total === 0) return '[' + '='.repeat(Math.floor(Date.now() / 100) % (width + 1)).padEnd(width) + ']';
  const filled = Math.min(width, Math.round((width * done) / total));
  return '[' + '#'.repeat(filled).padEnd(width, '.') + ']';
}
