// The admin console: one tab per area. Loaded as its own chunk.
import type { User } from '../../api/types';
import { Link } from '../../components/Link';
import { useTitle } from '../../lib/hooks';
import { ApiKeys } from '../ApiKeys';
import { Audit } from './Audit';
import { Macros } from '../agent/Macros';
import { AiSettings } from './AiSettings';
import { Fields } from './Fields';
import { SettingsTab } from './Settings';
import { Teams } from './Teams';
import { Users } from './Users';
import { Workflow } from './Workflow';

const TABS: [string, string][] = [
  ['users', 'Users and roles'],
  ['teams', 'Teams'],
  ['fields', 'Custom fields'],
  ['workflow', 'Statuses and priorities'],
  ['macros', 'Shared templates'],
  ['ai', 'AI'],
  ['settings', 'Settings'],
  ['api-keys', 'API keys'],
  ['audit', 'Security log'],
];

export function Admin({ me, tab }: { me: User; tab: string }) {
  const current = TABS.find(([k]) => k === tab) || TABS[0];
  useTitle(`Admin · ${current[1]}`);
  return (
    <div class="admin">
      <nav class="admin-tabs" aria-label="Admin sections">
        <ul>
          {TABS.map(([k, label]) => (
            <li key={k}>
              <Link href={`/admin/${k}`} aria-current={k === current[0] ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div class="admin-body">
        <h1>{current[1]}</h1>
        {current[0] === 'users' && <Users me={me} />}
        {current[0] === 'teams' && <Teams />}
        {current[0] === 'fields' && <Fields />}
        {current[0] === 'workflow' && <Workflow />}
        {current[0] === 'macros' && <Macros shared />}
        {current[0] === 'ai' && <AiSettings />}
        {current[0] === 'settings' && <SettingsTab />}
        {current[0] === 'api-keys' && <ApiKeys />}
        {current[0] === 'audit' && <Audit />}
      </div>
    </div>
  );
}
