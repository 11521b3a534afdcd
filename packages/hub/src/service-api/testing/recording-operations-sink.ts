import type { HubOperation, OperationsSink } from '../../contract/index.js';

/** An in-memory stand-in for the gateway's operations sink: keeps every operation for assertions. */
export class RecordingOperationsSink implements OperationsSink {
  readonly recorded: HubOperation[] = [];

  record(operation: HubOperation): void {
    this.recorded.push(operation);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** The recorded operations with this name. */
  named(name: HubOperation['operation']): HubOperation[] {
    return this.recorded.filter((operation) => operation.operation === name);
  }
}
