import { useMemo, useState, type ReactNode } from 'react';
import { AlertPage } from './pages/alert-page';
import { Alerts } from './pages/alerts';
import { DevicePage } from './pages/device-page';
import { Devices } from './pages/devices';
import { HubSettings } from './pages/hub-settings';
import { Overview } from './pages/overview';
import { Recommendations } from './pages/recommendations';
import { SecurityGroups } from './pages/security-groups';
import { SignIn } from './pages/sign-in';
import { ThreatIntel } from './pages/threat-intel';
import { href, useRoute } from './route';
import { clearToken, clientFor, storedToken, storeToken } from './session';

const NAVIGATION = [
  ['', 'Overview'],
  ['alerts', 'Alerts'],
  ['recommendations', 'Recommendations'],
  ['devices', 'Devices'],
  ['security-groups', 'Security groups'],
  ['threat-intel', 'Threat intelligence'],
  ['hub', 'Hub settings'],
] as const;

/** The dashboard: sign-in, then the navigation and the page the URL names. */
export function App(): ReactNode {
  const [token, setToken] = useState(storedToken);
  const client = useMemo(() => (token === null ? null : clientFor(token)), [token]);
  const [page, id] = useRoute();
  if (client === null) {
    return (
      <SignIn
        onSignedIn={(accepted) => {
          storeToken(accepted);
          setToken(accepted);
        }}
      />
    );
  }
  const signOut = () => {
    clearToken();
    setToken(null);
  };
  let content: ReactNode;
  if (page === 'alerts' && id !== undefined) content = <AlertPage client={client} id={Number(id)} />;
  // Keyed by the hash: a link to other filters (`#/alerts?deviceId=…`) opens them even from this page.
  else if (page === 'alerts') content = <Alerts key={window.location.hash} client={client} />;
  else if (page === 'recommendations') content = <Recommendations client={client} />;
  else if (page === 'devices' && id !== undefined)
    content = <DevicePage key={id} client={client} deviceId={id} />;
  else if (page === 'devices') content = <Devices client={client} />;
  else if (page === 'security-groups') content = <SecurityGroups client={client} />;
  else if (page === 'threat-intel') content = <ThreatIntel client={client} />;
  else if (page === 'hub') content = <HubSettings client={client} />;
  else content = <Overview client={client} />;
  return (
    <div className="shell">
      <header>
        <span className="brand">Vigil</span>
        <nav aria-label="Main">
          {NAVIGATION.map(([target, label]) => (
            <a
              key={label}
              href={href(...(target === '' ? [] : [target]))}
              aria-current={(page ?? '') === target ? 'page' : undefined}
            >
              {label}
            </a>
          ))}
        </nav>
        <button type="button" className="sign-out" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>{content}</main>
    </div>
  );
}
