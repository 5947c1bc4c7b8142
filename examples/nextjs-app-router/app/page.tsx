import { LoginButton } from "@smartbills/react";
import Link from "next/link";

// A server component: `@smartbills/react` is marked "use client", so its components render here as
// client components, given serializable props only (no function props from the server).
export default function HomePage() {
  return (
    <main>
      <h1>Smartbills + Next.js</h1>
      <p>
        <Link href="/invoices">Your invoices</Link> are behind a sign-in.
      </p>
      <LoginButton returnTo="/invoices" />
    </main>
  );
}
