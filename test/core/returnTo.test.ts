import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sanitizeReturnTo } from "../../src/core/returnTo";

const ORIGIN = "https://app.example";

/** Asserts `result` is a single-slash path that stays on ORIGIN. */
function expectOnOrigin(result: string): void {
  expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
  expect(result.startsWith("/")).toBe(true);
  expect(result.startsWith("//")).toBe(false);
  expect(result.startsWith("/\\")).toBe(false);
}

describe("sanitizeReturnTo", () => {
  it.each([
    "//evil.com",
    "/\\evil.com",
    "\\/evil.com",
    "\\\\evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    "/\r/evil.com",
    "https:evil.com",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,x",
    "https://evil.example/x",
    "http://app.example",
    "/.//evil.com",
    "/..//evil.com",
    "/%2e%2e//evil.com",
    "//evil.com@app",
    "https://app.example@evil.com/",
    " //evil.com",
    "\t//evil.com",
    "\u0000//evil.com",
    "///evil.com",
  ])("keeps %j on the app's origin", (value) => {
    expectOnOrigin(sanitizeReturnTo(value, ORIGIN));
  });

  it.each(["//evil.com", "javascript:alert(1)", "data:text/html,x", "https://evil.example/x", "http://app.example"])(
    "turns the foreign %j into /",
    (value) => {
      expect(sanitizeReturnTo(value, ORIGIN)).toBe("/");
    },
  );

  it("collapses the slashes of /.//evil.com into a path on the origin", () => {
    expect(sanitizeReturnTo("/.//evil.com", ORIGIN)).toBe("/evil.com");
  });

  it("reads https:evil.com as a same-origin path", () => {
    const result = sanitizeReturnTo("https:evil.com", ORIGIN);

    expectOnOrigin(result);
    expect(["/", "/evil.com"]).toContain(result);
  });

  it.each([undefined, null, 42, {}, ["/x"], ""])("turns the non-path %j into /", (value) => {
    expect(sanitizeReturnTo(value, ORIGIN)).toBe("/");
  });

  it("turns anything into / when there is no origin", () => {
    expect(sanitizeReturnTo("/dashboard", undefined)).toBe("/");
  });

  it("keeps a good path with its search and hash", () => {
    expect(sanitizeReturnTo("/orders/42?tab=items&sort=desc#line-3", ORIGIN)).toBe("/orders/42?tab=items&sort=desc#line-3");
  });

  it("reduces a same-origin absolute URL to its path", () => {
    expect(sanitizeReturnTo("https://app.example/settings?x=1#y", ORIGIN)).toBe("/settings?x=1#y");
  });

  it("keeps a relative path on the origin", () => {
    expect(sanitizeReturnTo("settings", ORIGIN)).toBe("/settings");
  });

  it("always ends on the origin with a single leading slash, idempotently (property)", () => {
    const fragment = fc.constantFrom(
      "/", "\\", "//", "\t", "\n", "\r", " ", "\u0000", "\u00a0", ".", "..", "@", ":", "?", "#", "%",
      "%2e", "%2E", "%2f", "%5c", "%09", "evil.com", "app.example", "https:", "http:", "javascript:", "data:", "a",
    );
    const mixed = fc.array(fragment, { maxLength: 14 }).map((parts) => parts.join(""));
    const anyValue = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.webUrl(), fc.webPath(), mixed);

    fc.assert(
      fc.property(anyValue, (value) => {
        const result = sanitizeReturnTo(value, ORIGIN);
        expectOnOrigin(result);
        expect(sanitizeReturnTo(result, ORIGIN)).toBe(result);
      }),
      { numRuns: 5000 },
    );
  });
});
