// Tree shaking: a page that only shows the sign-in button must not pay for <Callback/>.
import { LoginButton } from "@smartbills/react";
import { createRoot } from "react-dom/client";

createRoot(document.getElementById("root")!).render(<LoginButton returnTo="/">Sign in with Smartbills</LoginButton>);
