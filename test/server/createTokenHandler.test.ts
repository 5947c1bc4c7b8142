import { afterEach, describe, expect, it, vi } from "vitest";
import { createTokenHandler, type TokenHandlerOptions } from "../../src/server/createTokenHandler";
import {
  APP_ORIGIN,
  AUTHORITY,
  CLIENT_ID,
  REDIRECT_URI,
  SECRET,
  TOKEN_URL,
  VERIFIER,
  call,
  codeForm,
  createFakeUpstream,
  expectNoSecret,
  json,
  makeHandler,
  post,
  refreshForm,
  tokenAnswer,
} from "./helpers";

const base: TokenHandlerOptions = { clientId: CLIENT_ID, clientSecret: SECRET, authority: AUTHORITY, allowedRedirectUris: [REDIRECT_URI] };

describe("createTokenHandler options", () => {
  it.each<[string, Partial<Record<keyof TokenHandlerOptions, unknown>>, string]>([
    ["a missing clientId", { clientId: undefined }, "clientId"],
    ["an empty clientId", { clientId: "" }, "clientId"],
    ["a missing clientSecret", { clientSecret: undefined }, "clientSecret"],
    ["an empty clientSecret", { clientSecret: "" }, "clientSecret"],
    ["a relative authority", { authority: "/auth" }, "authority"],
    ["a non-http authority", { authority: "ftp://auth.example" }, "authority"],
    ["an authority with a query", { authority: "https://auth.example/?x=1" }, "authority"],
    ["an authority with credentials", { authority: "https://user:pw@auth.example" }, "authority"],
    ["missing allowedRedirectUris", { allowedRedirectUris: undefined }, "allowedRedirectUris"],
    ["empty allowedRedirectUris", { allowedRedirectUris: [] }, "allowedRedirectUris"],
    ["a relative redirect URI", { allowedRedirectUris: ["/callback"] }, "allowedRedirectUris"],
    ["a redirect URI with a fragment", { allowedRedirectUris: ["https://app.example.com/cb#x"] }, "allowedRedirectUris"],
    ["a javascript: redirect URI", { allowedRedirectUris: ["javascript:alert(1)"] }, "allowedRedirectUris"],
    ["a zero timeoutMs", { timeoutMs: 0 }, "timeoutMs"],
    ["a fractional maxBodyBytes", { maxBodyBytes: 1.5 }, "maxBodyBytes"],
    ["a fetch that is not a function", { fetch: "fetch" }, "fetch"],
  ])("throws a TypeError naming the option for %s", (_, override, option) => {
    const create = () => createTokenHandler({ ...base, ...override } as TokenHandlerOptions);
    expect(create).toThrow(TypeError);
    expect(create).toThrow(option);
  });

  it("never puts the secret into a TypeError", () => {
    let message = "";
    try {
      createTokenHandler({ ...base, allowedRedirectUris: ["nope"] });
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain("allowedRedirectUris");
    expectNoSecret(message);
  });

  it("uses the default Smartbills authority and globalThis.fetch when none is given", async () => {
    const upstream = createFakeUpstream();
    vi.stubGlobal("fetch", upstream.fetch);
    const handler = createTokenHandler({ clientId: CLIENT_ID, clientSecret: SECRET, allowedRedirectUris: [REDIRECT_URI] });
    const { status } = await call(handler, post(codeForm().toString()));
    expect(status).toBe(200);
    expect(upstream.requests[0]!.url).toBe("https://api.smartbills.io/connect/token");
  });

  it.each([
    ["https://auth.example/", "https://auth.example/connect/token"],
    ["https://auth.example/tenant/", "https://auth.example/tenant/connect/token"],
    ["http://127.0.0.1:4000", "http://127.0.0.1:4000/connect/token"],
  ])("derives the token endpoint of authority %s as %s", async (authority, expected) => {
    const { handler, upstream } = makeHandler(undefined, { authority });
    await call(handler, post(codeForm().toString()));
    expect(upstream.requests[0]!.url).toBe(expected);
  });
});

describe("createTokenHandler request checks", () => {
  it.each(["GET", "PUT", "PATCH", "HEAD"])("answers %s with 405, Allow: POST, DELETE and no upstream call", async (method) => {
    const { handler, upstream } = makeHandler();
    const { response, status, body } = await call(handler, post(null, {}, method));
    expect(status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST, DELETE");
    expect(body.error).toBe("invalid_request");
    expect(upstream.requests).toHaveLength(0);
  });

  it("answers a CORS preflight with 405 and no CORS headers", async () => {
    const { handler, upstream } = makeHandler();
    const request = post(null, { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" }, "OPTIONS");
    const { response, status } = await call(handler, request);
    expect(status).toBe(405);
    expect([...response.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([]);
    expect(upstream.requests).toHaveLength(0);
  });

  it.each([
    ["no content type", undefined],
    ["text/plain", "text/plain"],
    ["application/json", "application/json"],
    ["multipart/form-data", "multipart/form-data; boundary=x"],
    ["a form in another charset", "application/x-www-form-urlencoded; charset=ISO-8859-1"],
    ["a look-alike type", "application/x-www-form-urlencoded-evil"],
  ])("answers %s with 415 and no upstream call", async (_, type) => {
    const { handler, upstream } = makeHandler();
    const request = new Request("https://app.example.com/token", {
      method: "POST",
      body: new TextEncoder().encode(codeForm().toString()),
      headers: type === undefined ? {} : { "Content-Type": type },
    });
    const { status, body } = await call(handler, request);
    expect(status).toBe(415);
    expect(body.error).toBe("invalid_request");
    expect(upstream.requests).toHaveLength(0);
  });

  it.each(["application/x-www-form-urlencoded;charset=UTF-8", 'Application/X-WWW-Form-Urlencoded; charset="utf-8"'])(
    "accepts the content type %s",
    async (type) => {
      const { handler } = makeHandler();
      const { status } = await call(handler, post(codeForm().toString(), { "Content-Type": type }));
      expect(status).toBe(200);
    },
  );

  it.each([
    "https://evil.example",
    "null",
    "http://app.example.com",
    "https://app.example.com:8443",
    "https://app.example.com.evil.example",
    "https://evil-app.example.com",
    `${APP_ORIGIN}, https://evil.example`,
  ])("refuses Origin %s with 403, no CORS header and no upstream call", async (origin) => {
    const { handler, upstream } = makeHandler();
    const { response, status, body } = await call(handler, post(codeForm().toString(), { Origin: origin }));
    expect(status).toBe(403);
    expect(body.error).toBe("invalid_request");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    expect(upstream.requests).toHaveLength(0);
  });

  it("accepts a request without Origin (server to server)", async () => {
    const { handler, upstream } = makeHandler();
    const request = new Request("https://app.example.com/token", {
      method: "POST",
      body: codeForm().toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    const { status } = await call(handler, request);
    expect(status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
  });

  it("accepts the origin of any allowed redirect URI", async () => {
    const { handler } = makeHandler();
    const form = codeForm({ redirect_uri: "http://localhost:5173/callback" });
    const { status } = await call(handler, post(form.toString(), { Origin: "http://localhost:5173" }));
    expect(status).toBe(200);
  });
});

describe("createTokenHandler body bound", () => {
  const padTo = (size: number) => {
    const form = codeForm().toString() + "&pad=";
    return form + "x".repeat(size - form.length);
  };

  it("accepts a body of exactly maxBodyBytes and does not forward the padding", async () => {
    const { handler, upstream } = makeHandler();
    const body = padTo(16 * 1024);
    expect(new TextEncoder().encode(body).byteLength).toBe(16384);
    const { status } = await call(handler, post(body));
    expect(status).toBe(200);
    expect(upstream.requests[0]!.body.has("pad")).toBe(false);
  });

  it("answers a body one byte over maxBodyBytes with 413", async () => {
    const { handler, upstream } = makeHandler();
    const { status, body } = await call(handler, post(padTo(16 * 1024 + 1)));
    expect(status).toBe(413);
    expect(body.error).toBe("invalid_request");
    expect(upstream.requests).toHaveLength(0);
  });

  it("answers 413 from Content-Length alone, without reading the body", async () => {
    const { handler } = makeHandler();
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(10));
      },
    });
    const { status } = await call(handler, post(stream, { "Content-Length": "20000" }));
    expect(status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1); // at most the stream's own start-up pull
  });

  it("answers a malformed Content-Length with 400", async () => {
    const { handler, upstream } = makeHandler();
    const { status } = await call(handler, post(codeForm().toString(), { "Content-Length": "12abc" }));
    expect(status).toBe(400);
    expect(upstream.requests).toHaveLength(0);
  });

  it("answers a 10 MB chunked body with 413 after pulling only about the limit, and cancels it", async () => {
    const { handler, upstream } = makeHandler();
    const chunk = new Uint8Array(1024).fill(0x61);
    let pulled = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 10 * 1024 * 1024) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const started = performance.now();
    const { status } = await call(handler, post(stream));
    expect(status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(16 * 1024 + 3 * 1024);
    expect(cancelled).toBe(true);
    expect(upstream.requests).toHaveLength(0);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("answers 408 when the body stalls longer than timeoutMs", async () => {
    const { handler, upstream } = makeHandler(undefined, { timeoutMs: 50 });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("grant_type=refresh"));
      },
    });
    const { status, body } = await call(handler, post(stream));
    expect(status).toBe(408);
    expect(body.error).toBe("invalid_request");
    expect(upstream.requests).toHaveLength(0);
  });

  it("answers a body stream that errors with 400", async () => {
    const { handler } = makeHandler();
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error(`boom ${SECRET}`));
      },
    });
    const { status } = await call(handler, post(stream));
    expect(status).toBe(400);
  });

  it("honours a custom maxBodyBytes", async () => {
    const { handler } = makeHandler(undefined, { maxBodyBytes: 64 });
    const { status } = await call(handler, post(codeForm().toString()));
    expect(status).toBe(413);
  });
});

describe("createTokenHandler parameter checks", () => {
  it.each<[string, BodyInit]>([
    ["invalid UTF-8 bytes", new Uint8Array([0x67, 0xff, 0xfe, 0x3d, 0x31])],
    ["a truncated percent escape", "grant_type=refresh_token&refresh_token=%E0%A4%A"],
    ["a non-hex percent escape", "grant_type=refresh_token&refresh_token=%ZZ"],
    ["a percent escape of invalid UTF-8", "grant_type=refresh_token&refresh_token=%FF"],
    ["an empty body", ""],
    ["JSON in a form body", '{"grant_type":"refresh_token"}'],
    ["NUL bytes", new Uint8Array(64)],
  ])("answers %s with 400 invalid_request and no upstream call", async (_, body) => {
    const { handler, upstream } = makeHandler();
    const answer = await call(handler, post(body));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe("invalid_request");
    expect(upstream.requests).toHaveLength(0);
  });

  it.each([
    "grant_type=authorization_code&grant_type=client_credentials",
    `${codeForm().toString()}&code=other`,
    `${codeForm().toString()}&redirect_uri=https%3A%2F%2Fevil.example%2Fcb`,
    `${refreshForm().toString()}&scope=&scope=admin`,
    `${codeForm().toString()}&client_id=${CLIENT_ID}`,
  ])("answers repeated parameters (%s) with 400 and zero upstream calls", async (form) => {
    const { handler, upstream } = makeHandler();
    const { status, body } = await call(handler, post(form));
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
    expect(upstream.requests).toHaveLength(0);
  });

  it.each([
    "client_credentials",
    "password",
    "urn:ietf:params:oauth:grant-type:token-exchange",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:device_code",
    "implicit",
    "AUTHORIZATION_CODE",
  ])("answers grant_type=%s with 400 unsupported_grant_type and no upstream call", async (grant) => {
    const { handler, upstream } = makeHandler();
    const form = new URLSearchParams({ grant_type: grant, client_id: CLIENT_ID, username: "u", password: "p", scope: "admin" });
    const { status, body } = await call(handler, post(form.toString()));
    expect(status).toBe(400);
    expect(body.error).toBe("unsupported_grant_type");
    expect(upstream.requests).toHaveLength(0);
  });

  it.each([
    ["a missing grant_type", "code=c&client_id=client-abc"],
    ["an empty grant_type", "grant_type=&code=c"],
  ])("answers %s with 400 invalid_request", async (_, form) => {
    const { handler, upstream } = makeHandler();
    const { status, body } = await call(handler, post(form));
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
    expect(upstream.requests).toHaveLength(0);
  });

  it.each([
    ["client_secret", "guess"],
    ["client_secret", ""],
    ["client_assertion", "eyJhbGciOiJub25lIn0.e30."],
    ["client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"],
  ])("answers a caller-supplied %s=%j with 400 invalid_request", async (name, value) => {
    const { handler, upstream } = makeHandler();
    const { status, body } = await call(handler, post(codeForm({ [name]: value }).toString()));
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
    expect(upstream.requests).toHaveLength(0);
  });

  it.each(["someone-else", "CLIENT-ABC", "client-abc "])("answers a foreign client_id %j with 400 invalid_request", async (clientId) => {
    const { handler, upstream } = makeHandler();
    const { status, body } = await call(handler, post(codeForm({ client_id: clientId }).toString()));
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
    expect(upstream.requests).toHaveLength(0);
  });

  it("forwards the configured client_id when the caller sends none", async () => {
    const { handler, upstream } = makeHandler();
    const form = codeForm();
    form.delete("client_id");
    const { status } = await call(handler, post(form.toString()));
    expect(status).toBe(200);
    expect(upstream.requests[0]!.body.get("client_id")).toBe(CLIENT_ID);
  });

  it.each([
    ["a trailing slash", `${REDIRECT_URI}/`],
    ["another host case", "https://APP.example.com/callback"],
    ["another path case", "https://app.example.com/Callback"],
    ["an extra query", `${REDIRECT_URI}?next=/admin`],
    ["an empty query", `${REDIRECT_URI}?`],
    ["a fragment", `${REDIRECT_URI}#x`],
    ["userinfo pointing elsewhere", "https://app.example.com@evil.example/callback"],
    ["userinfo on the right host", "https://evil@app.example.com/callback"],
    ["a look-alike suffix domain", "https://app.example.com.evil.example/callback"],
    ["a look-alike prefix domain", "https://evil-app.example.com/callback"],
    ["http instead of https", "http://app.example.com/callback"],
    ["an explicit default port", "https://app.example.com:443/callback"],
    ["a dot segment", "https://app.example.com/x/../callback"],
    ["a percent-encoded path", "https://app.example.com/%63allback"],
    ["surrounding whitespace", ` ${REDIRECT_URI} `],
    ["a backslash", "https://app.example.com\\callback"],
    ["a relative path", "/callback"],
  ])("answers a redirect_uri with %s with 400 invalid_grant and no upstream call", async (_, uri) => {
    const { handler, upstream } = makeHandler();
    const { status, body } = await call(handler, post(codeForm({ redirect_uri: uri }).toString()));
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_grant");
    expect(upstream.requests).toHaveLength(0);
  });

  it.each<[string, Record<string, string>]>([
    ["a missing code", { code: "" }],
    ["a missing redirect_uri", { redirect_uri: "" }],
    ["a missing code_verifier", { code_verifier: "" }],
    ["a 42-character code_verifier", { code_verifier: "a".repeat(42) }],
    ["a 129-character code_verifier", { code_verifier: "a".repeat(129) }],
    ["a code_verifier with +", { code_verifier: `${"a".repeat(42)}+` }],
    ["a code_verifier with /", { code_verifier: `${"a".repeat(42)}/` }],
    ["a code_verifier with =", { code_verifier: `${"a".repeat(42)}=` }],
    ["a code_verifier with a space", { code_verifier: `${"a".repeat(42)} ` }],
    ["a code_verifier with é", { code_verifier: `${"a".repeat(42)}é` }],
    ["a code_verifier with a newline", { code_verifier: `${"a".repeat(43)}\n` }],
  ])("answers %s with 400 invalid_request and no upstream call", async (_, overrides) => {
    const { handler, upstream } = makeHandler();
    const { status, body } = await call(handler, post(codeForm(overrides).toString()));
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
    expect(upstream.requests).toHaveLength(0);
  });

  it.each([43, 128])("accepts a %i-character code_verifier of the unreserved alphabet", async (length) => {
    const { handler, upstream } = makeHandler();
    const verifier = "Az09-._~".repeat(17).slice(0, length);
    const { status } = await call(handler, post(codeForm({ code_verifier: verifier }).toString()));
    expect(status).toBe(200);
    expect(upstream.requests[0]!.body.get("code_verifier")).toBe(verifier);
  });

  it("answers a refresh without refresh_token with 400 invalid_request", async () => {
    const { handler, upstream } = makeHandler();
    const { status, body } = await call(handler, post("grant_type=refresh_token&client_id=client-abc"));
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
    expect(upstream.requests).toHaveLength(0);
  });
});

describe("createTokenHandler forwarding", () => {
  it("forwards only the code grant's parameters plus client_id and client_secret to the fixed token URL", async () => {
    const { handler, upstream } = makeHandler();
    const form = codeForm({ scope: "admin", resource: "https://evil.example", audience: "x", state: "s", nonce: "n", foo: "bar" });
    const request = post(form.toString(), { Host: "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http", Cookie: "a=b", Authorization: "Basic eDp5" });
    const { status } = await call(handler, request);
    expect(status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
    const sent = upstream.requests[0]!;
    expect(sent.url).toBe(TOKEN_URL);
    expect([...sent.body.keys()].sort()).toEqual(["client_id", "client_secret", "code", "code_verifier", "grant_type", "redirect_uri"]);
    expect(sent.body.get("code")).toBe("code-1");
    expect(sent.body.get("redirect_uri")).toBe(REDIRECT_URI);
    expect(sent.body.get("client_secret")).toBe(SECRET);
    expect(sent.init.method).toBe("POST");
    expect(sent.init.redirect).toBe("manual");
    expect(sent.signal).toBeInstanceOf(AbortSignal);
    expect(sent.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(sent.headers.get("accept")).toBe("application/json");
    expect([...sent.headers.keys()].sort()).toEqual(["accept", "content-type"]);
  });

  it("form-encodes the secret so it arrives intact", async () => {
    const { handler, upstream } = makeHandler();
    await call(handler, post(codeForm().toString()));
    const raw = String(upstream.requests[0]!.init.body);
    expect(raw).toContain(`client_secret=${new URLSearchParams({ s: SECRET }).toString().slice(2)}`);
    expect(upstream.requests[0]!.body.get("client_secret")).toBe(SECRET);
  });

  it("forwards only grant_type, refresh_token and scope of a refresh", async () => {
    const { handler, upstream } = makeHandler();
    const form = refreshForm({ scope: "openid", code: "c", redirect_uri: REDIRECT_URI, code_verifier: VERIFIER });
    const { status } = await call(handler, post(form.toString()));
    expect(status).toBe(200);
    const sent = upstream.requests[0]!.body;
    expect([...sent.keys()].sort()).toEqual(["client_id", "client_secret", "grant_type", "refresh_token", "scope"]);
    expect(sent.get("refresh_token")).toBe("rt-0");
  });

  it("treats an empty-valued optional parameter as omitted", async () => {
    const { handler, upstream } = makeHandler();
    await call(handler, post(refreshForm({ scope: "" }).toString()));
    expect(upstream.requests[0]!.body.has("scope")).toBe(false);
  });
});

describe("createTokenHandler upstream answers", () => {
  const exchange = async (responder: Parameters<typeof createFakeUpstream>[0], options: Partial<TokenHandlerOptions> = {}) => {
    const { handler, upstream } = makeHandler(createFakeUpstream(responder), options);
    const answer = await call(handler, post(codeForm().toString()));
    return { ...answer, upstream };
  };

  it("passes a token response through with 200, standard fields only and no upstream header", async () => {
    const { status, body, response } = await exchange(() =>
      tokenAnswer({ internal_note: "db-7", client_secret: "leak", expires_in: "3600" }),
    );
    expect(status).toBe(200);
    expect(body).toEqual({ access_token: "at-1", token_type: "Bearer", expires_in: 3600, refresh_token: "rt-1", scope: "openid offline_access", id_token: "idt-1" });
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("does not copy upstream headers", async () => {
    const { response } = await exchange(() =>
      json({ access_token: "a", token_type: "Bearer" }, 200, { "Set-Cookie": "sid=1", "Access-Control-Allow-Origin": "*", "X-Upstream": "1", Location: "https://evil.example" }),
    );
    expect([...response.headers.keys()].sort()).toEqual(["cache-control", "content-type", "pragma", "x-content-type-options"]);
  });

  it.each<[string, () => Response]>([
    ["a 200 that is not JSON", () => new Response("<html>ok</html>", { status: 200 })],
    ["a 200 without access_token", () => json({ token_type: "Bearer" })],
    ["a 200 JSON array", () => json([{ access_token: "a" }])],
    ["a 200 JSON string", () => json("at")],
    ["a 204", () => new Response(null, { status: 204 })],
  ])("answers %s with 502 server_error", async (_, responder) => {
    const { status, body } = await exchange(responder);
    expect(status).toBe(502);
    expect(body.error).toBe("server_error");
  });

  it("refuses a token answer that quotes the secret", async () => {
    const { status, body } = await exchange(() => tokenAnswer({ access_token: `x${SECRET}` }));
    expect(status).toBe(502);
    expect(body.error).toBe("server_error");
  });

  it.each([
    [400, "invalid_grant"],
    [400, "invalid_request"],
    [400, "invalid_scope"],
    [400, "unauthorized_client"],
    [400, "unsupported_grant_type"],
    [403, "access_denied"],
    [429, "slow_down"],
  ])("passes an upstream %i %s through with its status", async (code, error) => {
    const { status, body } = await exchange(() => json({ error, error_description: "The code has expired.", error_uri: "https://evil.example", extra: 1 }, code));
    expect(status).toBe(code);
    expect(body).toEqual({ error, error_description: "The code has expired." });
  });

  it("passes an upstream error without description through with the error only", async () => {
    const { status, body } = await exchange(() => json({ error: "invalid_grant" }, 400));
    expect(status).toBe(400);
    expect(body).toEqual({ error: "invalid_grant" });
  });

  it.each([
    ["raw", (s: string) => s],
    ["form-encoded", (s: string) => new URLSearchParams({ s }).toString().slice(2)],
    ["percent-encoded in lower case", (s: string) => encodeURIComponent(s).toLowerCase()],
    ["in upper case", (s: string) => s.toUpperCase()],
    ["JSON-escaped", (s: string) => JSON.stringify(s).slice(1, -1)],
  ])("removes the secret (%s) from an upstream error_description that echoes it", async (_, encode) => {
    const { status, body } = await exchange((req) =>
      json({ error: "invalid_grant", error_description: `bad request: ${String(req.init.body).replace(/client_secret=[^&]*/, `client_secret=${encode(SECRET)}`)}` }, 400),
    );
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_grant");
    expect(String(body.error_description)).toContain("[redacted]");
  });

  it("clips a long upstream error_description and strips control characters", async () => {
    const { body } = await exchange(() => json({ error: "invalid_grant", error_description: `line1\r\nline2${"x".repeat(10_000)}` }, 400));
    const description = String(body.error_description);
    expect(description.length).toBeLessThanOrEqual(301);
    expect(description).not.toMatch(/[\r\n]/);
  });

  it.each<[string, () => Response]>([
    ["a non-string error", () => json({ error: 42 }, 400)],
    ["an error code with a quote and newline", () => json({ error: 'bad"\ncode' }, 400)],
    ["a 400 HTML page", () => new Response("<h1>Bad Request</h1>", { status: 400 })],
    ["a 404", () => new Response("Not Found", { status: 404 })],
  ])("answers an upstream 4xx with %s with 502 server_error", async (_, responder) => {
    const { status, body } = await exchange(responder);
    expect(status).toBe(502);
    expect(body.error).toBe("server_error");
  });

  it("answers an upstream error code that carries the secret with 502 server_error", async () => {
    const plain = "plainsecret-7f3a9c1e";
    const { handler } = makeHandler(createFakeUpstream(() => json({ error: `x${plain}` }, 400)), { clientSecret: plain });
    const { status, body } = await call(handler, post(codeForm().toString()));
    expect(status).toBe(502);
    expect(body.error).toBe("server_error");
  });

  it.each<[string, () => Response]>([
    ["401 invalid_client", () => json({ error: "invalid_client", error_description: `client ${CLIENT_ID} secret mismatch` }, 401, { "WWW-Authenticate": "Basic" })],
    ["400 invalid_client", () => json({ error: "invalid_client" }, 400)],
    ["a bare 401", () => new Response("Unauthorized", { status: 401 })],
  ])("turns an upstream %s into a generic 502", async (_, responder) => {
    const { status, body, response } = await exchange(responder);
    expect(status).toBe(502);
    expect(body).toEqual({ error: "server_error", error_description: "The token endpoint rejected this server's client credentials." });
    expect(response.headers.get("www-authenticate")).toBeNull();
  });

  it.each([301, 302, 303, 307, 308])("answers an upstream %i with 502 and never follows it", async (code) => {
    const { status, body, upstream } = await exchange(() => new Response(null, { status: code, headers: { Location: "https://evil.example/steal" } }));
    expect(status).toBe(502);
    expect(body.error).toBe("server_error");
    expect(upstream.requests).toHaveLength(1);
  });

  it("answers an upstream HTML 500 that echoes the request, secret included, with 502 and no secret", async () => {
    const { status, body, text } = await exchange(
      (req) => new Response(`<html><pre>${String(req.init.body)}\n${SECRET}</pre></html>`, { status: 500, headers: { "Content-Type": "text/html" } }),
    );
    expect(status).toBe(502);
    expect(body.error).toBe("server_error");
    expect(text).not.toContain("<html>");
  });

  it("answers an upstream 500 JSON error echoing the secret with 502 and no secret", async () => {
    const { status, body } = await exchange(() => json({ error: "server_error", error_description: SECRET }, 500));
    expect(status).toBe(502);
    expect(body.error).toBe("server_error");
  });

  it("answers a 503 with 503 temporarily_unavailable (so the browser honours a Retry-After)", async () => {
    const { status, body } = await exchange(() => new Response("busy", { status: 503 }));
    expect(status).toBe(503);
    expect(body.error).toBe("temporarily_unavailable");
  });

  it("answers a 500 saying temporarily_unavailable with 502 temporarily_unavailable", async () => {
    const { status, body } = await exchange(() => json({ error: "temporarily_unavailable" }, 500));
    expect(status).toBe(502);
    expect(body.error).toBe("temporarily_unavailable");
  });

  it("answers a network failure with 502 temporarily_unavailable, without the failure's text", async () => {
    const { status, body } = await exchange(() => {
      throw new TypeError(`fetch failed: ${SECRET}`);
    });
    expect(status).toBe(502);
    expect(body).toEqual({ error: "temporarily_unavailable", error_description: "The token endpoint could not be reached." });
  });

  it("answers a fetch that resolves to something other than a Response with 502", async () => {
    const { status } = await exchange(() => undefined as unknown as Response);
    expect(status).toBe(502);
  });

  it("answers 504 when the token endpoint does not answer within timeoutMs, and aborts the request", async () => {
    let signal: AbortSignal | undefined;
    const started = performance.now();
    const { status, body } = await exchange(
      (req) =>
        new Promise<Response>((_, reject) => {
          signal = req.signal;
          req.signal?.addEventListener("abort", () => reject(req.signal?.reason));
        }),
      { timeoutMs: 50 },
    );
    expect(status).toBe(504);
    expect(body.error).toBe("temporarily_unavailable");
    expect(signal?.aborted).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("answers 504 when the token endpoint's body stalls past timeoutMs", async () => {
    const { status } = await exchange(
      () => new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"access_token":')) }), { status: 200 }),
      { timeoutMs: 50 },
    );
    expect(status).toBe(504);
  });

  it("answers an upstream answer over 1 MiB with 502", async () => {
    const { status } = await exchange(() => tokenAnswer({ id_token: "x".repeat(1024 * 1024) }));
    expect(status).toBe(502);
  });
});

describe("createTokenHandler logging", () => {
  it("reports each error answer to onError, without the secret", async () => {
    const onError = vi.fn();
    const { handler } = makeHandler(createFakeUpstream(() => json({ error: "invalid_client", error_description: SECRET }, 401)), { onError });
    await call(handler, post(codeForm().toString()));
    await call(handler, post("grant_type=password"));
    expect(onError.mock.calls.map(([info]) => [info.status, info.error])).toEqual([
      [502, "server_error"],
      [400, "unsupported_grant_type"],
    ]);
    expectNoSecret(JSON.stringify(onError.mock.calls));
  });

  it("answers normally when onError throws", async () => {
    const { handler } = makeHandler(undefined, {
      onError: () => {
        throw new Error("logger down");
      },
    });
    const { status } = await call(handler, post("grant_type=password"));
    expect(status).toBe(400);
  });

  it("writes nothing to the console", async () => {
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
    const { handler } = makeHandler(createFakeUpstream(() => new Response(SECRET, { status: 500 })));
    await call(handler, post(codeForm().toString()));
    await call(handler, post("garbage", {}, "PUT"));
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});

afterEach(() => {
  vi.useRealTimers();
});
