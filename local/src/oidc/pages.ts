/** The provider's few HTML pages: the sign-in form and the sign-out step. Plain HTML, no script but the sign-out's. */

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.75rem 0 .25rem}' +
  'input{width:100%;padding:.4rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem}.error{color:#b00020}';

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** The sign-in form; it posts to `action`. `error` is shown above the form after a failed attempt. */
export function signInPage(options: { action: string; email?: string; error?: string }): string {
  const error = options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : '';
  return page(
    'Sign in to Innovate',
    `<h1>Sign in to Innovate</h1><p>Local identity provider (development only).</p>${error}
<form method="post" action="${escapeHtml(options.action)}" autocomplete="off">
<label for="email">Email</label><input id="email" name="email" type="email" required autofocus value="${escapeHtml(options.email ?? '')}">
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button></form>`,
  );
}

/**
 * Cognito's /logout signs out without asking; so does this page: it submits the provider's own sign-out form (which
 * carries the provider's anti-forgery token) at once, and shows the button only where scripts are off.
 */
export function signOutPage(form: string): string {
  return page(
    'Signing out',
    `${form}<noscript><button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button></noscript>
<script>const f=document.getElementById('op.logoutForm');const i=document.createElement('input');i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit();</script>`,
  );
}

export function signedOutPage(): string {
  return page('Signed out', '<h1>Signed out</h1><p>You can close this page.</p>');
}

export function errorPage(message: string): string {
  return page('Sign-in error', `<h1>Sign-in error</h1><p>${escapeHtml(message)}</p>`);
}
