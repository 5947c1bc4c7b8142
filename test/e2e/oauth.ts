/**
 * Direct calls to the local authorization server from the test process (not the browser), to check
 * what the browser's flows left behind: is a refresh token still alive, is it refused.
 */
import type { DemoStack } from "../../demo/start";
import { WAIT_MS } from "./helpers";

/** Which client a direct call authenticates as. */
type As = "confidential" | "public";

/** The client's credentials, the way the server wants them: Basic under /auth, else in the form. */
function authenticate(stack: DemoStack, as: As, form: URLSearchParams): Headers {
  const headers = new Headers({ "content-type": "application/x-www-form-urlencoded", accept: "application/json" });
  if (as === "public") {
    form.set("client_id", stack.authServer.clients.public.clientId);
    return headers;
  }
  const { clientId, clientSecret } = stack.authServer.clients.confidential;
  if (stack.shape === "smartbills") {
    // RFC 6749 §2.3.1: form-urlencoded id and secret, then base64.
    const pair = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
    headers.set("authorization", `Basic ${Buffer.from(pair).toString("base64")}`);
  } else {
    form.set("client_id", clientId);
    form.set("client_secret", clientSecret);
  }
  return headers;
}

async function post(stack: DemoStack, path: string, as: As, params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams(params);
  const headers = authenticate(stack, as, form);
  const response = await fetch(`${stack.authServer.issuer}${path}`, { method: "POST", headers, body: form, signal: AbortSignal.timeout(WAIT_MS) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** RFC 7662 introspection: whether the server still considers `token` alive. */
export async function isTokenActive(stack: DemoStack, token: string, as: As = "confidential"): Promise<boolean> {
  const { status, body } = await post(stack, "/connect/introspect", as, { token, token_type_hint: "refresh_token" });
  if (status !== 200) throw new Error(`introspection answered ${status} ${String(body.error)}`);
  return body.active === true;
}

/** A refresh_token grant straight at the token endpoint: what an attacker holding an old refresh token would try. */
export function refreshDirectly(stack: DemoStack, refreshToken: string, as: As = "confidential") {
  return post(stack, "/connect/token", as, { grant_type: "refresh_token", refresh_token: refreshToken });
}

/** The claims of a JWT (no signature check: the test only reads what the server issued). */
export function jwtClaims(jwt: string): Record<string, unknown> {
  const payload = jwt.split(".")[1];
  if (!payload) throw new Error("not a JWT");
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}
