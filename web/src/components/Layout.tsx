// The frame of every signed-in page: a skip link, the top bar with the sections the
// user's role may open, the account menu, and the page.
import type { ComponentChildren } from 'preact';
import type { User } from '../api/types';
import { isAdmin, isStaff, logout } from '../lib/session';
import { navigate } from '../lib/router';
import { Link } from './Link';
import { useLive } from '../lib/hooks';
import { LiveIndicator } from './Misc';
import { toast } from './Toasts';

export function Layout({ me, path, children, wide }: { me: User | null; path: string; children: ComponentChildren; wide?: boolean }) {
  if (!me) return <PublicLayout path={path}>{children}</PublicLayout>;
  return <SignedInLayout me={me} path={path} wide={wide}>{children}</SignedInLayout>;
}

/** The frame for anonymous readers of the help center. */
function PublicLayout({ path, children }: { path: string; children: ComponentChildren }) {
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href="/" class="brand" aria-label="Parley help center">
          <span class="logo" aria-hidden="true" />
          <span class="brand-name">Parley</span>
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <Link href="/" aria-current={path === '/' || path.startsWith('/kb/') ? 'page' : undefined}>
                Help center
              </Link>
            </li>
          </ul>
        </nav>
        <div class="topbar-end">
          <Link href={`/signin?next=${encodeURIComponent(path)}`} class="btn ghost small">
            Sign in
          </Link>
          <Link href="/signup" class="btn small primary">
            Create an account
          </Link>
        </div>
      </header>
      <main id="main" class="page" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

function SignedInLayout({ me, path, children, wide }: { me: User; path: string; children: ComponentChildren; wide?: boolean }) {
  const staff = isStaff(me);
  useLive((e) => {
    if (e.type === 'reminder.due' && staff) toast(`Reminder due: ticket #${e.data?.ticket_id ?? ''}`, 'info');
  });
  const nav: { href: string; label: string; short?: string; active: boolean }[] = staff
    ? [
        { href: '/agent', label: 'Tickets', active: path === '/agent' || path.startsWith('/agent/tickets') },
        { href: '/agent/kb', label: 'Knowledge base', short: 'Knowledge', active: path.startsWith('/agent/kb') || path.startsWith('/kb') },
        { href: '/agent/metrics', label: 'My metrics', short: 'Metrics', active: path === '/agent/metrics' },
        ...(isAdmin(me) ? [{ href: '/admin', label: 'Admin', active: path.startsWith('/admin') }] : []),
      ]
    : [
        { href: '/', label: 'Help center', short: 'Help', active: path === '/' || path.startsWith('/kb') },
        { href: '/tickets', label: 'My tickets', short: 'Tickets', active: path.startsWith('/tickets') && path !== '/tickets/new' },
        { href: '/tickets/new', label: 'New ticket', short: 'New', active: path === '/tickets/new' },
      ];
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href={staff ? '/agent' : '/'} class="brand" aria-label="Parley home">
          <span class="logo" aria-hidden="true" />
          <span class="brand-name">Parley</span>
        </Link>
        <nav aria-label="Main">
          <ul>
            {nav.map((n) => (
              <li key={n.href}>
                <Link href={n.href} aria-current={n.active ? 'page' : undefined} aria-label={n.short ? n.label : undefined}>
                  {n.short ? (
                    <>
                      <span class="nav-long">{n.label}</span>
                      <span class="nav-short">{n.short}</span>
                    </>
                  ) : (
                    n.label
                  )}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="topbar-end">
          <LiveIndicator />
          <Link href="/account" class="account-link" aria-current={path === '/account' ? 'page' : undefined} title={`${me.name} · ${me.email}`}>
            <span class="avatar" aria-hidden="true">
              {me.name.slice(0, 1).toUpperCase()}
            </span>
            <span class="account-name">{me.name}</span>
          </Link>
          <button
            type="button"
            class="btn ghost small"
            onClick={async () => {
              await logout();
              navigate('/signin', { replace: true });
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" class={wide ? 'page wide' : 'page'} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
