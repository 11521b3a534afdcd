/** The hub's diagnostic settings (`/api/hub/diagnostic-settings`, reference/iothub-mqtt.md §5.3). */
import { HUB, type Requester } from './request.js';

/** A diagnostic setting: which resource-log categories go to which destination. */
export interface DiagnosticSetting {
  readonly name: string;
  readonly destination: string;
  /** Azure Monitor's IoT Hub categories: `Connections`, `DeviceTelemetry`, `C2DCommands`, … */
  readonly categories: readonly string[];
}

const path = (name: string): string => `${HUB}/diagnostic-settings/${encodeURIComponent(name)}`;

/** Lists, sets and deletes diagnostic settings. */
export class DiagnosticSettingsApi {
  readonly #request: Requester;

  constructor(request: Requester) {
    this.#request = request;
  }

  /** Every diagnostic setting. */
  async list(): Promise<readonly DiagnosticSetting[]> {
    return (
      await this.#request<{ readonly items: readonly DiagnosticSetting[] }>(
        'GET',
        `${HUB}/diagnostic-settings`,
      )
    ).items;
  }

  /** Creates or replaces the named setting; unknown categories are `VALIDATION_FAILED`. */
  set(setting: DiagnosticSetting): Promise<DiagnosticSetting> {
    return this.#request('PUT', path(setting.name), {
      destination: setting.destination,
      categories: setting.categories,
    });
  }

  /** Deletes a setting; `NOT_FOUND` when absent. */
  delete(name: string): Promise<void> {
    return this.#request('DELETE', path(name));
  }
}
