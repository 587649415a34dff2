// Everything a handler needs about one request.
import type { AuthenticatedUser } from '../auth/users.js';

export interface RequestContext {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Path parameters of the matched route ({table}, {sys_id}, {staging}). */
  readonly params: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  /** The body's bytes as received (binary uploads: the Attachment API). */
  readonly rawBody: Buffer;
  /** Scheme://host the client used, for Link headers and reference links. */
  readonly baseUrl: string;
  /** The raw query string as received (without '?'), to rebuild Link URLs in the same parameter order. */
  readonly rawQuery: string;
  user?: AuthenticatedUser;
}
