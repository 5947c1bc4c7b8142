/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Your app's client id, from the Smartbills dashboard. */
  readonly VITE_SMARTBILLS_CLIENT_ID: string;
}
