/**
 * Protections that a review removed one at a time without any test noticing (issue 14, items 1 and 2).
 * Each test here fails when its protection is removed.
 */
import { act, render, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { Callback } from "../../src/react/Callback";
import { useSmartbillsFetch } from "../../src/react/useSmartbillsFetch";
import { arrangeCallback, createRecordingFetch, createWrapper, jsonResponse, storeToken, tokenResponse } from "./helpers";

describe("useSmartbillsFetch judges a Request or URL object by its own URL", () => {
  // String(request) is "[object Request]", which reads as the same-origin path "/[object Request]":
  // an origin check on it would pass and send the bearer token to any host.
  const foreign: [string, () => RequestInfo | URL][] = [
    ["a Request for another host", () => new Request("https://evil.example/steal")],
    ["a Request built from a relative URL resolved against another host", () => new Request(new URL("/steal", "https://evil.example"))],
    ["a Request with a lookalike host", () => new Request("https://api.smartbills.io.evil.example/v1")],
    ["a URL object for another host", () => new URL("https://evil.example/steal")],
  ];

  for (const [name, make] of foreign) {
    it(`refuses ${name} with untrusted_origin and sends nothing`, async () => {
      storeToken({ accessToken: "live-at" });
      const network = createRecordingFetch(() => jsonResponse({}));
      vi.stubGlobal("fetch", network);
      const { Wrapper } = createWrapper();
      const { result } = renderHook(() => useSmartbillsFetch(), { wrapper: Wrapper });
      await act(async () => {
        await expect(result.current(make())).rejects.toMatchObject({ code: "untrusted_origin" });
      });
      expect(network.requests).toHaveLength(0);
    });
  }

  it("sends a same-origin Request built from a relative URL, with the token, to that URL", async () => {
    storeToken({ accessToken: "live-at" });
    const network = createRecordingFetch(() => jsonResponse({}));
    vi.stubGlobal("fetch", network);
    const { Wrapper } = createWrapper();
    const { result } = renderHook(() => useSmartbillsFetch(), { wrapper: Wrapper });
    await act(() => result.current(new Request(new URL("/v1/me", window.location.origin))));
    expect(network.requests.map((r) => [r.url, r.headers.get("authorization")])).toEqual([[`${window.location.origin}/v1/me`, "Bearer live-at"]]);
  });
});

describe("<Callback/> sanitises the stored returnTo again when it completes", () => {
  // The transaction lives in sessionStorage, which a script or extension on the page can rewrite
  // between login and callback: login-time sanitising alone is not enough.
  for (const tampered of ["//evil.com", "https://evil.example/x", "javascript:alert(1)", "/\t/evil.com", "/\\evil.com"]) {
    it(`navigates to "/" for a transaction tampered to ${JSON.stringify(tampered)}`, async () => {
      arrangeCallback({ returnTo: tampered });
      const fetch = createRecordingFetch(() => tokenResponse());
      const onSuccess = vi.fn();
      const { Wrapper } = createWrapper({ fetch });
      render(<Callback onSuccess={onSuccess} />, { wrapper: Wrapper });
      await waitFor(() => expect(onSuccess).toHaveBeenCalled(), { timeout: 2000 });
      expect(onSuccess).toHaveBeenCalledWith("/");
    });

    it(`the default navigation (onRedirectCallback) also gets "/" for ${JSON.stringify(tampered)}`, async () => {
      arrangeCallback({ returnTo: tampered });
      const fetch = createRecordingFetch(() => tokenResponse());
      const onRedirectCallback = vi.fn();
      const { Wrapper } = createWrapper({ fetch, onRedirectCallback });
      render(<Callback />, { wrapper: Wrapper });
      await waitFor(() => expect(onRedirectCallback).toHaveBeenCalled(), { timeout: 2000 });
      expect(onRedirectCallback).toHaveBeenCalledWith("/");
    });
  }

  it("keeps an untampered same-origin returnTo, query and hash included", async () => {
    arrangeCallback({ returnTo: "/receipts?page=2#top" });
    const onSuccess = vi.fn();
    const { Wrapper } = createWrapper({ fetch: createRecordingFetch(() => tokenResponse()) });
    render(<Callback onSuccess={onSuccess} />, { wrapper: Wrapper });
    await waitFor(() => expect(onSuccess).toHaveBeenCalled(), { timeout: 2000 });
    expect(onSuccess).toHaveBeenCalledWith("/receipts?page=2#top");
  });
});
