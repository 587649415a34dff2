// <task> (MessageInjector): injects its message into a sequence (or a proxy's inSequence) on a schedule while
// the server runs: every `interval` seconds (`count` runs, -1 forever; the first at start, as Synapse's simple
// trigger does), on a Quartz cron expression, or once. A run still going when the next is due is not started
// twice: that tick is skipped (and counted). stop() cancels the schedule and waits for the run in progress.
import { Cron } from 'croner';
import { MessageContext, type JsonValue } from '../context/index.js';
import type { BackgroundService, ServiceHost, TaskArtifact } from '../artifacts/index.js';

export type TaskOutcome = 'completed' | 'fault' | 'skipped';

export class TaskService implements BackgroundService {
  readonly name: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private runs = 0;
  private cron: Cron | undefined;

  constructor(
    private readonly task: TaskArtifact,
    private readonly counted: (task: string, outcome: TaskOutcome) => void = () => undefined,
  ) {
    this.name = `task ${task.name}`;
    // A cron expression is checked now, so a wrong one stops the server from starting rather than failing later.
    if ('cron' in task.trigger) this.cron = new Cron(task.trigger.cron, { paused: true, sloppyRanges: true, alternativeWeekdays: true });
  }

  start(host: ServiceHost): void {
    const trigger = this.task.trigger;
    if ('interval' in trigger) this.schedule(host, 0);
    else if ('once' in trigger) this.schedule(host, 0);
    else this.scheduleCron(host);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(host: ServiceHost, delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.tick(host);
      const trigger = this.task.trigger;
      if ('interval' in trigger && (trigger.count < 0 || this.runs < trigger.count)) this.schedule(host, trigger.interval * 1000);
    }, delayMs);
  }

  private scheduleCron(host: ServiceHost): void {
    const next = this.cron!.nextRun();
    if (this.stopped || !next) return;
    // Long waits are chained in steps, since a timer cannot wait more than about 24 days.
    const wait = Math.min(next.getTime() - Date.now(), 2 ** 30);
    this.timer = setTimeout(() => {
      if (Date.now() >= next.getTime()) this.tick(host);
      this.scheduleCron(host);
    }, Math.max(wait, 0));
  }

  private tick(host: ServiceHost): void {
    if (this.stopped) return;
    if (this.running) {
      this.counted(this.task.name, 'skipped');
      host.logger.log('warn', `task '${this.task.name}': the previous run is still going; this run is skipped`);
      return;
    }
    this.runs++;
    this.running = this.runOnce(host).finally(() => {
      this.running = undefined;
    });
  }

  private async runOnce(host: ServiceHost): Promise<void> {
    const ctx = new MessageContext();
    const message = this.task.message;
    if (message) {
      ctx.contentType = message.contentType;
      ctx.payload = message.contentType === 'application/json' ? (JSON.parse(message.payload) as JsonValue) : message.payload;
    }
    try {
      const result = await host.runSequence(this.task.sequence, ctx);
      this.counted(this.task.name, result.outcome === 'fault' ? 'fault' : 'completed');
      if (result.outcome === 'fault') host.logger.log('error', `task '${this.task.name}' ended in a fault`, { code: result.error?.code, message: result.error?.message });
    } catch (err) {
      this.counted(this.task.name, 'fault');
      host.logger.log('error', `task '${this.task.name}' could not run: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
