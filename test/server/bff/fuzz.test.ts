// Random queries, cookies, headers and methods at every BFF route: always an answer under 500, JSON or
// a redirect to the app or the authorize endpoint, fast; nothing forwarded for an unsigned-in caller.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSmartbillsBff } from "../../../src/server/bff/index";

const BASE = "/api/smartbills";
const calls: string[] = [];
const bff = createSmartbillsBff({
  clientId: "client-abc",
  clientSecret: "SECRET-MARKER-7f3a9c1e",
  authority: "https://auth.smartbills.test",
  appOrigin: "https://app.example.com",
  secret: "z".repeat(40),
  fetch: async (input) => {
    calls.push(String(input));
    return new Response("{}", { status: 500 });
  },
});

const route = fc.constantFrom("/login", "/callback", "/session", "/userinfo", "/logout", "/api/v1/me", "/api", "/nope", "/api/%2e%2e", "/api//x");
const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom("%E0%A4%A", "%", "%00", "\\", "//evil.example", "javascript:alert(1)"));
const query = fc.array(fc.tuple(fc.constantFrom("state", "code", "error", "iss", "returnTo", "prompt", "loginHint", "x"), text), { maxLength: 6 });
const cookie = fc.oneof(
  fc.constant(""),
  text.map((v) => `__Host-smartbills-session=${v}`),
  fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((id) => `__Host-smartbills-session=${id}`),
  text.map((v) => `__Host-smartbills-login-${v.slice(0, 16)}=${v}`),
);

describe("fuzzed requests", () => {
  it("never answer 5xx, never reach an upstream, never echo the secret, never set CORS", async () => {
    await fc.assert(
      fc.asyncProperty(route, query, cookie, fc.constantFrom("GET", "POST", "PUT", "DELETE", "OPTIONS"), fc.boolean(), text, async (path, pairs, cookieValue, method, csrf, body) => {
        const search = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
        const headers = new Headers();
        try {
          if (cookieValue) headers.set("cookie", cookieValue);
        } catch {
          return; // not a header value a client can send
        }
        if (csrf) headers.set("x-smartbills-request", "1");
        const init: RequestInit = { method, headers };
        if (method !== "GET") init.body = body;
        const t0 = Date.now();
        const answer = await bff(new Request(`http://localhost${BASE}${path}?${search}`, init));
        expect(Date.now() - t0).toBeLessThan(1000);
        expect(answer.status).toBeLessThan(500);
        expect(answer.headers.get("access-control-allow-origin")).toBeNull();
        const location = answer.headers.get("location");
        if (location) expect(location.startsWith("/") && !location.startsWith("//") ? true : location.startsWith("https://auth.smartbills.test/")).toBe(true);
        expect(await answer.text()).not.toContain("7f3a9c1e");
      }),
      { numRuns: 300 },
    );
    // No signed-in session and no valid login cookie: nothing ever reached an upstream.
    expect(calls).toEqual([]);
  });
});
