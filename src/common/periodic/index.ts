// Public surface of periodic tasks: a service declares `{ name, intervalSeconds, run }` and the
// service kit (common/service) starts them with the service and stops them with it.
export { PeriodicTasks } from './periodic-tasks.js';
export type { PeriodicTask, PeriodicTasksDeps, Timers } from './periodic-tasks.js';
