const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every value put into a page goes through here: names and notes in the seed are user data. */
export const esc = (value: unknown): string =>
  (typeof value === 'string' || typeof value === 'number' ? String(value) : '').replace(
    /[&<>"']/g,
    (c) => ESCAPES[c] ?? c,
  );

export interface PageOptions {
  title: string;
  body: string;
  /** App pages carry the session's CSRF token where scripts (and the service) read it, as Rails does. */
  csrf?: string;
}

export function page({ title, body, csrf }: PageOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${csrf ? `<meta name="csrf-token" content="${esc(csrf)}">\n` : ''}<title>${esc(title)} - Clio (sandbox)</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b2733}
main{max-width:960px;margin:2rem auto;background:#fff;padding:2rem;border-radius:8px}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input[type=email],input[type=password],input[type=text]{width:100%;max-width:24rem;padding:.5rem;font-size:1rem}
button{margin-top:1rem;padding:.5rem 1.25rem;font-size:1rem}
.error{color:#b00020;font-weight:600}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #dde3e8;padding:.4rem;text-align:left}
nav a{margin-right:1rem}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export const cents = (value: unknown): string => `$${(Number(value ?? 0) / 100).toFixed(2)}`;
