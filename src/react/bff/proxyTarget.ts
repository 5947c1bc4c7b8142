import { SmartbillsAuthError } from "../../core/errors.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/**
 * Where a `useSmartbillsFetch` call goes in backend-for-frontend mode. A URL on the Smartbills API
 * origin (`https://api.smartbills.io/v1/x?q`) or a path on this origin (`/v1/x?q`) becomes
 * `${origin}${basePath}/api/v1/x?q`, the backend's proxy, which adds the token; a URL already on
 * the proxy is kept. Anything else (another origin, a non-http URL, a path the URL parser reads as
 * another host, such as `/\evil.example`) rejects with `untrusted_origin`, before a request is made.
 *
 * @example proxyTarget("https://api.smartbills.io/v1/receipts", "https://app.example", "https://api.smartbills.io", "/api/smartbills")
 * // "https://app.example/api/smartbills/api/v1/receipts"
 * @internal
 */
export function proxyTarget(target: string, pageOrigin: string, apiOrigin: string, basePath: string): string {
  let url: URL | undefined;
  try {
    url = new URL(target, pageOrigin);
  } catch {
    // Not a URL: refused below.
  }
  if (!url || !/^https?:$/.test(url.protocol) || (url.origin !== pageOrigin && url.origin !== apiOrigin)) {
    throw new SmartbillsAuthError("untrusted_origin", {
      description: process.env.NODE_ENV !== "production"
        ? url && /^https?:$/.test(url.protocol)
          ? `The backend for frontend forwards to ${apiOrigin} only, not to ${url.origin}.`
          : "The request URL is not an http(s) URL."
        : undefined,
    });
  }
  const proxy = `${basePath}/api`;
  const path = url.origin === pageOrigin && (url.pathname === proxy || url.pathname.startsWith(`${proxy}/`)) ? url.pathname : proxy + url.pathname;
  return pageOrigin + path + url.search;
}
