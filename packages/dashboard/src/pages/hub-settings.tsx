import type { ReactNode } from 'react';
import type { VigilClient } from '@vigil/api-client';
import { IpFilterEditor } from '../components/ip-filter-editor';
import { LiveView, When } from '../components/states';
import { useLive } from '../use-live';

/** Hub-wide settings over the hub's service API: CA certificates, the IP filter, diagnostic settings. */
export function HubSettings({ client }: { readonly client: VigilClient }): ReactNode {
  const certificates = useLive(() => client.certificates.list(), [client]);
  const ipFilter = useLive(() => client.ipFilter.get(), [client]);
  const diagnostics = useLive(() => client.diagnosticSettings.list(), [client]);
  return (
    <section aria-labelledby="hub-title">
      <h2 id="hub-title">Hub settings</h2>
      <h3>CA certificates</h3>
      <LiveView
        live={certificates}
        isEmpty={(items) => items.length === 0}
        empty="No CA certificates: devices authenticate with keys or self-signed certificates only. Add one with the hub API."
      >
        {(items) => (
          <table className="list">
            <thead>
              <tr>
                <th>Name</th>
                <th>Thumbprint</th>
                <th>Verified</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {items.map((certificate) => (
                <tr key={certificate.name} data-testid="certificate-row">
                  <td>{certificate.name}</td>
                  <td>
                    <code>{certificate.thumbprint}</code>
                  </td>
                  <td>{certificate.isVerified ? 'verified' : 'awaiting proof of possession'}</td>
                  <td>
                    <When at={Date.parse(certificate.updated)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </LiveView>
      <h3>IP filter</h3>
      <LiveView live={ipFilter} empty={null}>
        {(filter) => <IpFilterEditor client={client} filter={filter} onSaved={ipFilter.reload} />}
      </LiveView>
      <h3>Diagnostic settings</h3>
      <LiveView
        live={diagnostics}
        isEmpty={(items) => items.length === 0}
        empty="No diagnostic settings: the operations log stays in Vigil only."
      >
        {(items) => (
          <table className="list">
            <thead>
              <tr>
                <th>Name</th>
                <th>Destination</th>
                <th>Categories</th>
              </tr>
            </thead>
            <tbody>
              {items.map((setting) => (
                <tr key={setting.name}>
                  <td>{setting.name}</td>
                  <td>{setting.destination}</td>
                  <td>{setting.categories.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </LiveView>
    </section>
  );
}
