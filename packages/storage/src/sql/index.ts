export * from './database.js';
export { Mutex } from './mutex.js';
export { openTransactionScope, type TransactionScope } from './transaction-scope.js';
