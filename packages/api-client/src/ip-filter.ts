/** The hub's IP filter (`/api/hub/ip-filter`, reference/iothub-mqtt.md §5.3). */
import { HUB, ifMatchHeader, type Requester } from './request.js';

/** What a rule, or the default, does with a connection. */
export type IpFilterAction = 'accept' | 'reject';

/** One IP filter rule: `ipMask` is an IPv4/IPv6 address or CIDR block. */
export interface IpFilterRule {
  readonly name: string;
  readonly action: IpFilterAction;
  readonly ipMask: string;
}

/** The IP filter: rules in order (the first match decides), then the default action. At most 10 rules. */
export interface IpFilter {
  readonly defaultAction: IpFilterAction;
  readonly rules: readonly IpFilterRule[];
}

/** The IP filter as read, with the etag a change can be based on. */
export interface IpFilterView extends IpFilter {
  readonly etag: string;
}

/** Reads and replaces the IP filter. */
export class IpFilterApi {
  readonly #request: Requester;

  constructor(request: Requester) {
    this.#request = request;
  }

  /** The IP filter. */
  get(): Promise<IpFilterView> {
    return this.#request('GET', `${HUB}/ip-filter`);
  }

  /** Replaces the IP filter; `PRECONDITION_FAILED` when `ifMatch` is stale, every bad rule listed. */
  set(filter: IpFilter, ifMatch?: string): Promise<IpFilterView> {
    return this.#request(
      'PUT',
      `${HUB}/ip-filter`,
      { defaultAction: filter.defaultAction, rules: filter.rules },
      ifMatchHeader(ifMatch),
    );
  }
}
