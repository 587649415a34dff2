// HTTP Basic: the header is computed once per connection, so sending costs nothing per request.
import type { Authenticator } from './authenticator.js';

export function basicAuthenticator(username: string, password: string): Authenticator {
  const header = 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
  return {
    scheme: 'Basic',
    authorization: () => header,
    rejected: () => false,
  };
}
