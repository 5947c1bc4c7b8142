/**
 * Signs in at the local authorization server with plain `fetch`, no browser: follows the redirects by
 * hand, submits the dev-interaction login and consent forms (their `action`s parsed from the HTML), and
 * carries the cookies itself. Returns the final redirect to the app's redirect URI
 * (`…/callback?code=…&state=…&iss=…`, or `?error=…`).
 *
 *   const callbackUrl = await signInWithFetch({ authorizeUrl, login: "alice", password: "any" });
 *   const code = new URL(callbackUrl).searchParams.get("code");
 *
 * Dev tooling for tests; error messages carry statuses and paths only, never codes or tokens.
 */

export interface SignInWithFetchOptions {
  /** The full authorize URL (`…/connect/authorize?response_type=code&client_id=…&redirect_uri=…&code_challenge=…`). */
  authorizeUrl: string | URL;
  /** A seeded user's id, e.g. `alice`. */
  login: string;
  /** Any password (the dev login accepts any). */
  password: string;
  /** Answer the consent page with "Cancel" (the app then receives `error=access_denied`); default false. */
  deny?: boolean;
  /** Reuse cookies across calls (an existing session: a second sign-in skips the login page). */
  cookies?: CookieJar;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Upper bound on requests; default 20. */
  maxSteps?: number;
  /** Told of each login or consent page shown (e.g. to assert that a sign-in asked for the password). */
  onPrompt?: (prompt: "login" | "consent") => void;
}

/** A minimal cookie jar (name + path, `Max-Age`/`Expires` honoured), enough for oidc-provider's cookies. */
export class CookieJar {
  readonly #cookies = new Map<string, { name: string; value: string; path: string; expires: number }>();

  /** Stores the cookies of a response. */
  store(response: Response, requestUrl: URL): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = defaultPath(requestUrl.pathname);
      let expires = Number.POSITIVE_INFINITY;
      for (const attribute of attributes) {
        const [rawKey = "", ...rest] = attribute.split("=");
        const key = rawKey.trim().toLowerCase();
        const attrValue = rest.join("=").trim();
        if (key === "path" && attrValue.startsWith("/")) path = attrValue;
        else if (key === "max-age") expires = Date.now() + Number(attrValue) * 1000;
        else if (key === "expires" && expires === Number.POSITIVE_INFINITY) expires = Date.parse(attrValue);
      }
      const key = `${name};${path}`;
      if (!(expires > Date.now())) this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path, expires });
    }
  }

  /** The `Cookie` header for a request to `url` (null when none applies). */
  header(url: URL): string | null {
    const now = Date.now();
    const pairs: string[] = [];
    for (const [key, cookie] of this.#cookies) {
      if (cookie.expires <= now) {
        this.#cookies.delete(key);
        continue;
      }
      if (pathMatches(url.pathname, cookie.path)) pairs.push(`${cookie.name}=${cookie.value}`);
    }
    return pairs.length ? pairs.join("; ") : null;
  }
}

function defaultPath(pathname: string): string {
  const slash = pathname.lastIndexOf("/");
  return slash <= 0 ? "/" : pathname.slice(0, slash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length) === "/";
}

const decodeEntities = (value: string): string =>
  value
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#([0-9]+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

interface ParsedForm {
  action: string;
  fields: Map<string, string>;
}

/** The first `<form method="post">` of a page, with its hidden/text inputs. */
function parseForm(html: string): ParsedForm | null {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const action = /\baction="([^"]*)"/i.exec(form[1] ?? "")?.[1];
  if (action === undefined) return null;
  const fields = new Map<string, string>();
  for (const input of (form[2] ?? "").matchAll(/<input\b([^>]*)>/gi)) {
    const attributes = input[1] ?? "";
    const name = /\bname="([^"]*)"/i.exec(attributes)?.[1];
    if (name === undefined) continue;
    fields.set(decodeEntities(name), decodeEntities(/\bvalue="([^"]*)"/i.exec(attributes)?.[1] ?? ""));
  }
  return { action: decodeEntities(action), fields };
}

function abortLink(html: string): string | null {
  const href = /<a\b[^>]*\bhref="([^"]*\/abort)"/i.exec(html)?.[1];
  return href === undefined ? null : decodeEntities(href);
}

function pageTitle(html: string): string {
  return /<title>([^<]*)<\/title>/i.exec(html)?.[1]?.trim() ?? "untitled page";
}

/** The app's redirect URI without its query, from the authorize URL (null when not given). */
function redirectTarget(authorizeUrl: URL): string | null {
  const redirectUri = authorizeUrl.searchParams.get("redirect_uri");
  if (!redirectUri) return null;
  const parsed = URL.parse(redirectUri);
  return parsed ? `${parsed.origin}${parsed.pathname}` : null;
}

export async function signInWithFetch(options: SignInWithFetchOptions): Promise<string> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const jar = options.cookies ?? new CookieJar();
  const maxSteps = options.maxSteps ?? 20;
  const start = new URL(options.authorizeUrl);
  const serverOrigin = start.origin;
  const target = redirectTarget(start);

  let url = start;
  let method: "GET" | "POST" = "GET";
  let body: URLSearchParams | undefined;
  let submittedLogin = false;
  let submittedConsent = false;

  for (let step = 0; step < maxSteps; step++) {
    const headers = new Headers();
    const cookie = jar.header(url);
    if (cookie) headers.set("cookie", cookie);
    if (body) headers.set("content-type", "application/x-www-form-urlencoded");
    const response = await doFetch(url, { method, headers, body, redirect: "manual" });
    jar.store(response, url);

    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get("location");
      if (!location) throw new Error(`signInWithFetch: ${response.status} without Location at ${url.pathname}`);
      const next = new URL(location, url);
      // Arrived at the app: the redirect URI (by path), or anywhere off the authorization server.
      if (next.origin !== serverOrigin || (target !== null && `${next.origin}${next.pathname}` === target)) {
        return next.href;
      }
      url = next;
      method = "GET";
      body = undefined;
      continue;
    }

    const html = await response.text();
    if (response.status !== 200) {
      throw new Error(`signInWithFetch: ${response.status} "${pageTitle(html)}" at ${url.pathname}`);
    }
    const form = parseForm(html);
    if (!form) throw new Error(`signInWithFetch: unexpected page "${pageTitle(html)}" at ${url.pathname}`);
    const prompt = form.fields.get("prompt");
    if (prompt !== "login" && prompt !== "consent") {
      // A self-submitting form (what a browser's script would post): oidc-provider uses one to end the
      // previous user's session when another user signs in over it.
      const action = new URL(form.action, url);
      if (pageTitle(html) !== "Submitting Callback" || action.origin !== serverOrigin) {
        throw new Error(`signInWithFetch: unexpected page "${pageTitle(html)}" at ${url.pathname}`);
      }
      url = action;
      method = "POST";
      body = new URLSearchParams([...form.fields]);
      continue;
    }

    options.onPrompt?.(prompt);
    if (prompt === "login") {
      // Shown again after a submitted login: the server rejected the user (not a seeded user).
      if (submittedLogin) throw new Error(`signInWithFetch: login "${options.login}" was refused`);
      submittedLogin = true;
      form.fields.set("login", options.login);
      form.fields.set("password", options.password);
    } else {
      if (submittedConsent) throw new Error("signInWithFetch: consent page shown twice");
      submittedConsent = true;
      if (options.deny) {
        const abort = abortLink(html);
        if (!abort) throw new Error("signInWithFetch: no cancel link on the consent page");
        url = new URL(abort, url);
        method = "GET";
        body = undefined;
        continue;
      }
    }
    url = new URL(form.action, url);
    method = "POST";
    body = new URLSearchParams([...form.fields]);
  }
  throw new Error(`signInWithFetch: no redirect to the app after ${maxSteps} requests`);
}
