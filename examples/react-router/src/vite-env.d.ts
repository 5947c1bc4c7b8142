/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Your app's client id, from the Smartbills dashboard. */
  readonly VITE_SMARTBILLS_CLIENT_ID: string;
  /** Optional: another authorization server than Smartbills (e.g. a local dev server in tests). */
  readonly VITE_SMARTBILLS_AUTHORITY?: string;
}
