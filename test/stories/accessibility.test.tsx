import { composeStories } from "@storybook/react";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { StrictMode } from "react";
import preview from "../../.storybook/preview.js";
import { Callback, LoginButton, SmartbillsProvider } from "../../src/index.js";
import { MockSmartbillsProvider } from "../../src/testing.js";
import * as callbackStories from "../../stories/Callback.stories.js";
import * as loginButtonStories from "../../stories/LoginButton.stories.js";
import { prepareCallback, STORY_CLIENT_ID, STORY_EXCHANGE_ENDPOINT } from "../../stories/support/prepareCallback.js";
import { renderStory, seriousA11yViolations } from "./renderStory.js";

const callback = composeStories(callbackStories, preview);
const loginButton = composeStories(loginButtonStories, preview);

function signedOut(onLogin = vi.fn()) {
  return render(
    <StrictMode>
      <MockSmartbillsProvider signedIn={false} onLogin={onLogin}>
        <LoginButton returnTo="/invoices" />
      </MockSmartbillsProvider>
    </StrictMode>,
  );
}

describe("LoginButton accessibility", () => {
  it("is a native button of type button, named by its text", async () => {
    await renderStory(loginButton.Idle);
    const button = screen.getByRole("button", { name: "Sign in with Smartbills" });
    expect(button.tagName).toBe("BUTTON");
    expect(button.getAttribute("type")).toBe("button");
  });

  it("takes its name from the label, not from an aria-hidden icon beside it", async () => {
    await renderStory(loginButton.CustomLabel);
    expect(screen.getByRole("button", { name: "Continue with Smartbills" }).querySelector("svg")?.getAttribute("aria-hidden")).toBe("true");
  });

  it("is reached with Tab and starts the sign-in with Enter", async () => {
    const onLogin = vi.fn();
    const user = userEvent.setup();
    signedOut(onLogin);
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Sign in with Smartbills" }));
    await user.keyboard("{Enter}");
    expect(onLogin).toHaveBeenCalledWith({ returnTo: "/invoices" });
  });

  it("starts the sign-in with Space", async () => {
    const onLogin = vi.fn();
    const user = userEvent.setup();
    signedOut(onLogin);
    await user.tab();
    await user.keyboard(" ");
    expect(onLogin).toHaveBeenCalledTimes(1);
  });

  it("tells assistive technology it is busy while redirecting, and starts one login only", async () => {
    const onLogin = vi.fn();
    const user = userEvent.setup();
    signedOut(onLogin);
    const button = screen.getByRole("button", { name: "Sign in with Smartbills" });
    await user.click(button);
    await user.click(button);
    expect(button.getAttribute("aria-busy")).toBe("true");
    expect(onLogin).toHaveBeenCalledTimes(1);
  });

  // A browser moves the focus of a button that becomes `disabled` to <body> (Chromium does; jsdom does
  // not, so this checks the cause): while redirecting the button is aria-disabled, not disabled.
  it("keeps the focus on the activated button while redirecting (it stays focusable)", async () => {
    const user = userEvent.setup();
    signedOut();
    const button = screen.getByRole("button", { name: "Sign in with Smartbills" });
    await user.tab();
    await user.keyboard("{Enter}");
    expect(button.getAttribute("aria-busy")).toBe("true");
    expect(button.matches(":disabled")).toBe(false);
    expect(document.activeElement).toBe(button);
  });

  it("has no serious axe violation when disabled by the app", async () => {
    const { container } = await renderStory(loginButton.Disabled);
    expect(await seriousA11yViolations(container)).toEqual([]);
  });
});

describe("Callback accessibility", () => {
  it("announces the loading state politely, as role=status", async () => {
    await renderStory(callback.Loading);
    const status = screen.getByRole("status");
    expect(status.getAttribute("aria-live")).toBe("polite");
    expect(status.textContent).toBe("Signing in…");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("replaces the status with an alert when the sign-in fails", async () => {
    await renderStory(callback.NetworkError);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toMatch(/Could not reach the server/);
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("leaves the focus where the user put it when the result comes in", async () => {
    const { callback: arranged } = await prepareCallback({ exchange: "offline" })();
    const user = userEvent.setup();
    render(
      <SmartbillsProvider clientId={STORY_CLIENT_ID} exchangeEndpoint={STORY_EXCHANGE_ENDPOINT} redirectUri={arranged.redirectUri} storage="memory" fetch={arranged.fetch}>
        <label>
          Search <input />
        </label>
        <Callback />
      </SmartbillsProvider>,
    );
    await user.click(screen.getByRole("textbox", { name: "Search" }));
    await screen.findByRole("alert");
    expect(document.activeElement).toBe(screen.getByRole("textbox", { name: "Search" }));
  });

  it("lets the keyboard reach the way out that a custom error view offers", async () => {
    const user = userEvent.setup();
    await renderStory(callback.CustomErrorView);
    await screen.findByRole("alert");
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Try again" }));
  });
});
