/**
 * Server rendering knows no stored token, so it renders "loading"; hydrating that HTML in a browser
 * that has a token must not be a hydration mismatch: the first client render matches the server's,
 * and the token shows right after.
 */
import { act, waitFor } from "@testing-library/react";
import { hydrateRoot, type Root } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { createWrapper, storeToken } from "./helpers";

function Status() {
  const { status } = useSmartbillsAuth();
  return <p>{status}</p>;
}

let root: Root | undefined;
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  document.body.innerHTML = "";
});

describe("hydrating server-rendered HTML", () => {
  it("renders the server's 'loading' first, then the stored session, with no hydration error", async () => {
    storeToken({ accessToken: "stored-before-hydration" });
    const container = document.createElement("div");
    // What renderToString produced on the server, where there is no storage: loading.
    container.innerHTML = "<p>loading</p>";
    document.body.append(container);
    const errors: unknown[] = [];
    const { Wrapper } = createWrapper({}, { strict: false });
    await act(async () => {
      root = hydrateRoot(
        container,
        <Wrapper>
          <Status />
        </Wrapper>,
        { onRecoverableError: (error) => errors.push(error) },
      );
    });
    await waitFor(() => expect(container.textContent).toBe("authenticated"), { timeout: 2_000 });
    expect(errors).toEqual([]);
  });
});
