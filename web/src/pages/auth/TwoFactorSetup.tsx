// Enrolment in TOTP two-factor authentication: the QR code (the server's SVG, shown as
// an image), the secret for manual entry, a code to confirm, then the recovery codes.
import { useState } from 'preact/hooks';
import { post } from '../../api/client';
import { useSubmit } from '../../lib/hooks';
import { FormError, TextField } from '../../components/Field';

interface Enrolment {
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}

export function TwoFactorSetup({ onDone, intro }: { onDone: () => void; intro?: string }) {
  const [enrol, setEnrol] = useState<Enrolment | null>(null);
  const [otp, setOtp] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const starting = useSubmit(async () => setEnrol(await post<Enrolment>('/me/2fa')), []);
  const enabling = useSubmit(async () => {
    const r = await post<{ recovery_codes: string[] }>('/me/2fa/enable', { otp: otp.trim() });
    setCodes(r.recovery_codes || []);
  }, ['otp']);
  const busy = starting.busy || enabling.busy;
  const errs = enabling.fields;
  const formErr = starting.form || enabling.form;
  const begin = () => starting.submit();
  const enable = enabling.submit;

  if (codes) {
    return (
      <div class="twofa">
        <h2>Two-factor authentication is on</h2>
        <p>Keep these recovery codes somewhere safe. Each signs you in once if you lose your authenticator.</p>
        <ul class="codes">
          {codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <button class="btn primary" type="button" onClick={onDone}>
          I have saved them
        </button>
      </div>
    );
  }

  if (!enrol) {
    return (
      <div class="twofa">
        {intro && <p>{intro}</p>}
        <FormError error={formErr} />
        <button class="btn primary" type="button" onClick={begin} disabled={busy}>
          {busy ? 'Starting…' : 'Set up two-factor authentication'}
        </button>
      </div>
    );
  }

  const qrSrc = enrol.qr_svg ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrol.qr_svg)}` : '';
  return (
    <form class="twofa" onSubmit={enable} noValidate>
      <ol class="steps">
        <li>Scan this code with an authenticator app (or enter the key by hand).</li>
      </ol>
      {qrSrc && <img class="qr" src={qrSrc} alt="QR code for your authenticator app" width={200} height={200} />}
      <p>
        Key: <code class="secret">{enrol.secret}</code>
      </p>
      <ol class="steps" start={2}>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <TextField label="Code from the app" name="otp" inputMode="numeric" autoComplete="one-time-code" value={otp} onValue={setOtp} error={errs.otp} required />
      <FormError error={formErr} />
      <button class="btn primary" type="submit" disabled={busy}>
        {busy ? 'Checking…' : 'Turn on'}
      </button>
    </form>
  );
}
