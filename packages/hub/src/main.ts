/**
 * A runnable hub for development and for the crash test's child process:
 * `node --conditions=@vigil/source --import tsx packages/hub/src/main.ts` with
 * `VIGIL_HUB_DATA_DIR`, `VIGIL_HUB_HOST_NAME`, `VIGIL_HUB_MQTTS_PORT`, `VIGIL_HUB_WSS_PORT`
 * (`off` to disable), `VIGIL_HUB_BIND` (TLS listeners, `0.0.0.0`) and `VIGIL_HUB_MQTT_PORT` (plain
 * MQTT, off unless set, on `VIGIL_HUB_MQTT_BIND` or `127.0.0.1`; a non-loopback address also needs
 * `VIGIL_HUB_MQTT_INSECURE_ALLOW_NON_LOOPBACK=true`). Prints one JSON line with the bound addresses
 * once listening.
 */
import { runHub } from './composition/index.js';

const env = process.env;
const port = (
  value: string | undefined,
  fallback: number | false,
  host = env.VIGIL_HUB_BIND ?? '0.0.0.0',
): { port: number; host: string } | false => {
  const chosen = value === undefined ? fallback : value === 'off' ? false : Number(value);
  return chosen === false ? false : { port: chosen, host };
};
const plain = port(env.VIGIL_HUB_MQTT_PORT, false, env.VIGIL_HUB_MQTT_BIND ?? '127.0.0.1');

await runHub({
  dataDir: env.VIGIL_HUB_DATA_DIR ?? './vigil-data',
  hostName: env.VIGIL_HUB_HOST_NAME ?? 'localhost',
  listeners: {
    mqtts: port(env.VIGIL_HUB_MQTTS_PORT, 8883),
    wss: port(env.VIGIL_HUB_WSS_PORT, 443),
    mqtt:
      plain === false
        ? false
        : { ...plain, insecureAllowNonLoopback: env.VIGIL_HUB_MQTT_INSECURE_ALLOW_NON_LOOPBACK === 'true' },
  },
  onReady: (hub) => process.stdout.write(`${JSON.stringify({ ready: true, addresses: hub.addresses })}\n`),
});
