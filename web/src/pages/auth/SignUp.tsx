// Customer sign-up: creates the account, then signs in with it.
import { useState } from 'preact/hooks';
import { post } from '../../api/client';
import { FormError, TextField } from '../../components/Field';
import { Link } from '../../components/Link';
import { useSubmit, useTitle } from '../../lib/hooks';
import { navigate } from '../../lib/router';
import { login } from '../../lib/session';

export function SignUp() {
  useTitle('Create an account');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { submit, busy, fields: errs, form: formErr } = useSubmit(async () => {
    await post('/auth/register', { name: name.trim(), email: email.trim(), password });
    await login(email.trim(), password);
    const next = new URLSearchParams(location.search).get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
  }, ['name', 'email', 'password']);

  return (
    <main class="auth-page" id="main">
      <div class="auth-card">
        <h1>Create your account</h1>
        <p class="muted">Open tickets and follow their progress.</p>
        <form onSubmit={submit} noValidate>
          <TextField label="Your name" name="name" autoComplete="name" required value={name} onValue={setName} error={errs.name} autoFocus />
          <TextField label="Email" name="email" type="email" autoComplete="email" required value={email} onValue={setEmail} error={errs.email} />
          <TextField label="Password" name="password" type="password" autoComplete="new-password" required value={password} onValue={setPassword} error={errs.password} hint="At least 12 characters; avoid common words." />
          <FormError error={formErr} />
          <div class="actions">
            <button class="btn primary" type="submit" disabled={busy}>
              {busy ? 'Creating…' : 'Create account'}
            </button>
          </div>
        </form>
        <p class="muted">
          Already have an account? <Link href={`/signin${location.search}`}>Sign in</Link> · <Link href="/">Help center</Link>
        </p>
      </div>
    </main>
  );
}
