import { composeStories } from "@storybook/react";
import { screen } from "@testing-library/react";
import preview from "../../.storybook/preview.js";
import * as stories from "../../stories/LoginButton.stories.js";
import { testEveryStory } from "./renderStory.js";

const composed = composeStories(stories, preview);
const button = (name: string) => screen.getByRole("button", { name }) as HTMLButtonElement;

describe("LoginButton stories", () => {
  testEveryStory(composed, {
    Idle: () => {
      expect(button("Sign in with Smartbills").disabled).toBe(false);
      expect(button("Sign in with Smartbills").type).toBe("button");
      expect(button("Sign in with Smartbills").hasAttribute("aria-busy")).toBe(false);
    },
    CustomLabel: () => {
      // The icon is aria-hidden: the accessible name is the text alone.
      expect(button("Continue with Smartbills").className).toBe("brand-button");
    },
    Redirecting: () => {
      // The play function clicked twice and checked that one login started.
      expect(button("Sign in with Smartbills").getAttribute("aria-busy")).toBe("true");
    },
    Disabled: () => {
      expect(button("Sign in with Smartbills").disabled).toBe(true);
      expect(button("Sign in with Smartbills").hasAttribute("aria-busy")).toBe(false);
    },
    StyledWithClassName: () => {
      expect(button("Sign in with Smartbills").className).toBe("brand-button");
    },
    StyledWithProps: () => {
      const styled = button("Sign in with Smartbills");
      expect(styled.dataset.testid).toBe("smartbills-login");
      expect(styled.title).toBe("Opens the Smartbills sign-in page");
      expect(styled.style.borderRadius).toBe("999px");
    },
    WithLoginOptions: () => {
      // The play function clicked it and checked the recorded login options.
      expect(button("Sign in to see your invoices").getAttribute("aria-busy")).toBe("true");
    },
  });
});
