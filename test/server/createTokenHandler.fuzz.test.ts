import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { APP_ORIGIN, CLIENT_ID, REDIRECT_URI, SECRET, VERIFIER, call, createFakeUpstream, json, makeHandler, post, tokenAnswer } from "./helpers";

const TOKEN = { access_token: "at-1", token_type: "Bearer", expires_in: 3600, refresh_token: "rt-1", scope: "openid offline_access", id_token: "idt-1" };

const pick = <T>(...values: T[]) => fc.constantFrom(...values);

/** Parameter pairs that are mostly plausible and sometimes hostile. */
const formPairs = fc.array(
  fc.oneof(
    fc.tuple(pick("grant_type"), fc.oneof(pick("authorization_code", "refresh_token", "client_credentials", "password", ""), fc.string())),
    fc.tuple(pick("code", "refresh_token"), fc.oneof(pick("c-1", ""), fc.string({ unit: "binary" }))),
    fc.tuple(pick("redirect_uri"), fc.oneof(pick(REDIRECT_URI, `${REDIRECT_URI}/`, "https://app.example.com@evil.example/callback"), fc.webUrl())),
    fc.tuple(pick("code_verifier"), fc.oneof(pick(VERIFIER), fc.stringMatching(/^[A-Za-z0-9._~+/= -]{0,140}$/))),
    fc.tuple(pick("client_id"), fc.oneof(pick(CLIENT_ID), fc.string())),
    fc.tuple(pick("client_secret", "client_assertion", "scope", "resource"), fc.string()),
    fc.tuple(fc.string(), fc.string({ unit: "binary" })),
  ),
  { maxLength: 8 },
);

const encodeForm = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
const validForm = fc
  .tuple(pick<[string, string][]>(
    [["grant_type", "authorization_code"], ["code", "c-1"], ["redirect_uri", REDIRECT_URI], ["code_verifier", VERIFIER]],
    [["grant_type", "refresh_token"], ["refresh_token", "rt-0"]],
  ), formPairs)
  .map(([valid, noise]) => [...valid, ...noise]);

const bodies = fc.oneof(
  fc.string({ unit: "binary", maxLength: 2000 }),
  fc.stringMatching(/^[a-z_=&%+0-9A-F]{0,200}$/), // percent-escape soup
  fc.uint8Array({ maxLength: 20_000 }),
  formPairs.map(encodeForm),
  validForm.map(encodeForm),
  validForm.map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join("&")), // unencoded, so raw % and & leak in
);

describe("createTokenHandler under fuzzing", () => {
  it("answers any body with a 4xx OAuth error or the fake's 200 token, fast, and never with the secret", async () => {
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const { handler, upstream } = makeHandler(createFakeUpstream(() => tokenAnswer()));
        const started = performance.now();
        const { status, body: answer } = await call(handler, post(body as BodyInit));
        seen.add(status);
        expect(performance.now() - started).toBeLessThan(1000);
        if (status === 200) {
          expect(answer).toEqual(TOKEN);
          expect(upstream.requests).toHaveLength(1);
          expect(upstream.requests[0]!.body.get("client_secret")).toBe(SECRET);
        } else {
          expect(status).toBeGreaterThanOrEqual(400);
          expect(status).toBeLessThan(500);
          expect(typeof answer.error).toBe("string");
          expect(upstream.requests).toHaveLength(0);
        }
      }),
      { numRuns: 400 },
    );
    // The generators reach both sides of the property.
    expect(seen).toContain(200);
    expect(seen).toContain(400);
  });

  it("answers any method, content type and origin without a 500 or the secret", async () => {
    const requests = fc.record({
      method: pick("POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "post"),
      type: fc.oneof(pick("application/x-www-form-urlencoded", "application/json", "text/plain", ""), fc.string()),
      origin: fc.oneof(pick(APP_ORIGIN, "null", "https://evil.example", undefined), fc.webUrl()),
      body: bodies,
    });
    await fc.assert(
      fc.asyncProperty(requests, async ({ method, type, origin, body }) => {
        const { handler } = makeHandler();
        const headers: Record<string, string> = {};
        // Headers refuses some bytes; skip those inputs rather than testing the Headers class.
        if (/^[\t\x20-\x7e]*$/.test(type)) headers["Content-Type"] = type;
        if (origin !== undefined) headers.Origin = origin;
        const hasBody = method !== "GET" && method !== "HEAD";
        const { status, body: answer } = await call(handler, post(hasBody ? (body as BodyInit) : null, headers, method));
        expect([200, 400, 403, 405, 413, 415]).toContain(status);
        if (status !== 200) expect(typeof answer.error).toBe("string");
      }),
      { numRuns: 300 },
    );
  });

  it("turns any upstream answer into a token, a passed-through 4xx, or a 502/503, never with the secret", async () => {
    const answers = fc.record({
      status: fc.integer({ min: 200, max: 599 }),
      body: fc.oneof(
        fc.string({ unit: "binary" }),
        fc.jsonValue(),
        fc.record({ error: fc.oneof(fc.string(), pick("invalid_grant", "invalid_client", SECRET)), error_description: fc.oneof(fc.string(), pick(SECRET, `x ${encodeURIComponent(SECRET)} y`)) }),
        fc.record({ access_token: fc.string(), token_type: fc.string(), expires_in: fc.oneof(fc.integer(), fc.string()), extra: pick(SECRET) }),
      ),
      echo: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(answers, async ({ status, body, echo }) => {
        const upstream = createFakeUpstream((req) => {
          const text = echo ? `${String(req.init.body)} ${JSON.stringify(body)}` : typeof body === "string" ? body : JSON.stringify(body);
          return status === 204 || status === 205 || status === 304 ? new Response(null, { status }) : typeof body === "object" && !echo ? json(body, status) : new Response(text, { status });
        });
        const { handler } = makeHandler(upstream);
        const started = performance.now();
        const { status: answered } = await call(handler, post(new URLSearchParams({ grant_type: "refresh_token", refresh_token: "rt" }).toString()));
        expect(performance.now() - started).toBeLessThan(1000);
        expect(answered === 200 || (answered >= 400 && answered < 500 && answered !== 401) || answered === 502 || answered === 503).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
