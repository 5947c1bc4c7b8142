/// <reference types="vite/client" />

/**
 * What `demo/start.ts` passes to the app through Vite's `define`. None of it is secret: the
 * client secret stays in the Node process that serves `/api/smartbills/token`.
 */
interface ImportMetaEnv {
  /** The OAuth client id (`smartbills-demo` or `smartbills-demo-public`). */
  readonly VITE_SMARTBILLS_CLIENT_ID: string;
  /** The authorization server, e.g. `http://127.0.0.1:4000` (in production: `https://api.smartbills.io`). */
  readonly VITE_SMARTBILLS_AUTHORITY: string;
  /** The backend exchange endpoint; empty for the public-client mode. */
  readonly VITE_SMARTBILLS_EXCHANGE_ENDPOINT: string;
  /** Where the Smartbills API lives (the local server serves it too). */
  readonly VITE_SMARTBILLS_API_URL: string;
  /** "true" to render inside <StrictMode> (the default). */
  readonly VITE_DEMO_STRICT_MODE: string;
  /** "true" to read the endpoints from the authority's discovery document (`--shape smartbills`). */
  readonly VITE_SMARTBILLS_DISCOVERY: string;
  /** The header that carries the connected account: "on-behalf-of" (default) or e.g. "x-tenant-id". */
  readonly VITE_SMARTBILLS_ACCOUNT_HEADER: string;
  /** The backend-for-frontend base path (`--mode bff`), e.g. "/api/smartbills"; empty otherwise. */
  readonly VITE_SMARTBILLS_BFF: string;
  /** The provider's `storage`: "memory", "session" (default), "local" or "cookie". */
  readonly VITE_SMARTBILLS_STORAGE: string;
}
