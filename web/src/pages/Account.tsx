// The user's own account: two-factor authentication, password, sessions, API keys.
import { useState } from 'preact/hooks';
import { del, errorMessage, get, post } from '../api/client';
import type { Page, Session, User } from '../api/types';
import { FormError, TextField } from '../components/Field';
import { LoadState } from '../components/Misc';
import { toast } from '../components/Toasts';
import { fullTime } from '../lib/format';
import { useLoad, useSubmit, useTitle } from '../lib/hooks';
import { session } from '../lib/session';
import { ApiKeys } from './ApiKeys';
import { TwoFactorSetup } from './auth/TwoFactorSetup';

export function Account({ me }: { me: User }) {
  useTitle('Your account');
  return (
    <div class="account">
      <h1>Your account</h1>
      <section class="card" aria-labelledby="who-h">
        <h2 id="who-h">Profile</h2>
        <dl class="facts">
          <dt>Name</dt>
          <dd>{me.name}</dd>
          <dt>Email</dt>
          <dd>{me.email}</dd>
          <dt>Role</dt>
          <dd>{me.role}</dd>
        </dl>
      </section>
      <TwoFactor me={me} />
      <Password />
      <Sessions />
      <ApiKeys />
    </div>
  );
}

function TwoFactor({ me }: { me: User }) {
  const [otp, setOtp] = useState('');
  const off = useSubmit(async () => {
    await post('/me/2fa/disable', { otp: otp.trim() });
    session.update((s) => ({ ...s, me: s.me && { ...s.me, two_factor: false } }));
    toast('Two-factor authentication is off');
  }, ['otp']);
  const err = off.fields.otp || off.form;
  return (
    <section class="card" aria-labelledby="tfa-h">
      <h2 id="tfa-h">Two-factor authentication</h2>
      {me.two_factor ? (
        <form onSubmit={off.submit}>
          <p>
            <span class="badge ok">On</span> Sign-in asks for a code from your authenticator app.
          </p>
          <TextField label="Code to turn it off" name="otp" inputMode="numeric" autoComplete="one-time-code" value={otp} onValue={setOtp} error={err} />
          <button class="btn danger" type="submit" disabled={off.busy || !otp.trim()}>
            Turn off
          </button>
        </form>
      ) : (
        <TwoFactorSetup
          intro="Protect your account with a code from an authenticator app at each sign-in."
          onDone={() => {
            session.update((s) => ({ ...s, me: s.me && { ...s.me, two_factor: true } }));
            toast('Two-factor authentication is on');
          }}
        />
      )}
    </section>
  );
}

function Password() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const { submit, busy, fields: errs, form: formErr } = useSubmit(async () => {
    await post('/me/password', { current_password: current, new_password: next });
    setCurrent('');
    setNext('');
    toast('Password changed; your other sessions were signed out');
  }, ['current_password', 'new_password']);
  return (
    <section class="card" aria-labelledby="pw-h">
      <h2 id="pw-h">Password</h2>
      <form
        noValidate
        onSubmit={submit}
      >
        <TextField label="Current password" name="current_password" type="password" autoComplete="current-password" value={current} onValue={setCurrent} error={errs.current_password} />
        <TextField label="New password" name="new_password" type="password" autoComplete="new-password" value={next} onValue={setNext} error={errs.new_password} />
        <FormError error={formErr} />
        <button class="btn primary" type="submit" disabled={busy || !current || !next}>
          Change password
        </button>
      </form>
    </section>
  );
}

function Sessions() {
  const list = useLoad((signal) => get<Page<Session>>('/me/sessions', { signal }), []);
  return (
    <section class="card" aria-labelledby="sess-h">
      <h2 id="sess-h">Where you are signed in</h2>
      <LoadState load={list} />
      {list.data && (
        <ul class="sessions">
          {list.data.items.map((s) => (
            <li key={s.id}>
              <div>
                <strong>{s.user_agent ? s.user_agent.replace(/\s*\(.*?\)\s*/g, ' ').slice(0, 60) : 'Unknown browser'}</strong>
                {s.current && <span class="badge ok">This browser</span>}
                <div class="muted small">
                  {s.ip} · since {fullTime(s.created_at)} · last seen {fullTime(s.last_seen_at)}
                </div>
              </div>
              {!s.current && (
                <button
                  type="button"
                  class="btn small"
                  onClick={async () => {
                    try {
                      await del(`/me/sessions/${s.id}`);
                      list.reload();
                    } catch (e) {
                      toast(errorMessage(e), 'error');
                    }
                  }}
                >
                  Sign out
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
