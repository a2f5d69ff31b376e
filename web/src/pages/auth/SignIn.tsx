// Sign in, with a second step for the authenticator code when the account has 2FA.
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { FormError, TextField } from '../../components/Field';
import { Link } from '../../components/Link';
import { useSubmit, useTitle } from '../../lib/hooks';
import { login, session } from '../../lib/session';
import { useStore } from '../../lib/store';

export function SignIn() {
  useTitle('Sign in');
  const s = useStore(session);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [needOtp, setNeedOtp] = useState(false);
  const f = useSubmit(async () => {
    try {
      await login(email.trim(), password, needOtp ? otp.trim() : undefined);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'otp_required')) throw err;
      const wrongCode = needOtp && otp;
      setNeedOtp(true);
      // a wrong code is the code field's error; the first otp_required only asks for it
      if (wrongCode) throw new ApiError(err.status, err.code, err.message, 'otp');
    }
  }, ['email', 'password', 'otp']);
  const { submit, busy, fields: errs, form: formErr, clear } = f;

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
              <button class="btn ghost" type="button" onClick={() => { setNeedOtp(false); setOtp(''); clear(); }}>
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
