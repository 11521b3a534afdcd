export { createSecretBox, type SecretBox } from './secret-box.js';
export { loadOrCreateKeyFile, DEFAULT_KEY_FILE_NAME } from './key-file.js';
