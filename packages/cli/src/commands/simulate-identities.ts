import { VigilApiError, type IdentityRef, type IdentityView, type VigilClient } from '@vigil/api-client';
import type { FleetDevice } from '@vigil/sim';

/** The module a security agent connects as (reference/azure-security-module.md §2.5). */
export const SECURITY_MODULE_ID = 'azureiotsecurity';

/** What a simulated device needs registered: its id, profile and scenario. */
export interface SimulatedDeviceSpec {
  readonly deviceId: string;
  readonly profile: FleetDevice['profile'];
  readonly scenario?: FleetDevice['scenario'];
}

/** Registers an identity, or reads it back when it already exists, and returns its primary key. */
async function ensureIdentity(client: VigilClient, identity: IdentityRef): Promise<string> {
  let view: IdentityView;
  try {
    view = await client.createIdentity(identity);
  } catch (error) {
    // A rerun reuses the identities of the last one, keys unchanged.
    if (!(error instanceof VigilApiError && error.code === 'CONFLICT')) throw error;
    view = await client.getIdentity(identity);
  }
  const key = view.authentication.type === 'sas' ? view.authentication.symmetricKey?.primaryKey : undefined;
  if (key === undefined) {
    throw new Error(
      `${identity.deviceId}${identity.moduleId === undefined ? '' : `/${identity.moduleId}`} exists without a readable SAS key (not a SAS identity, or not an admin token)`,
    );
  }
  return key;
}

/**
 * Registers every simulated device through the hub's registry API (JSON-profile agents also get their
 * security module, which is what they connect as) and returns the fleet with credentials. Reports progress
 * after each device.
 */
export async function registerSimulatedDevices(
  client: VigilClient,
  specs: readonly SimulatedDeviceSpec[],
  onProgress: (done: number, total: number) => void,
): Promise<FleetDevice[]> {
  const fleet: FleetDevice[] = [];
  for (const spec of specs) {
    const deviceKey = await ensureIdentity(client, { deviceId: spec.deviceId });
    // The Linux agent connects as its module; the RTOS module rides on the device's own hub client
    // (reference/azure-security-module.md §1.8), and sensors have no agent.
    const agent = spec.profile === 'json-agent';
    const key = agent
      ? await ensureIdentity(client, { deviceId: spec.deviceId, moduleId: SECURITY_MODULE_ID })
      : deviceKey;
    fleet.push({
      identity: { deviceId: spec.deviceId, ...(agent ? { moduleId: SECURITY_MODULE_ID } : {}), key },
      profile: spec.profile,
      ...(spec.scenario === undefined ? {} : { scenario: spec.scenario }),
    });
    onProgress(fleet.length, specs.length);
  }
  return fleet;
}
