// Who is signed in: loaded from GET /me at start, set by sign-in, cleared by sign-out or
// by any 401 from the API. Keeps the CSRF token in the API client.
import { ApiError, get, onUnauthorized, post, setCsrfToken } from '../api/client';
import type { LoginAnswer, Me, User } from '../api/types';
import { createStore } from './store';
import { startLive, stopLive } from './sse';

export interface SessionState {
  status: 'loading' | 'signed-out' | 'signed-in';
  me: User | null;
  /** staff who must enrol in two-factor authentication before anything else */
  setupRequired: boolean;
  /** why the last session ended, shown on the sign-in page */
  notice?: string;
}

export const session = createStore<SessionState>({ status: 'loading', me: null, setupRequired: false });

const SETUP_KEY = 'parley.2fa-setup-required';
// Set while this browser has a session, so a signed-out visit does not start with a
// 401 from GET /me (the cookie itself is HttpOnly).
const HINT_KEY = 'parley.signed-in';

export const isStaff = (u: User | null | undefined) => !!u && u.role !== 'customer';
export const isAdmin = (u: User | null | undefined) => u?.role === 'admin';

function signedIn(me: User, csrf: string | undefined, setupRequired: boolean) {
  if (csrf) setCsrfToken(csrf);
  localStorage.setItem(HINT_KEY, '1');
  if (setupRequired) sessionStorage.setItem(SETUP_KEY, '1');
  else sessionStorage.removeItem(SETUP_KEY);
  session.set({ status: 'signed-in', me, setupRequired });
  if (!setupRequired) startLive();
}

export async function loadSession() {
  if (localStorage.getItem(HINT_KEY) !== '1') {
    session.set({ status: 'signed-out', me: null, setupRequired: false });
    return;
  }
  try {
    const me = await get<Me>('/me', { quiet401: true });
    const pending = sessionStorage.getItem(SETUP_KEY) === '1' && isStaff(me) && !me.two_factor;
    signedIn(me, me.csrf_token, pending);
  } catch (e) {
    localStorage.removeItem(HINT_KEY);
    if (e instanceof ApiError && e.status === 401) session.set({ status: 'signed-out', me: null, setupRequired: false });
    else session.set({ status: 'signed-out', me: null, setupRequired: false, notice: (e as Error).message });
  }
}

export async function login(email: string, password: string, otp?: string): Promise<LoginAnswer> {
  const body: Record<string, string> = { email, password };
  if (otp) body.otp = otp;
  const a = await post<LoginAnswer>('/auth/login', body, { quiet401: true });
  signedIn(a.user, a.csrf_token, a.two_factor_setup_required);
  return a;
}

export async function logout() {
  stopLive(); // before the session ends, so the stream does not retry with a dead cookie
  try {
    await post('/auth/logout');
  } catch {
    /* the session may already be gone */
  }
  endSession();
}

export function endSession(notice?: string) {
  stopLive();
  setCsrfToken(null);
  sessionStorage.removeItem(SETUP_KEY);
  localStorage.removeItem(HINT_KEY);
  session.set({ status: 'signed-out', me: null, setupRequired: false, notice });
}

/** After enrolling in 2FA: the account now has it, everything is open. */
export function twoFactorDone() {
  const s = session.get();
  if (!s.me) return;
  signedIn({ ...s.me, two_factor: true }, undefined, false);
}

onUnauthorized(() => {
  if (session.get().status === 'signed-in') endSession('Your session ended. Sign in again to go on.');
});
