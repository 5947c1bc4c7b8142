import { describe, expect, it } from "vitest";
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from "../../src/core/retryAfter";

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);

describe("parseRetryAfter", () => {
  it("reads delta-seconds as milliseconds", () => {
    expect(parseRetryAfter("120", NOW)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", NOW)).toBe(0);
  });

  it("reads an HTTP date as the time left until it", () => {
    expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000);
  });

  it("reads a date in the past as no wait at all", () => {
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", NOW)).toBe(0);
  });

  it("caps an absurd value (a year) at one hour", () => {
    expect(parseRetryAfter(String(365 * 24 * 3600), NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter(new Date(NOW + 365 * 24 * 3600 * 1000).toUTCString(), NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter("9".repeat(40), NOW)).toBe(MAX_RETRY_AFTER_MS);
  });

  it.each([null, undefined, "", "   ", "-5", "1.5", "soon", "12abc", "0x10", "Infinity", "NaN", "1e9", "x".repeat(200)])(
    "ignores %j (null: the caller's own backoff applies)",
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeNull();
    },
  );
});
