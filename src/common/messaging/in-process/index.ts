// The in-process transport: the message bus of the all-in-one `tstack up` and of tests.

export { InProcessTransport } from './in-process-transport.js';
export type { InProcessTransportOptions } from './in-process-transport.js';
