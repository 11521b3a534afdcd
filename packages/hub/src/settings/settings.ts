import type { DiagnosticSetting, HubSettings, HubSettingsInput, JsonObject } from '@vigil/storage';
import {
  isServiceError,
  recordOperation,
  ServiceError,
  toServiceError,
  validationFailed,
  type ServiceContext,
} from '../registry/index.js';
import { createAccessPolicySettings, type AccessPolicySettings } from './access-policies.js';
import { createCertificateSettings, type CertificateSettings } from './certificates.js';
import { diagnosticSettingViolations } from './diagnostic-settings.js';
import { ipFilterViolations, type IpFilterInput } from './ip-filter-rules.js';

/** The IP filter with the settings document's etag. */
export type IpFilterView = HubSettings['ipFilter'] & { readonly etag: string };

/** Hub settings: CA certificates, the IP filter and diagnostic settings, each change recorded. */
export interface Settings {
  readonly certificates: CertificateSettings;
  /** Hub-level shared access policies (the `skn` of a SAS token). */
  readonly accessPolicies: AccessPolicySettings;
  getIpFilter(): Promise<IpFilterView>;
  /** Replaces the IP filter; `PRECONDITION_FAILED` when `ifMatch` is stale. Records `ipFilterChanged`. */
  setIpFilter(filter: IpFilterInput, options?: { readonly ifMatch?: string }): Promise<IpFilterView>;
  listDiagnosticSettings(): Promise<readonly DiagnosticSetting[]>;
  /** Adds or replaces the named setting; records `diagnosticSettingChanged`. */
  putDiagnosticSetting(setting: DiagnosticSetting): Promise<DiagnosticSetting>;
  /** `NOT_FOUND` when absent; records `diagnosticSettingDeleted`. */
  deleteDiagnosticSetting(name: string): Promise<void>;
}

const ipFilterView = (settings: HubSettings): IpFilterView => ({ ...settings.ipFilter, etag: settings.etag });
const asJson = (value: unknown): JsonObject => JSON.parse(JSON.stringify(value)) as JsonObject;

/**
 * Builds {@link Settings} over `store.certificates` and `store.hubSettings`. `onChange` runs after
 * every change (the gateway caches settings: pass `hub.invalidate`).
 */
export function createSettings(context: ServiceContext, onChange: () => void = () => undefined): Settings {
  const { store } = context;

  /** Read-modify-write of the one settings document, retried when another writer got there first. */
  const modify = async (
    change: (current: HubSettings) => HubSettingsInput,
  ): Promise<{ before: HubSettings; after: HubSettings }> => {
    for (let attempt = 0; ; attempt++) {
      const before = await store.hubSettings.get();
      try {
        const after = await store.hubSettings.put(change(before), {
          ifMatch: before.etag,
          now: context.now(),
        });
        return { before, after };
      } catch (error) {
        const mapped = toServiceError(error);
        if (mapped.code !== 'PRECONDITION_FAILED' || attempt >= 3) throw mapped;
      }
    }
  };

  return {
    certificates: createCertificateSettings(context, onChange),
    accessPolicies: createAccessPolicySettings(context, onChange),
    async getIpFilter() {
      return ipFilterView(await store.hubSettings.get());
    },
    async setIpFilter(filter, options = {}) {
      const violations = ipFilterViolations(filter);
      if (violations.length > 0) throw validationFailed(violations);
      const before = await store.hubSettings.get();
      const ifMatch =
        options.ifMatch === undefined || options.ifMatch === '*' ? before.etag : options.ifMatch;
      let after: HubSettings;
      try {
        after = await store.hubSettings.put(
          {
            ipFilter: { defaultAction: filter.defaultAction, rules: filter.rules.map((r) => ({ ...r })) },
            diagnosticSettings: before.diagnosticSettings,
          },
          { ifMatch, now: context.now() },
        );
      } catch (error) {
        throw toServiceError(error);
      }
      recordOperation(context, {
        operation: 'ipFilterChanged',
        outcome: 'success',
        details: { before: asJson(before.ipFilter), after: asJson(after.ipFilter) },
      });
      onChange();
      return ipFilterView(after);
    },
    async listDiagnosticSettings() {
      return (await store.hubSettings.get()).diagnosticSettings;
    },
    async putDiagnosticSetting(setting) {
      const violations = diagnosticSettingViolations(setting);
      if (violations.length > 0) throw validationFailed(violations);
      const stored: DiagnosticSetting = {
        name: setting.name,
        destination: setting.destination,
        categories: [...setting.categories],
      };
      let created = true;
      await modify((current) => {
        created = !current.diagnosticSettings.some((s) => s.name === setting.name);
        const others = current.diagnosticSettings.filter((s) => s.name !== setting.name);
        return { ipFilter: current.ipFilter, diagnosticSettings: [...others, stored] };
      });
      recordOperation(context, {
        operation: 'diagnosticSettingChanged',
        outcome: 'success',
        details: { ...asJson(stored), created },
      });
      onChange();
      return stored;
    },
    async deleteDiagnosticSetting(name) {
      try {
        await modify((current) => {
          if (!current.diagnosticSettings.some((s) => s.name === name)) {
            throw new ServiceError('NOT_FOUND', `diagnostic setting ${name} does not exist`);
          }
          return {
            ipFilter: current.ipFilter,
            diagnosticSettings: current.diagnosticSettings.filter((s) => s.name !== name),
          };
        });
      } catch (error) {
        if (isServiceError(error, 'NOT_FOUND')) throw error;
        throw toServiceError(error);
      }
      recordOperation(context, {
        operation: 'diagnosticSettingDeleted',
        outcome: 'success',
        details: { name },
      });
      onChange();
    },
  };
}
