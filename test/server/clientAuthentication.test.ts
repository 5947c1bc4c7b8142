import { describe, expect, it } from "vitest";
import { authenticateClient, basicCredentials } from "../../src/server/clientAuthentication";

/** Undoes basicCredentials as a server does (RFC 6749 §2.3.1): base64, split at the first ':', form-decode each half. */
function decodeBasic(header: string): { id: string; secret: string } {
  expect(header.startsWith("Basic ")).toBe(true);
  const decoded = atob(header.slice("Basic ".length));
  const colon = decoded.indexOf(":");
  const formDecode = (v: string) => new URLSearchParams(`v=${v}`).get("v")!;
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

describe("basicCredentials", () => {
  it("form-urlencodes id and secret before base64, so a secret with : % + é and a space decodes back intact", () => {
    const secret = "s:e%c+r é/t=&";
    const header = basicCredentials("client:id é", secret);
    expect(atob(header.slice(6))).toBe("client%3Aid+%C3%A9:s%3Ae%25c%2Br+%C3%A9%2Ft%3D%26");
    expect(decodeBasic(header)).toEqual({ id: "client:id é", secret });
  });

  it("matches its documented example", () => {
    expect(basicCredentials("client-abc", "s3cr:t")).toBe("Basic Y2xpZW50LWFiYzpzM2NyJTNBdA==");
  });

  it("leaves the unreserved characters of a plain id as they are", () => {
    expect(atob(basicCredentials("a-b_c.d*", "x").slice(6))).toBe("a-b_c.d*:x");
  });
});

describe("authenticateClient", () => {
  const form = () => new URLSearchParams({ grant_type: "refresh_token", refresh_token: "rt", client_id: "stale" });

  it("client_secret_post puts id and secret in the body and no Authorization header", () => {
    const body = form();
    const headers = new Headers({ Authorization: "Basic leftover" });
    authenticateClient("client_secret_post", "client-abc", "s:%+é", body, headers);
    expect(body.get("client_id")).toBe("client-abc");
    expect(body.getAll("client_id")).toHaveLength(1);
    expect(body.get("client_secret")).toBe("s:%+é");
    expect(headers.get("authorization")).toBeNull();
  });

  it("client_secret_basic sets the header and takes client_id and client_secret out of the body", () => {
    const body = form();
    body.set("client_secret", "leaked");
    const headers = new Headers();
    authenticateClient("client_secret_basic", "client-abc", "s:%+é", body, headers);
    expect(body.has("client_secret")).toBe(false);
    expect(body.has("client_id")).toBe(false);
    expect(body.get("refresh_token")).toBe("rt");
    expect(decodeBasic(headers.get("authorization")!)).toEqual({ id: "client-abc", secret: "s:%+é" });
  });
});
