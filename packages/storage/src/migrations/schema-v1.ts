/**
 * Version 1 of Vigil's schema, written once for both dialects. Tokens stand for the few type names
 * that differ: `{{serial_pk}}` (an auto-assigned integer key), `{{int_pk}}` (an integer key the code
 * assigns), `{{bytes}}` (raw bytes). Times are epoch milliseconds in BIGINT columns; JSON documents
 * are TEXT so both engines store them the same way.
 */
export const SCHEMA_V1: readonly string[] = [
  `CREATE TABLE store_meta (meta_key TEXT PRIMARY KEY, meta_value TEXT NOT NULL)`,

  `CREATE TABLE identities (
    device_id TEXT NOT NULL, module_id TEXT NOT NULL, auth_type TEXT NOT NULL,
    primary_key TEXT, secondary_key TEXT, primary_thumbprint TEXT, secondary_thumbprint TEXT,
    status TEXT NOT NULL, status_reason TEXT, etag TEXT NOT NULL,
    connection_state TEXT NOT NULL, connection_state_updated_at BIGINT, last_activity_at BIGINT,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
    PRIMARY KEY (device_id, module_id))`,
  `CREATE INDEX identities_primary_thumbprint ON identities (primary_thumbprint)`,
  `CREATE INDEX identities_secondary_thumbprint ON identities (secondary_thumbprint)`,

  `CREATE TABLE ca_certificates (
    name TEXT PRIMARY KEY, pem TEXT NOT NULL, thumbprint TEXT NOT NULL, is_verified INTEGER NOT NULL,
    etag TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)`,

  `CREATE TABLE hub_settings (id INTEGER PRIMARY KEY, document TEXT NOT NULL, etag TEXT NOT NULL, updated_at BIGINT NOT NULL)`,

  `CREATE TABLE twins (
    device_id TEXT NOT NULL, module_id TEXT NOT NULL, tags TEXT NOT NULL, desired TEXT NOT NULL,
    reported TEXT NOT NULL, desired_version BIGINT NOT NULL, reported_version BIGINT NOT NULL,
    version BIGINT NOT NULL, etag TEXT NOT NULL, updated_at BIGINT NOT NULL,
    PRIMARY KEY (device_id, module_id))`,

  `CREATE TABLE c2d_messages (
    seq {{serial_pk}}, id TEXT NOT NULL UNIQUE, device_id TEXT NOT NULL, message_id TEXT,
    body {{bytes}} NOT NULL, properties TEXT NOT NULL, state TEXT NOT NULL, delivery_count INTEGER NOT NULL,
    enqueued_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)`,
  `CREATE INDEX c2d_messages_queue ON c2d_messages (device_id, state, seq)`,

  `CREATE TABLE operations (
    id {{serial_pk}}, source_id TEXT UNIQUE, at BIGINT NOT NULL, operation TEXT NOT NULL,
    device_id TEXT, module_id TEXT, source_address TEXT, outcome TEXT NOT NULL, reason TEXT, details TEXT NOT NULL)`,
  `CREATE INDEX operations_at ON operations (at)`,
  `CREATE INDEX operations_device ON operations (device_id, at)`,

  `CREATE TABLE security_events (
    id {{serial_pk}}, event_id TEXT NOT NULL UNIQUE, device_id TEXT NOT NULL, module_id TEXT,
    name TEXT NOT NULL, category TEXT NOT NULL, event_type TEXT NOT NULL, at BIGINT NOT NULL,
    received_at BIGINT NOT NULL, payload TEXT NOT NULL, ingest_id TEXT)`,
  `CREATE INDEX security_events_device ON security_events (device_id, at)`,
  `CREATE INDEX security_events_received ON security_events (received_at)`,

  `CREATE TABLE device_states (
    device_id TEXT PRIMARY KEY, security_group TEXT NOT NULL, last_message_at BIGINT,
    state TEXT NOT NULL, version BIGINT NOT NULL, updated_at BIGINT NOT NULL)`,
  `CREATE INDEX device_states_last_message ON device_states (last_message_at)`,

  `CREATE TABLE alerts (
    id {{serial_pk}}, type_id TEXT NOT NULL, device_id TEXT NOT NULL, alert_key TEXT NOT NULL,
    severity TEXT NOT NULL, status TEXT NOT NULL, title TEXT NOT NULL, first_seen_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL, occurrences INTEGER NOT NULL, evidence TEXT NOT NULL,
    remediation TEXT NOT NULL, updated_at BIGINT NOT NULL)`,
  `CREATE INDEX alerts_dedup ON alerts (type_id, device_id, alert_key, status)`,
  `CREATE INDEX alerts_status ON alerts (status, last_seen_at)`,
  `CREATE TABLE alert_history (
    id {{serial_pk}}, alert_id BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    at BIGINT NOT NULL, action TEXT NOT NULL, actor TEXT, note TEXT)`,
  `CREATE INDEX alert_history_alert ON alert_history (alert_id, id)`,
  `CREATE TABLE alert_occurrences (occurrence_key TEXT PRIMARY KEY, alert_id BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE)`,

  `CREATE TABLE recommendations (
    id {{serial_pk}}, type_id TEXT NOT NULL, device_id TEXT NOT NULL, rec_key TEXT NOT NULL,
    severity TEXT NOT NULL, state TEXT NOT NULL, details TEXT NOT NULL, raised_at BIGINT NOT NULL,
    resolved_at BIGINT, updated_at BIGINT NOT NULL, UNIQUE (type_id, device_id, rec_key))`,

  `CREATE TABLE security_groups (name TEXT PRIMARY KEY, rules TEXT NOT NULL, etag TEXT NOT NULL, updated_at BIGINT NOT NULL)`,
  // Every hub has a group `default` (reference/azure-security-module.md §4.4).
  `INSERT INTO security_groups (name, rules, etag, updated_at) VALUES ('default', '[]', 'initial', 0)`,

  `CREATE TABLE threat_intel_feeds (
    name TEXT PRIMARY KEY, document TEXT NOT NULL, etag TEXT NOT NULL, last_loaded_at BIGINT,
    last_entry_count INTEGER, last_set_aside INTEGER, last_error TEXT, updated_at BIGINT NOT NULL)`,

  // The ingest log assigns ids from a counter row: taking its row lock orders appenders across
  // processes, so ids become visible in id order and a cursor never skips a late commit.
  `CREATE TABLE ingest_head (id INTEGER PRIMARY KEY, next_id BIGINT NOT NULL)`,
  `INSERT INTO ingest_head (id, next_id) VALUES (1, 1)`,
  `CREATE TABLE ingest_log (
    id {{int_pk}}, kind TEXT NOT NULL, device_id TEXT NOT NULL, module_id TEXT,
    received_at BIGINT NOT NULL, properties TEXT NOT NULL, body {{bytes}} NOT NULL)`,
  // No index on received_at: every index is paid per appended record; retention walks the log from its head instead.
  `CREATE TABLE ingest_cursors (group_name TEXT PRIMARY KEY, position BIGINT NOT NULL, consumer TEXT NOT NULL, updated_at BIGINT NOT NULL)`,
];
