import { describe, expect, it } from "vitest";
import { nextRefreshAt, type RefreshState } from "../../src/core/refreshTiming";
import { createTokenSet } from "../../src/core/tokenSet";

const NOW = 1_800_000_000_000;
const token = (lifetimeMs: number) => createTokenSet({ accessToken: "a", tokenType: "Bearer", issuedAt: NOW, expiresAt: NOW + lifetimeMs, refreshToken: "r" });
const fresh: RefreshState = { failures: 0, lastAttemptAt: 0, notBefore: 0 };
const healthy = { refreshable: true, due: false };

describe("nextRefreshAt", () => {
  it("is one minute before expiry for an hour-long token, half its life for a short one", () => {
    expect(nextRefreshAt(token(3_600_000), NOW, fresh, healthy)).toBe(NOW + 3_540_000);
    expect(nextRefreshAt(token(5_000), NOW, fresh, healthy)).toBe(NOW + 2_500);
  });

  it("is at expiry for a session that cannot refresh, so that it ends on time", () => {
    expect(nextRefreshAt(token(60_000), NOW, fresh, { refreshable: false, due: false })).toBe(NOW + 60_000);
  });

  it("backs off exponentially with jitter after failures, capped at 30 s", () => {
    const at = (failures: number, random: number) => nextRefreshAt(token(10_000), NOW, { ...fresh, failures }, { refreshable: true, due: true }, () => random) - NOW;
    expect([at(1, 1), at(2, 1), at(3, 1), at(10, 1)]).toEqual([1_000, 2_000, 4_000, 30_000]);
    expect(at(3, 0)).toBe(2_000); // jitter: between half and all of the step
  });

  it("never comes before the server's Retry-After, nor sooner than 1 s after the last attempt", () => {
    expect(nextRefreshAt(token(5_000), NOW, { ...fresh, notBefore: NOW + 120_000 }, healthy)).toBe(NOW + 120_000);
    expect(nextRefreshAt(token(0), NOW, { ...fresh, lastAttemptAt: NOW }, { refreshable: true, due: true })).toBe(NOW + 1_000);
  });

  it("is never in the past", () => {
    expect(nextRefreshAt(token(-10_000), NOW, fresh, healthy)).toBe(NOW);
  });
});
