// The parts of undici the runtime uses (the pooled Agent and request()) loaded from their own modules inside the
// package. undici's public entry loads all of undici (fetch, WebSocket, the HTTP cache, mocks,
// interceptors: ~110 modules) at every process start; measured on the 2-core CI machine, a process that loads the
// entry and makes an Agent costs 358 ms of CPU against 207 ms for these modules (node -e, mean of 6 alternating).
// Every `snconnect` command, every served flow and every test that spawns the CLI pays that at start.
//
// The paths are undici's internals and may move within 7.x. Each module is checked for the shape used here, and
// any miss falls back to the public entry: an undici update can cost start-up time, never a broken request.
// test/http/undici-modules.test.ts says which source is in use, so a move is noticed.
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

type RequestFunction = (this: Undici.Dispatcher, options: Undici.Dispatcher.RequestOptions) => Promise<Undici.Dispatcher.ResponseData>;

export interface UndiciParts {
  readonly Agent: typeof Undici.Agent;
  /**
   * From the public entry, on first use (only connections through a proxy need them): a proxy agent opens its tunnel
   * with connect(), which undici's entry adds to every dispatcher's prototype.
   */
  readonly ProxyAgent: typeof Undici.ProxyAgent;
  readonly EnvHttpProxyAgent: typeof Undici.EnvHttpProxyAgent;
  readonly request: RequestFunction;
  /** 'modules': undici's own modules were used; 'entry': the public entry (a module moved or changed shape). */
  readonly source: 'modules' | 'entry';
}

type Load = (id: string) => unknown;

const MODULES = {
  Agent: 'undici/lib/dispatcher/agent.js',
  request: 'undici/lib/api/api-request.js',
} as const;

let parts: UndiciParts | undefined;

export function undiciParts(): UndiciParts {
  parts ??= loadUndiciParts(createRequire(import.meta.url));
  return parts;
}

/** Sends `options` on `dispatcher` (ours or one the caller built with undici's public entry) with undici's request(). */
export function sendRequest(dispatcher: Undici.Dispatcher, options: Undici.Dispatcher.RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  return undiciParts().request.call(dispatcher, options);
}

/** Exported for the test, which hands it a loader that cannot find the modules. */
export function loadUndiciParts(load: Load): UndiciParts {
  const entry = () => load('undici') as typeof Undici;
  const own = (id: string): unknown => {
    try {
      const value = load(id);
      return typeof value === 'function' ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const Agent = own(MODULES.Agent) as typeof Undici.Agent | undefined;
  const request = own(MODULES.request) as RequestFunction | undefined;
  if (Agent === undefined || request === undefined) {
    // The entry adds request() to every dispatcher's prototype: that method, not the entry's own request(url).
    const e = entry();
    return { Agent: e.Agent, ProxyAgent: e.ProxyAgent, EnvHttpProxyAgent: e.EnvHttpProxyAgent, request: e.Dispatcher.prototype.request as RequestFunction, source: 'entry' };
  }
  return {
    Agent,
    request,
    source: 'modules',
    get ProxyAgent() {
      return entry().ProxyAgent;
    },
    get EnvHttpProxyAgent() {
      return entry().EnvHttpProxyAgent;
    },
  };
}
