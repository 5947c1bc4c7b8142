/**
 * A fake of the backend exchange endpoint (API.md, "The exchange endpoint protocol"), passed to
 * `<SmartbillsProvider fetch={…}>` so that stories and tests sign in with no server and no network.
 * It checks the request the way a real token endpoint would: the grant, the one code it issued, and
 * the PKCE verifier (against the expected verifier, or the S256 challenge of the authorize URL).
 */

/** How the fake answers the code exchange. */
export type ExchangeBehaviour =
  /** A standard token response, after the checks. */
  | "token"
  /** HTTP 400 `invalid_grant`: the code expired or was used already. Surfaces as `exchange_failed`. */
  | "invalid_grant"
  /** HTTP 200 with an HTML page: the SPA's fallback route answered instead of the backend. `invalid_response`. */
  | "html"
  /** The request fails before any answer (offline, DNS, CORS). `network_error`. */
  | "offline"
  /** Never answers: a server that keeps the user waiting. */
  | "hang";

export interface FakeTokenEndpointOptions {
  behaviour?: ExchangeBehaviour;
  /** The code the fake authorization server issued; any other is `invalid_grant`. */
  code?: string;
  /** The verifier the login kept; a different one is `invalid_grant`. */
  codeVerifier?: string;
  /** The S256 challenge of the authorize request, checked against the verifier sent. */
  codeChallenge?: string;
  /** Milliseconds before answering, so the loading state can be seen. */
  delayMs?: number;
}

/** A `fetch` that plays the exchange endpoint, with the form bodies it received. */
export type FakeTokenEndpoint = typeof fetch & { requests: URLSearchParams[] };

export function createFakeTokenEndpoint(options: FakeTokenEndpointOptions = {}): FakeTokenEndpoint {
  const { behaviour = "token", delayMs = 0 } = options;
  const requests: URLSearchParams[] = [];

  const endpoint = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = new URLSearchParams(typeof init?.body === "string" ? init.body : "");
    requests.push(body);
    if (behaviour === "hang") return new Promise<Response>(() => {});
    if (delayMs > 0) await delay(delayMs, init?.signal ?? undefined);
    if (behaviour === "offline") throw new TypeError("Failed to fetch");
    if (behaviour === "html") {
      return new Response("<!doctype html><title>My app</title><div id=root></div>", { status: 200, headers: { "Content-Type": "text/html" } });
    }
    if (behaviour === "invalid_grant") return oauthError("invalid_grant", "The authorization code has expired or was already used.");

    if (body.get("grant_type") !== "authorization_code") return oauthError("unsupported_grant_type", "Only authorization_code is served here.");
    if (options.code !== undefined && body.get("code") !== options.code) return oauthError("invalid_grant", "Unknown authorization code.");
    const verifier = body.get("code_verifier") ?? "";
    if (options.codeVerifier !== undefined && verifier !== options.codeVerifier) return oauthError("invalid_grant", "PKCE verification failed.");
    if (options.codeChallenge !== undefined && (await s256(verifier)) !== options.codeChallenge) {
      return oauthError("invalid_grant", "PKCE verification failed.");
    }
    return json(200, {
      access_token: `sb_at_${randomString(24)}`,
      token_type: "Bearer",
      expires_in: 3600,
      refresh_token: `sb_rt_${randomString(24)}`,
      scope: "openid offline_access",
    });
  };
  return Object.assign(endpoint, { requests }) as FakeTokenEndpoint;
}

/** A random base64url string of `length` characters, like a `state`, a code or a verifier. */
export function randomString(length = 43): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => alphabet[byte % 64]).join("");
}

/** The PKCE S256 challenge of a verifier (RFC 7636 §4.2). */
export async function s256(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}

function oauthError(error: string, description: string): Response {
  return json(400, { error, error_description: description });
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new DOMException("The request was aborted.", "AbortError"));
    });
  });
}
