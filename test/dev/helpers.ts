// Helpers for the dev server's tests: real HTTP on 127.0.0.1, sign-in through the dev pages with fetch.
import { createHash, randomBytes } from "node:crypto";
import { CookieJar, signInWithFetch } from "../../dev/headlessLogin";
import type { SmartbillsDevServer } from "../../src/dev-server/types";

export interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  id_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export interface SignedIn {
  code: string;
  verifier: string;
  nonce: string;
  callback: URL;
  prompts: string[];
}

/** Authorization code + PKCE through the dev login/consent pages; `prompts` lists the pages shown. */
export async function signIn(
  dev: SmartbillsDevServer,
  options: { clientId: string; redirectUri: string; scope?: string; login?: string; cookies?: CookieJar; prompt?: string; fetch?: typeof fetch },
): Promise<SignedIn> {
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString("hex");
  const nonce = randomBytes(16).toString("base64url");
  const url = new URL(`${dev.authority}/connect/authorize`);
  const params: Record<string, string> = {
    response_type: "code",
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    scope: options.scope ?? "openid offline_access",
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...(options.prompt && { prompt: options.prompt }),
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const prompts: string[] = [];
  const final = await signInWithFetch({
    authorizeUrl: url,
    login: options.login ?? "alice",
    password: "any password",
    onPrompt: (prompt) => prompts.push(prompt),
    ...(options.cookies && { cookies: options.cookies }),
    ...(options.fetch && { fetch: options.fetch }),
  });
  const callback = new URL(final);
  if (`${callback.origin}${callback.pathname}` !== options.redirectUri) throw new Error(`callback elsewhere: ${callback.pathname}`);
  if (callback.searchParams.get("state") !== state) throw new Error("state not echoed");
  const code = callback.searchParams.get("code");
  if (!code) throw new Error(`no code in callback: ${callback.searchParams.get("error")}`);
  return { code, verifier, nonce, callback, prompts };
}

export const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

/** A form POST to `${authority}${path}`; JSON (or nothing) back. */
export async function post(
  dev: SmartbillsDevServer,
  path: string,
  params: Record<string, string | undefined>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: TokenResponse & Record<string, unknown>; headers: Headers }> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) body.set(key, value);
  const response = await fetch(`${dev.authority}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as TokenResponse & Record<string, unknown>) : {}, headers: response.headers };
}

/** The payload of a JWT (no signature check: the test only reads the claims). */
export const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;

export { CookieJar };
