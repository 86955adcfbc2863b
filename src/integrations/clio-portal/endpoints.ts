/**
 * The web app's own endpoints the service calls with a browser session (Clio publishes no API for them). Kept in
 * one place: when Clio moves one, this is the line to change, as the page objects are for the sign-in pages.
 */
export const PORTAL_ENDPOINTS = {
  billPdf: (billId: string) => `/internal/bills/${encodeURIComponent(billId)}/pdf`,
} as const;
