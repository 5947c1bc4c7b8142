import { describe, expect, it } from "vitest";
import { buildAuthorizeUrl, type AuthorizeUrlParams } from "../../src/core/authorizeUrl";
import { thrownBy } from "./authError";

const BASE: AuthorizeUrlParams = {
  authorizeEndpoint: "https://api.smartbills.io/connect/authorize",
  clientId: "client-1",
  redirectUri: "https://app.example/callback",
  scope: "openid offline_access",
  state: "STATE_abcdefghijklmnopqrstuvwxyz0123456789ABCD",
  codeChallenge: "CHALLENGE_abcdefghijklmnopqrstuvwxyz012345678",
};

const CONFIGURED = {
  response_type: "code",
  client_id: BASE.clientId,
  redirect_uri: BASE.redirectUri,
  scope: BASE.scope,
  state: BASE.state,
  code_challenge: BASE.codeChallenge,
  code_challenge_method: "S256",
};

const PROTECTED = ["response_type", "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method"];
const HOSTILE = "x&redirect_uri=https://evil&state=forged&code_challenge_method=plain#frag";

/** Asserts every configured parameter appears exactly once with its configured value. */
function expectConfiguredOnce(href: string): void {
  const url = new URL(href);
  for (const [name, value] of Object.entries(CONFIGURED)) {
    expect(url.searchParams.getAll(name), name).toEqual([value]);
  }
}

describe("buildAuthorizeUrl", () => {
  it("has exactly the parameters of a PKCE authorization request", () => {
    const url = new URL(buildAuthorizeUrl(BASE));

    expect(Object.fromEntries(url.searchParams)).toEqual(CONFIGURED);
    expect([...url.searchParams.keys()]).toHaveLength(7);
  });

  it("targets the authorize endpoint", () => {
    const url = new URL(buildAuthorizeUrl(BASE));

    expect(`${url.origin}${url.pathname}`).toBe(BASE.authorizeEndpoint);
  });

  it("adds prompt and login_hint when given", () => {
    const url = new URL(buildAuthorizeUrl({ ...BASE, prompt: "login", loginHint: "ada@example.com" }));

    expect(url.searchParams.get("prompt")).toBe("login");
    expect(url.searchParams.get("login_hint")).toBe("ada@example.com");
  });

  it("adds an allowed extra parameter", () => {
    const url = new URL(buildAuthorizeUrl({ ...BASE, extraParams: { ui_locales: "fr-CA" } }));

    expect(url.searchParams.get("ui_locales")).toBe("fr-CA");
  });

  it("drops a query already on the authorize endpoint rather than duplicating parameters", () => {
    const url = new URL(buildAuthorizeUrl({ ...BASE, authorizeEndpoint: `${BASE.authorizeEndpoint}?state=forged` }));

    expect(url.searchParams.getAll("state")).toEqual([BASE.state]);
  });

  it.each(PROTECTED)("refuses extraParams.%s with a TypeError naming it", (key) => {
    const error = thrownBy(() => buildAuthorizeUrl({ ...BASE, extraParams: { [key]: "evil" } }));

    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toContain(key);
  });

  it.each(["code_verifier", "client_secret", "request", "request_uri"])("refuses extraParams.%s too", (key) => {
    const error = thrownBy(() => buildAuthorizeUrl({ ...BASE, extraParams: { [key]: "evil" } }));

    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toContain(key);
  });

  it("refuses a non-string extra parameter", () => {
    const error = thrownBy(() => buildAuthorizeUrl({ ...BASE, extraParams: { ui_locales: 42 as unknown as string } }));

    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toContain("ui_locales");
  });

  it("encodes a hostile value in an allowed extra parameter", () => {
    const href = buildAuthorizeUrl({ ...BASE, extraParams: { ui_locales: HOSTILE } });

    expectConfiguredOnce(href);
    expect(new URL(href).searchParams.get("ui_locales")).toBe(HOSTILE);
    expect(new URL(href).hash).toBe("");
  });

  it("encodes a hostile value in the login hint", () => {
    const href = buildAuthorizeUrl({ ...BASE, loginHint: HOSTILE });

    expectConfiguredOnce(href);
    expect(new URL(href).searchParams.get("login_hint")).toBe(HOSTILE);
  });

  it("encodes a hostile value in the prompt", () => {
    const href = buildAuthorizeUrl({ ...BASE, prompt: HOSTILE });

    expectConfiguredOnce(href);
    expect(new URL(href).searchParams.get("prompt")).toBe(HOSTILE);
  });

  it("encodes a hostile scope as one scope parameter", () => {
    const href = buildAuthorizeUrl({ ...BASE, scope: `openid ${HOSTILE}` });
    const url = new URL(href);

    expect(url.searchParams.getAll("scope")).toEqual([`openid ${HOSTILE}`]);
    expect(url.searchParams.getAll("redirect_uri")).toEqual([BASE.redirectUri]);
    expect(url.searchParams.getAll("state")).toEqual([BASE.state]);
  });

  it("keeps the configured scope when extraParams also sets scope", () => {
    const href = buildAuthorizeUrl({ ...BASE, extraParams: { scope: "admin" } });

    expectConfiguredOnce(href);
  });

  it("never puts a code_verifier in the URL", () => {
    const href = buildAuthorizeUrl({ ...BASE, prompt: "login", loginHint: "a", extraParams: { ui_locales: "en" } });

    expect(href).not.toContain("code_verifier");
    expect(new URL(href).searchParams.has("code_verifier")).toBe(false);
  });
});
