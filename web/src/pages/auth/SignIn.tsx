// Sign in, with a second step for the authenticator code when the account has 2FA.
import { useState } from 'preact/hooks';
import { ApiError, fieldErrors } from '../../api/client';
import { FormError, TextField } from '../../components/Field';
import { Link } from '../../components/Link';
import { useTitle } from '../../lib/hooks';
import { login, session } from '../../lib/session';
import { useStore } from '../../lib/store';

export function SignIn() {
  useTitle('Sign in');
  const s = useStore(session);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [needOtp, setNeedOtp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [formErr, setFormErr] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrs({});
    setFormErr(null);
    try {
      await login(email.trim(), password, needOtp ? otp.trim() : undefined);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'otp_required') {
        if (needOtp && otp) setErrs({ otp: err.message });
        setNeedOtp(true);
      } else {
        const { fields, form } = fieldErrors(err, ['email', 'password', 'otp']);
        setErrs(fields);
        setFormErr(form);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="auth-page" id="main">
      <div class="auth-card">
        <h1>Sign in to Parley</h1>
        {s.notice && <p class="notice">{s.notice}</p>}
        <form onSubmit={submit} noValidate>
          {!needOtp ? (
            <>
              <TextField label="Email" name="email" type="email" autoComplete="username" required value={email} onValue={setEmail} error={errs.email} autoFocus />
              <TextField label="Password" name="password" type="password" autoComplete="current-password" required value={password} onValue={setPassword} error={errs.password} />
            </>
          ) : (
            <>
              <p>Two-factor authentication is on for {email}. Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
              <TextField label="Authentication code" name="otp" inputMode="numeric" autoComplete="one-time-code" required value={otp} onValue={setOtp} error={errs.otp} autoFocus />
            </>
          )}
          <FormError error={formErr} />
          <div class="actions">
            <button class="btn primary" type="submit" disabled={busy}>
              {busy ? 'Signing in…' : needOtp ? 'Verify' : 'Sign in'}
            </button>
            {needOtp && (
              <button class="btn ghost" type="button" onClick={() => { setNeedOtp(false); setOtp(''); setErrs({}); }}>
                Back
              </button>
            )}
          </div>
        </form>
        <p class="muted">
          New here? <Link href={`/signup${location.search}`}>Create an account</Link>
        </p>
        <p class="muted">
          <Link href="/">Browse the help center</Link>
        </p>
      </div>
    </main>
  );
}
