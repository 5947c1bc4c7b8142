import { createFakeTokenEndpoint, randomString, type FakeTokenEndpoint } from "./fakeTokenEndpoint.js";

/**
 * A stand-in for Smartbills' authorize page and the app's exchange endpoint, for a sign-in that
 * never leaves the page: `login({ openUrl: server.authorize })` hands it the authorize URL, it
 * checks the request (code flow, S256 PKCE, a `state`), approves at once, and puts the answer into
 * the address bar as Smartbills' redirect would. `server.fetch` then redeems that code only with
 * the verifier whose challenge the authorize URL carried.
 */
export interface FakeAuthorizationServer {
  /** Plays the authorize page: approves and writes `?code&state&iss` into the address bar. */
  authorize(authorizeUrl: string): void;
  /** The exchange endpoint for the provider's `fetch` prop. */
  fetch: FakeTokenEndpoint;
}

export function createFakeAuthorizationServer({
  issuer = "https://api.smartbills.io",
  delayMs = 0,
  fallback,
}: {
  issuer?: string;
  delayMs?: number;
  /** Answers the codes this server did not issue (one a story's loader arranged). */
  fallback?: typeof fetch;
} = {}): FakeAuthorizationServer {
  const issued = new Map<string, FakeTokenEndpoint>();
  const requests: URLSearchParams[] = [];

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = new URLSearchParams(typeof init?.body === "string" ? init.body : "");
    requests.push(body);
    const endpoint = issued.get(body.get("code") ?? "");
    if (endpoint) {
      issued.delete(body.get("code") ?? ""); // a code is single use
      return endpoint(input, init);
    }
    if (fallback) return fallback(input, init);
    return new Response(JSON.stringify({ error: "invalid_grant", error_description: "Unknown authorization code." }), {
      status: 400,
      headers: { "Content-Type": "application/json" },
    });
  };

  return {
    authorize(authorizeUrl) {
      const request = new URL(authorizeUrl).searchParams;
      const state = request.get("state");
      const codeChallenge = request.get("code_challenge");
      const redirectUri = request.get("redirect_uri");
      if (request.get("response_type") !== "code" || request.get("code_challenge_method") !== "S256" || !state || !codeChallenge || !redirectUri) {
        throw new Error(`The fake authorization server refused the authorize request: ${authorizeUrl}`);
      }
      const code = randomString(32);
      issued.set(code, createFakeTokenEndpoint({ code, codeChallenge, delayMs }));
      const back = new URL(redirectUri);
      // Keep the page's own query (Storybook's ?id=…), as a redirect URI with a query would.
      new URL(window.location.href).searchParams.forEach((value, name) => back.searchParams.append(name, value));
      back.searchParams.set("code", code);
      back.searchParams.set("state", state);
      back.searchParams.set("iss", issuer);
      window.history.replaceState(window.history.state, "", back.href);
    },
    fetch: Object.assign(fetch, { requests }) as FakeTokenEndpoint,
  };
}
