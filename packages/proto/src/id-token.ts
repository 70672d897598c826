/**
 * Google ID tokens for Cloud Run service-to-service calls. The token client is created on first
 * use (so http:// targets and tests never touch credentials) and caches tokens until they expire.
 * Tokens are only ever placed in call metadata — never logged, never in error messages.
 */
import { GoogleAuth, type IdTokenClient } from 'google-auth-library';

/** Resolves the `authorization` metadata value (e.g. `Bearer …`) for an audience. */
export type AuthorizationSource = (audience: string) => Promise<string>;

/** Application-default credentials: metadata server on Cloud Run, gcloud locally. */
export function googleIdTokenAuthorization(
  auth: GoogleAuth = new GoogleAuth(),
): AuthorizationSource {
  const clients = new Map<string, Promise<IdTokenClient>>();
  return async (audience) => {
    let client = clients.get(audience);
    if (!client) {
      client = auth.getIdTokenClient(audience);
      clients.set(audience, client);
      // A failed lookup is not cached: the next call tries again.
      client.catch(() => clients.delete(audience));
    }
    const headers = await (await client).getRequestHeaders(audience);
    const value = headers.get('authorization');
    if (!value) throw new Error(`no ID token for audience ${audience}`);
    return value;
  };
}
