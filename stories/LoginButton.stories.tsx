import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, within } from "storybook/test";
import { LoginButton } from "../src/index.js";
import { withMockSmartbills } from "./support/withMockSmartbills.js";
import "./support/stories.css";

const recordLogin = fn().mockName("login");

/**
 * `<LoginButton>` is a real `<button type="button">` that starts the sign-in. Every story runs
 * inside `MockSmartbillsProvider` signed out, so a click records the login instead of leaving
 * the page.
 */
const meta = {
  title: "Components/LoginButton",
  component: LoginButton,
  decorators: [withMockSmartbills],
  parameters: { smartbills: { signedIn: false, onLogin: recordLogin } },
  beforeEach: () => {
    recordLogin.mockClear();
  },
  args: { children: "Sign in with Smartbills" },
} satisfies Meta<typeof LoginButton>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Ready to sign in: the default label, focusable, enabled. */
export const Idle: Story = {};

/** A label of your own; an icon beside it is hidden from assistive technology, so the name stays the text. */
export const CustomLabel: Story = {
  args: {
    className: "brand-button",
    children: (
      <>
        <svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16">
          <path d="M8 1a4 4 0 0 0-4 4v2H3v8h10V7h-1V5a4 4 0 0 0-4-4Zm-2 4a2 2 0 1 1 4 0v2H6V5Z" fill="currentColor" />
        </svg>
        Continue with Smartbills
      </>
    ),
  },
};

/**
 * After the click, while the browser leaves for Smartbills: `aria-busy`, and a second click starts
 * no second login.
 */
export const Redirecting: Story = {
  play: async ({ canvasElement }) => {
    const button = within(canvasElement).getByRole("button", { name: "Sign in with Smartbills" });
    await userEvent.click(button);
    await expect(button).toHaveAttribute("aria-busy", "true");
    await userEvent.click(button);
    await expect(recordLogin).toHaveBeenCalledTimes(1);
  },
};

/** Disabled by the app (say, until the terms are accepted). */
export const Disabled: Story = {
  args: { disabled: true },
};

/** Styled with a `className`: the component ships no CSS, so your design system's classes apply. */
export const StyledWithClassName: Story = {
  args: { className: "brand-button" },
};

/** Styled through props: `style`, `title`, `data-*` and `aria-*` pass through to the `<button>`. */
export const StyledWithProps: Story = {
  args: {
    style: { padding: "0.75rem 1.5rem", borderRadius: 999, border: "2px solid #0b5cad", background: "#ffffff", color: "#0b5cad", fontWeight: 600 },
    title: "Opens the Smartbills sign-in page",
    "data-testid": "smartbills-login",
  } as Story["args"],
};

/** The login's options as props: where to come back to, extra scopes, a pre-filled e-mail, a forced prompt. */
export const WithLoginOptions: Story = {
  args: {
    children: "Sign in to see your invoices",
    returnTo: "/invoices",
    scope: "openid offline_access invoices:read",
    loginHint: "ada@example.com",
    prompt: "login",
  },
  play: async ({ canvasElement }) => {
    await userEvent.click(within(canvasElement).getByRole("button", { name: "Sign in to see your invoices" }));
    await expect(recordLogin).toHaveBeenCalledWith({
      returnTo: "/invoices",
      scope: "openid offline_access invoices:read",
      loginHint: "ada@example.com",
      prompt: "login",
    });
  },
};
