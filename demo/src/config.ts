/**
 * The app's Smartbills settings. `npm run demo` passes them in through Vite (see `demo/start.ts`);
 * in your app they would come from your own `.env` file:
 *
 *   VITE_SMARTBILLS_CLIENT_ID=your-client-id
 *
 * Nothing here is secret. The client secret lives only on the server that serves
 * `/api/smartbills/token`, never in the browser bundle.
 */
export const config = {
  clientId: import.meta.env.VITE_SMARTBILLS_CLIENT_ID,
  /** The authorization server. Leave it out in production: the default is https://api.smartbills.io. */
  authority: import.meta.env.VITE_SMARTBILLS_AUTHORITY,
  /**
   * Your backend's exchange endpoint, which adds the client secret (confidential client). Empty in the
   * demo's public-client mode: the browser then talks to the token endpoint itself, with PKCE only.
   */
  exchangeEndpoint: import.meta.env.VITE_SMARTBILLS_EXCHANGE_ENDPOINT || undefined,
  /**
   * Read the endpoints from `${authority}/.well-known/openid-configuration` (on with `--shape smartbills`).
   * Off, the library uses `${authority}/connect/*`, which is where Smartbills serves them too.
   */
  discovery: import.meta.env.VITE_SMARTBILLS_DISCOVERY === "true",
  /** The header that carries the chosen connected account; `--account-header` changes it. */
  accountHeader: import.meta.env.VITE_SMARTBILLS_ACCOUNT_HEADER || "on-behalf-of",
  /**
   * Backend-for-frontend mode (`npm run demo -- --mode bff`): where the backend mounted
   * `createSmartbillsBff`, e.g. `/api/smartbills`. Empty in the token modes.
   */
  bff: import.meta.env.VITE_SMARTBILLS_BFF || undefined,
  /** The Smartbills API. Here the local server serves it, on the authority's origin. */
  apiUrl: import.meta.env.VITE_SMARTBILLS_API_URL,
  strictMode: import.meta.env.VITE_DEMO_STRICT_MODE !== "false",
  /** Where the session lives: see the README's "Sessions". The default, "session", needs no setting. */
  storage: (import.meta.env.VITE_SMARTBILLS_STORAGE || "session") as "memory" | "session" | "local" | "cookie",
};
