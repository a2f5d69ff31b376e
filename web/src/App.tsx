// Routes: who is signed in decides what each path shows.
//   /signin /signup                 signed out
//   /  /kb/:id                      help center (anyone, signed in or not)
//   /tickets /tickets/new /tickets/:id   customer portal
//   /agent/kb  /agent/kb/:id        article editor (staff)
//   /agent/metrics                  personal metrics (staff)
//   /agent/macros                   personal templates (staff)
//   /agent  /agent/tickets/:id      agent workspace (staff)
//   /admin  /admin/:tab             admin console (admins)
//   /account                        anyone signed in: 2FA, password, sessions, API keys
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { User } from './api/types';
import { Layout } from './components/Layout';
import { Loading } from './components/Misc';
import { Toasts } from './components/Toasts';
import { clearRefData, loadRefData } from './lib/refdata';
import { match, navigate, useLocation } from './lib/router';
import { isAdmin, isStaff, session, twoFactorDone } from './lib/session';
import { useStore } from './lib/store';
import { Account } from './pages/Account';
import { SignIn } from './pages/auth/SignIn';
import { SignUp } from './pages/auth/SignUp';
import { TwoFactorSetup } from './pages/auth/TwoFactorSetup';
import { AgentTicket } from './pages/agent/AgentTicket';
import { MyMacros } from './pages/agent/Macros';
import { Metrics } from './pages/agent/Metrics';
import { Workspace } from './pages/agent/Workspace';
import { KbArticle } from './pages/kb/KbArticle';
import { KbHome } from './pages/kb/KbHome';
import { MyTickets } from './pages/portal/MyTickets';
import { NewTicket } from './pages/portal/NewTicket';
import { PortalTicket } from './pages/portal/PortalTicket';

// The admin console is its own chunk, loaded when an admin opens it.
type AdminProps = { me: User; tab: string };
let AdminPage: FunctionComponent<AdminProps> | null = null;
function LazyAdmin(props: AdminProps) {
  const [C, setC] = useState(() => AdminPage);
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    if (C) return;
    import('./pages/admin/Admin')
      .then((m) => {
        AdminPage = m.Admin;
        setC(() => m.Admin);
      })
      .catch((e) => setErr(String(e)));
  }, []);
  if (err) return <p role="alert">The admin console could not be loaded: {err}</p>;
  return C ? <C {...props} /> : <Loading />;
}

// The article editor is its own chunk too: customers never load it.
type KbEditorProps = { me: User; id: string; query: URLSearchParams };
let KbEditorPage: FunctionComponent<KbEditorProps> | null = null;
function LazyKbEditor(props: KbEditorProps) {
  const [C, setC] = useState(() => KbEditorPage);
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    if (C) return;
    import('./pages/kbedit/KbEditor')
      .then((m) => {
        KbEditorPage = m.KbEditor;
        setC(() => m.KbEditor);
      })
      .catch((e) => setErr(String(e)));
  }, []);
  if (err) return <p role="alert">The article editor could not be loaded: {err}</p>;
  return C ? <C {...props} /> : <Loading />;
}

export function App() {
  const s = useStore(session);
  const loc = useLocation();
  const me = s.me;

  useEffect(() => {
    if (s.status === 'signed-in' && me && !s.setupRequired) loadRefData({ staff: isStaff(me), admin: isAdmin(me) });
    if (s.status === 'signed-out') clearRefData();
  }, [s.status, me?.id, s.setupRequired]);

  // signed out: the help center, sign-in and sign-up; remember where the user was going
  const publicPath = loc.path === '/' || !!match('/kb/:id', loc.path);
  useEffect(() => {
    if (s.status === 'signed-out' && loc.path !== '/signin' && loc.path !== '/signup' && !publicPath) {
      const back = loc.path === '/' ? '' : `?next=${encodeURIComponent(loc.path + (loc.query.toString() ? `?${loc.query}` : ''))}`;
      navigate(`/signin${back}`, { replace: true });
    }
    if (s.status === 'signed-in' && (loc.path === '/signin' || loc.path === '/signup')) {
      const next = loc.query.get('next');
      const home = isStaff(me) ? '/agent' : '/';
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : home, { replace: true });
    }
    if (s.status === 'signed-in' && isStaff(me) && loc.path === '/') navigate('/agent', { replace: true });
  }, [s.status, loc.path]);

  if (s.status === 'loading') return <Loading label="Starting Parley…" />;

  if ((s.status === 'signed-out' || !me) && publicPath) {
    const am = match('/kb/:id', loc.path);
    return (
      <>
        <Layout me={null} path={loc.path}>
          {am ? <KbArticle key={am.id} id={Number(am.id)} me={null} searchId={loc.query.get('search_id')} /> : <KbHome me={null} loc={loc} />}
        </Layout>
        <Toasts />
      </>
    );
  }

  if (s.status === 'signed-out' || !me) {
    return (
      <>
        {loc.path === '/signup' ? <SignUp /> : <SignIn />}
        <Toasts />
      </>
    );
  }

  if (s.setupRequired) {
    return (
      <Layout me={me} path={loc.path}>
        <section class="card narrow">
          <h1>Set up two-factor authentication</h1>
          <TwoFactorSetup intro="Your organisation requires staff to use two-factor authentication. Set it up to go on." onDone={() => twoFactorDone()} />
        </section>
      </Layout>
    );
  }

  const staff = isStaff(me);
  const path = loc.path;
  let page;
  let wide = false;
  let m: Record<string, string> | null;
  if (path === '/account') page = <Account me={me} />;
  else if ((m = match('/kb/:id', path))) page = <KbArticle key={m.id} id={Number(m.id)} me={me} searchId={loc.query.get('search_id')} />;
  else if (staff && path === '/agent/metrics') page = <Metrics me={me} />;
  else if (staff && path === '/agent/macros') page = <MyMacros />;
  else if (staff && (path === '/agent/kb' || path.startsWith('/agent/kb/'))) {
    page = <LazyKbEditor me={me} id={path.split('/')[3] || ''} query={loc.query} />;
    wide = true;
  }
  else if (staff && (path === '/' || path === '/agent')) {
    page = <Workspace me={me} query={loc.query} />;
    wide = true;
  } else if (staff && (m = match('/agent/tickets/:id', path) || match('/tickets/:id', path))) {
    page = <AgentTicket key={m.id} me={me} id={Number(m.id)} />;
    wide = true;
  } else if (path === '/admin' || path.startsWith('/admin/')) {
    page = isAdmin(me) ? (
      <LazyAdmin me={me} tab={path.split('/')[2] || 'users'} />
    ) : (
      <NotFound text="Only admins can open the admin console." />
    );
    wide = true;
  } else if (!staff && path === '/') page = <KbHome me={me} loc={loc} />;
  else if (!staff && path === '/tickets') page = <MyTickets me={me} />;
  else if (path === '/tickets/new') page = <NewTicket me={me} />;
  else if (!staff && (m = match('/tickets/:id', path))) page = <PortalTicket key={m.id} me={me} id={Number(m.id)} />;
  else page = <NotFound />;

  return (
    <>
      <Layout me={me} path={path} wide={wide}>
        {page}
      </Layout>
      <Toasts />
    </>
  );
}

function NotFound({ text = 'There is nothing at this address.' }: { text?: string }) {
  return (
    <section class="card narrow">
      <h1>Not found</h1>
      <p>{text}</p>
    </section>
  );
}
