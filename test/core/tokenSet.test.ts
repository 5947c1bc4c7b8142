import { describe, expect, it } from "vitest";
import {
  createTokenSet,
  deserializeTokenSet,
  isExpired,
  isRefreshDue,
  refreshDueAt,
  serializeTokenSet,
  type TokenSet,
} from "../../src/core/tokenSet";
import { parseTokenResponse } from "../../src/core/tokenResponse";
import { expectAuthError, thrownBy } from "./authError";

const NOW = Date.UTC(2025, 0, 1);
const ACCESS = "ACCESS-TOKEN-aaaaaaaaaaaa";
const REFRESH = "REFRESH-TOKEN-rrrrrrrrrrrr";
const ID = "ID-TOKEN-iiiiiiiiiiii";

function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { access_token: ACCESS, token_type: "Bearer", expires_in: 3600, refresh_token: REFRESH, scope: "openid", id_token: ID, ...overrides };
}

describe("parseTokenResponse", () => {
  it("turns a token response into a token set", () => {
    const tokenSet = parseTokenResponse(body(), NOW);

    expect({ ...tokenSet }).toEqual({
      accessToken: ACCESS,
      tokenType: "Bearer",
      expiresAt: NOW + 3_600_000,
      issuedAt: NOW,
      refreshToken: REFRESH,
      scope: "openid",
      idToken: ID,
    });
  });

  it.each(["Bearer", "bearer", "BEARER", "bEaReR"])("accepts token_type %s", (tokenType) => {
    expect(parseTokenResponse(body({ token_type: tokenType }), NOW).tokenType).toBe("Bearer");
  });

  it.each([
    ["token_type mac", { token_type: "mac" }],
    ["token_type DPoP", { token_type: "DPoP" }],
    ["a missing token_type", { token_type: undefined }],
    ["a missing access_token", { access_token: undefined }],
    ["an empty access_token", { access_token: "" }],
    ["a numeric access_token", { access_token: 42 }],
    ["a negative expires_in", { expires_in: -1 }],
    ["a NaN expires_in", { expires_in: Number.NaN }],
    ["an infinite expires_in", { expires_in: Number.POSITIVE_INFINITY }],
    ["a non-numeric expires_in string", { expires_in: "soon" }],
    ["a non-string refresh_token", { refresh_token: 12 }],
  ])("refuses %s with invalid_response", (_name, overrides) => {
    expectAuthError(thrownBy(() => parseTokenResponse(body(overrides), NOW)), "invalid_response");
  });

  it.each([null, "a string", 42, ["array"], undefined])("refuses the non-object %j with invalid_response", (value) => {
    expectAuthError(thrownBy(() => parseTokenResponse(value, NOW)), "invalid_response");
  });

  it("accepts expires_in as a numeric string", () => {
    expect(parseTokenResponse(body({ expires_in: "120" }), NOW).expiresAt).toBe(NOW + 120_000);
  });

  it("assumes one hour when expires_in is absent", () => {
    expect(parseTokenResponse(body({ expires_in: undefined }), NOW).expiresAt).toBe(NOW + 3_600_000);
  });

  it("keeps the previous refresh token when none is returned", () => {
    const previous = parseTokenResponse(body(), NOW);

    const next = parseTokenResponse(body({ access_token: "NEW-ACCESS", refresh_token: undefined }), NOW + 1000, previous);

    expect(next.refreshToken).toBe(REFRESH);
  });

  it("replaces the refresh token when it is rotated", () => {
    const previous = parseTokenResponse(body(), NOW);

    const next = parseTokenResponse(body({ access_token: "NEW-ACCESS", refresh_token: "ROTATED-REFRESH" }), NOW + 1000, previous);

    expect(next.refreshToken).toBe("ROTATED-REFRESH");
    expect(next.accessToken).toBe("NEW-ACCESS");
  });

  it("returns a frozen token set", () => {
    expect(Object.isFrozen(parseTokenResponse(body(), NOW))).toBe(true);
  });
});

describe("createTokenSet", () => {
  it("leaves out missing fields and fields of the wrong type", () => {
    const tokenSet = createTokenSet({ accessToken: ACCESS, tokenType: "Bearer", expiresAt: NOW, issuedAt: "soon", refreshToken: 5, scope: undefined } as unknown as TokenSet);

    expect(Object.keys(tokenSet)).toEqual(["accessToken", "tokenType", "expiresAt"]);
  });

  it("has a toJSON that is neither enumerable nor in its storage form", () => {
    const tokenSet = createTokenSet({ accessToken: ACCESS, tokenType: "Bearer", expiresAt: NOW });

    expect(Object.getOwnPropertyDescriptor(tokenSet, "toJSON")?.enumerable).toBe(false);
    expect(serializeTokenSet(tokenSet)).toContain(ACCESS);
  });
});

describe("refreshDueAt", () => {
  it("is half the lifetime before expiry for a 5 s token", () => {
    const tokenSet = parseTokenResponse(body({ expires_in: 5 }), NOW);

    expect(refreshDueAt(tokenSet)).toBe(NOW + 2_500);
  });

  it("is 60 s before expiry for a 1 h token", () => {
    const tokenSet = parseTokenResponse(body({ expires_in: 3600 }), NOW);

    expect(refreshDueAt(tokenSet)).toBe(tokenSet.expiresAt - 60_000);
  });

  it("is 60 s before expiry for a token with no issuedAt", () => {
    const tokenSet = createTokenSet({ accessToken: ACCESS, tokenType: "Bearer", expiresAt: NOW });

    expect(refreshDueAt(tokenSet)).toBe(NOW - 60_000);
  });

  it("makes a token due at its refresh time and not before", () => {
    const tokenSet = parseTokenResponse(body({ expires_in: 3600 }), NOW);

    expect(isRefreshDue(tokenSet, refreshDueAt(tokenSet) - 1)).toBe(false);
    expect(isRefreshDue(tokenSet, refreshDueAt(tokenSet))).toBe(true);
  });

  it("makes a token expired at its expiry and not before", () => {
    const tokenSet = parseTokenResponse(body({ expires_in: 10 }), NOW);

    expect(isExpired(tokenSet, NOW + 9_999)).toBe(false);
    expect(isExpired(tokenSet, NOW + 10_000)).toBe(true);
  });
});

describe("token set JSON form", () => {
  it("contains no token strings", () => {
    const json = JSON.stringify(parseTokenResponse(body(), NOW));

    expect(json).not.toContain(ACCESS);
    expect(json).not.toContain(REFRESH);
    expect(json).not.toContain(ID);
  });

  it("keeps expiresAt", () => {
    const json = JSON.parse(JSON.stringify({ nested: parseTokenResponse(body(), NOW) }));

    expect(json.nested.expiresAt).toBe(NOW + 3_600_000);
  });

  it("redacts exactly the tokens it has and keeps the other fields", () => {
    const tokenSet = createTokenSet({ accessToken: ACCESS, tokenType: "Bearer", expiresAt: NOW, issuedAt: NOW - 1000, scope: "openid" });

    expect(JSON.parse(JSON.stringify(tokenSet))).toEqual({
      accessToken: "[redacted]",
      tokenType: "Bearer",
      expiresAt: NOW,
      issuedAt: NOW - 1000,
      scope: "openid",
    });
  });

  it("keeps the tokens readable as properties", () => {
    const tokenSet = parseTokenResponse(body(), NOW);

    expect(tokenSet.accessToken).toBe(ACCESS);
  });
});

describe("serializeTokenSet / deserializeTokenSet", () => {
  it("round-trips a token set", () => {
    const tokenSet = parseTokenResponse(body(), NOW);

    const restored = deserializeTokenSet(serializeTokenSet(tokenSet)) as TokenSet;

    expect({ ...restored }).toEqual({ ...tokenSet });
  });

  it("restores a token set whose JSON form is still redacted", () => {
    const restored = deserializeTokenSet(serializeTokenSet(parseTokenResponse(body(), NOW)));

    expect(JSON.stringify(restored)).not.toContain(ACCESS);
  });

  it.each([
    ["garbage", "garbage{"],
    ["null", "null"],
    ["a number", "42"],
    ["an empty object", "{}"],
    ["another version", JSON.stringify({ v: 2, accessToken: ACCESS, expiresAt: NOW })],
    ["a missing access token", JSON.stringify({ v: 1, expiresAt: NOW })],
    ["an empty access token", JSON.stringify({ v: 1, accessToken: "", expiresAt: NOW })],
    ["a non-numeric expiresAt", JSON.stringify({ v: 1, accessToken: ACCESS, expiresAt: "tomorrow" })],
    ["a non-string access token", JSON.stringify({ v: 1, accessToken: { evil: true }, expiresAt: NOW })],
  ])("reads %s as no session", (_name, raw) => {
    expect(deserializeTokenSet(raw)).toBeNull();
  });

  it("drops tampered optional fields of the wrong type", () => {
    const restored = deserializeTokenSet(JSON.stringify({ v: 1, accessToken: ACCESS, expiresAt: NOW, refreshToken: 5, scope: ["x"] }));

    expect(restored?.refreshToken).toBeUndefined();
    expect(restored?.scope).toBeUndefined();
  });

  it("always restores the Bearer token type", () => {
    const restored = deserializeTokenSet(JSON.stringify({ v: 1, accessToken: ACCESS, expiresAt: NOW, tokenType: "mac" }));

    expect(restored?.tokenType).toBe("Bearer");
  });
});
