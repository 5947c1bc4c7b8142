import { describe, expect, it } from "vitest";
import { assertTrustedUrl } from "../../src/core/origins";
import { expectAuthError, thrownBy } from "./authError";

const PAGE = "https://app.example";
const TRUSTED = ["https://api.smartbills.io", "https://api.partner.example"];

describe("assertTrustedUrl", () => {
  it("allows the page's own origin for a relative URL", () => {
    expect(assertTrustedUrl("/api/orders", PAGE, TRUSTED).href).toBe("https://app.example/api/orders");
  });

  it("allows the page's own origin for an absolute URL", () => {
    expect(assertTrustedUrl("https://app.example/x", PAGE, TRUSTED).origin).toBe(PAGE);
  });

  it("allows the authority's origin", () => {
    expect(assertTrustedUrl("https://api.smartbills.io/v1/me", PAGE, TRUSTED).origin).toBe("https://api.smartbills.io");
  });

  it("allows an apiOrigins origin", () => {
    expect(assertTrustedUrl("https://api.partner.example/data", PAGE, TRUSTED).origin).toBe("https://api.partner.example");
  });

  it.each([
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "data:text/html,x",
    "http://app.example/x",
    "https://app.example:8443/x",
    "https://app.example@evil.example/",
    "https://api.smartbills.io.evil.example/",
  ])("refuses %j with untrusted_origin", (target) => {
    expectAuthError(thrownBy(() => assertTrustedUrl(target, PAGE, TRUSTED)), "untrusted_origin");
  });

  it("refuses a relative URL when there is no page origin", () => {
    expectAuthError(thrownBy(() => assertTrustedUrl("/api", undefined, TRUSTED)), "untrusted_origin");
  });

  it("still allows a trusted absolute URL when there is no page origin", () => {
    expect(assertTrustedUrl("https://api.smartbills.io/x", undefined, TRUSTED).origin).toBe("https://api.smartbills.io");
  });
});
