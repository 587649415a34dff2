// Builds the one pooled undici dispatcher of a connection from its settings: keep-alive sockets capped at
// maxConcurrency per origin (requests beyond it queue inside undici), connect/headers/body timeouts,
// TLS (CA bundle, client certificate, verification), and a proxy (explicit, or from HTTP(S)_PROXY/NO_PROXY).
import type { Dispatcher, EnvHttpProxyAgent } from 'undici';
import type { Logger } from '../logger.js';
import { redactText } from '../logger.js';
import type { ConnectionSettings } from './types.js';
import { undiciParts } from './undici-modules.js';

// undici's classes come from undici-modules.ts (its own modules, not the public entry, for start-up time); no
// prototype is patched: requests go through sendRequest().

export const DEFAULTS = {
  connectMs: 10_000,
  headersMs: 60_000,
  bodyMs: 60_000,
  deadlineMs: 120_000,
  maxRetries: 3,
  initialDelayMs: 200,
  maxDelayMs: 10_000,
  redeliveryWaitMs: 5_000,
  maxConcurrency: 16,
  /** A body read whole (not streamed) above this fails unread: 256 MiB, well under V8's ~512 MB string limit. */
  maxResponseBytes: 256 * 1024 * 1024,
} as const;

function proxyFromEnvironment(): boolean {
  const env = process.env;
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

export function createDispatcher(settings: ConnectionSettings, logger: Logger): Dispatcher {
  const tls = settings.tls ?? {};
  const rejectUnauthorized = tls.rejectUnauthorized !== false;
  if (!rejectUnauthorized) {
    logger.log('warn', `TLS certificate verification is turned OFF for ${redactText(settings.baseUrl)}: anyone on the network path can read and change this traffic. Use tls.ca to trust a private CA instead.`);
  }
  const connect = {
    timeout: settings.timeouts?.connectMs ?? DEFAULTS.connectMs,
    rejectUnauthorized,
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
    ...(tls.key !== undefined ? { key: tls.key } : {}),
  };
  const pool = {
    connections: settings.maxConcurrency ?? DEFAULTS.maxConcurrency,
    headersTimeout: settings.timeouts?.headersMs ?? DEFAULTS.headersMs,
    bodyTimeout: settings.timeouts?.bodyMs ?? DEFAULTS.bodyMs,
    connect,
  };
  if (settings.proxyUrl) {
    // requestTls: TLS towards ServiceNow inside the tunnel; proxyTls: towards an https:// proxy. Both get the CA
    // bundle, since a TLS-inspecting corporate proxy signs with the same private CA it re-signs ServiceNow's certificate with.
    const proxyTls = { rejectUnauthorized, ...(tls.ca !== undefined ? { ca: tls.ca } : {}) };
    return new (undiciParts().ProxyAgent)({ ...pool, uri: settings.proxyUrl, requestTls: connect, proxyTls });
  }
  // EnvHttpProxyAgent parses the origin of every request to apply NO_PROXY; skip that work when no proxy is set.
  if (proxyFromEnvironment()) return new (undiciParts().EnvHttpProxyAgent)({ ...pool, requestTls: connect } as ConstructorParameters<typeof EnvHttpProxyAgent>[0]);
  return new (undiciParts().Agent)(pool);
}
