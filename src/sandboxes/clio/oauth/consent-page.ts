/** The OAuth consent page: plain accessible HTML (labelled controls, named buttons). */
const escape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const layout = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

export const consentPage = {
  form: (p: {
    clientId: string;
    redirectUri: string;
    state: string;
    users: { email: string; name: string }[];
  }): string =>
    layout(
      'Authorize application',
      `<p>The application <strong>${escape(p.clientId)}</strong> wants to access your Clio account (Sandbox Law LLP).</p>
<form method="post" action="/oauth/authorize">
<input type="hidden" name="client_id" value="${escape(p.clientId)}">
<input type="hidden" name="redirect_uri" value="${escape(p.redirectUri)}">
<input type="hidden" name="state" value="${escape(p.state)}">
<p><label for="user_email">Signed in as</label>
<select id="user_email" name="user_email">${p.users.map((u) => `<option value="${escape(u.email)}">${escape(u.name)} (${escape(u.email)})</option>`).join('')}</select></p>
<fieldset><legend>Your decision</legend>
<button type="submit" name="decision" value="allow">Allow access</button>
<button type="submit" name="decision" value="deny">Deny</button>
</fieldset></form>`,
    ),
  error: (message: string): string => layout('Authorization error', `<p role="alert">${escape(message)}</p>`),
};
