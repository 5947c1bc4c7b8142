"use client";

import { useSmartbillsFetch } from "@smartbills/react";
import { useQuery } from "@tanstack/react-query";

interface Invoice {
  id: string;
  number: string;
  total: number;
}

/** Calls the Smartbills API from the browser: `useSmartbillsFetch` sends the access token. */
export function InvoiceList() {
  const smartbillsFetch = useSmartbillsFetch();
  const invoices = useQuery({
    queryKey: ["invoices"],
    queryFn: async (): Promise<Invoice[]> => {
      const response = await smartbillsFetch("https://api.smartbills.io/v1/invoices");
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    },
  });
  if (invoices.isPending) return <p role="status">Loading invoices…</p>;
  if (invoices.isError) return <p role="alert">Could not load invoices: {invoices.error.message}</p>;
  return (
    <ul>
      {invoices.data.map((invoice) => (
        <li key={invoice.id}>
          {invoice.number}: {invoice.total.toFixed(2)}
        </li>
      ))}
    </ul>
  );
}
