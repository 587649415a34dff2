// Every connection setting an init operation's <connection><setting name="..."/> may set, by dotted path. The
// object below must list exactly the leaves of ConnectionSettings (the compiler checks both ways), so adding a
// setting to the transport without listing it here, or listing one the transport does not have, fails to build.
import type { ConnectionSettings } from './types.js';

type Leaf = string | number | boolean;

/** Dotted paths of the leaves of T; a union (the auth modes) contributes every member's fields. */
type LeafPaths<T> = T extends object
  ? { [K in keyof T & string]-?: NonNullable<T[K]> extends Leaf ? K : `${K}.${LeafPaths<NonNullable<T[K]>>}` }[keyof T & string]
  : never;

export type ConnectionSettingName = LeafPaths<ConnectionSettings>;

const NAMES: Record<ConnectionSettingName, true> = {
  baseUrl: true,
  'auth.type': true,
  'auth.username': true,
  'auth.password': true,
  'auth.grant': true,
  'auth.tokenUrl': true,
  'auth.clientId': true,
  'auth.clientSecret': true,
  'auth.refreshToken': true,
  'auth.privateKey': true,
  'auth.keyId': true,
  'auth.jwtSubject': true,
  'auth.jwtAudience': true,
  'timeouts.connectMs': true,
  'timeouts.headersMs': true,
  'timeouts.bodyMs': true,
  'timeouts.deadlineMs': true,
  'retry.maxRetries': true,
  'retry.initialDelayMs': true,
  'retry.maxDelayMs': true,
  'retry.redeliveryWaitMs': true,
  maxConcurrency: true,
  maxResponseBytes: true,
  'tls.ca': true,
  'tls.cert': true,
  'tls.key': true,
  'tls.rejectUnauthorized': true,
  proxyUrl: true,
};

export const CONNECTION_SETTING_NAMES: readonly ConnectionSettingName[] = Object.keys(NAMES) as ConnectionSettingName[];
