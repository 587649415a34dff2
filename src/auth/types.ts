// The auth settings of a connection and what auth asks of the transport. Auth depends on nothing in http/:
// the transport imports auth and hands it a FormPoster (its own send, for the token endpoint).

export type AuthSettings =
  | { type: 'basic'; username: string; password: string }
  | {
      type: 'oauth2';
      grant: 'password' | 'refresh_token' | 'client_credentials' | 'jwt_bearer';
      /** Defaults to `${baseUrl}/oauth_token.do`. */
      tokenUrl?: string;
      clientId: string;
      clientSecret?: string;
      username?: string;
      password?: string;
      refreshToken?: string;
      /** jwt_bearer: PEM private key, key id, and claims. */
      privateKey?: string;
      keyId?: string;
      jwtSubject?: string;
      jwtAudience?: string;
    };

/** What auth reads from the token endpoint's answer. */
export interface FormResponse {
  status: number;
  /** The body parsed, when the response declared JSON. */
  json?: unknown;
}

/** Sends an application/x-www-form-urlencoded POST without auth (the token endpoint); used by OAuth modes. */
export type FormPoster = (url: string, form: string) => Promise<FormResponse>;
