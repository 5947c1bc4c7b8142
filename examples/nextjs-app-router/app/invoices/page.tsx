import { RequireAuth } from "@smartbills/react";
import { InvoiceList } from "./InvoiceList";

export default function InvoicesPage() {
  return (
    <main>
      <h1>Invoices</h1>
      <RequireAuth fallback={<p>Redirecting to Smartbills…</p>}>
        <InvoiceList />
      </RequireAuth>
    </main>
  );
}
