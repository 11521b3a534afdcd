import type { Millis, Store } from '@vigil/storage';
import { createC2d, type C2d, type C2dOptions } from '../c2d/index.js';
import type { DeviceChannel, DeviceService, OperationsSink } from '../contract/index.js';
import { createMethods, type Methods, type MethodsOptions } from '../methods/index.js';
import { createRegistry, type Registry, type ServiceContext } from '../registry/index.js';
import { createSettings, type Settings } from '../settings/index.js';
import { createTwins, type Twins } from '../twins/index.js';

/** What {@link createDeviceServices} is built from. */
export interface DeviceServicesOptions {
  readonly store: Store;
  /** The gateway's channel (`hub.channel`). */
  readonly channel: DeviceChannel;
  /** Where operations are recorded (`hub.operations`). */
  readonly operations: OperationsSink;
  /** The hub's host name, as connection strings name it; default `localhost`. */
  readonly hostName?: string;
  readonly clock?: () => Millis;
  /** Runs after registry and settings changes; pass `hub.invalidate` so the gateway's caches follow. */
  readonly invalidate?: () => void;
  readonly methods?: MethodsOptions;
  readonly c2d?: C2dOptions;
}

/** The device services of one hub and the service-side APIs over them. */
export interface DeviceServices {
  /** Register each with the gateway (`createHub({ services })` or `hub.use`). */
  readonly services: readonly DeviceService[];
  readonly registry: Registry;
  readonly twins: Twins;
  readonly methods: Methods;
  readonly c2d: C2d;
  readonly settings: Settings;
  /** Fails pending invocations, stops timers, waits for in-flight deliveries. */
  close(): Promise<void>;
}

/**
 * Builds the registry, twins, direct methods, C2D and hub settings over one store and channel. The gateway routes
 * device publishes to `services`; the service API drives the rest.
 */
export function createDeviceServices(options: DeviceServicesOptions): DeviceServices {
  const context: ServiceContext = {
    store: options.store,
    channel: options.channel,
    operations: options.operations,
    now: options.clock ?? Date.now,
  };
  const invalidate = (): void => options.invalidate?.();
  const registry = createRegistry(context, {
    hostName: options.hostName ?? 'localhost',
    onChange: invalidate,
  });
  const settings = createSettings(context, invalidate);
  const twins = createTwins(context);
  const methods = createMethods(context, options.methods);
  const c2d = createC2d(context, options.c2d);
  let closing: Promise<void> | undefined;
  return {
    services: [twins.service, methods.service, c2d.service],
    registry,
    twins,
    methods,
    c2d,
    settings,
    close() {
      closing ??= Promise.all([methods.close(), c2d.close()]).then(() => undefined);
      return closing;
    },
  };
}
