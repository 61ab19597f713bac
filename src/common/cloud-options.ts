// The [DEFAULT] section every tstack process reads: where data lives, which address to bind,
// which message bus to use. Service-specific options live in each service's config.ts.

import { defineGroup, stringOpt } from './config/index.js';
import { LOG_FORMATS } from './log/index.js';

export const cloudOptions = defineGroup('DEFAULT', {
  data_dir: stringOpt({ default: '.tstack', help: 'Directory for SQLite databases, Fernet keys, generated credentials and other state. Relative paths are resolved against the working directory.' }),
  bind_host: stringOpt({ default: '127.0.0.1', help: 'Address every API service listens on.' }),
  public_host: stringOpt({ help: 'Host name or address put in catalog URLs; defaults to bind_host (or 127.0.0.1 when binding to 0.0.0.0).' }),
  transport_url: stringOpt({ default: 'inprocess://', secret: true, help: 'Message bus: inprocess:// (one process) or rabbit://user:password@host:5672/ (multi-host).' }),
  region_name: stringOpt({ default: 'RegionOne', help: 'Region the services register their endpoints in.' }),
  log_level: stringOpt({ default: 'info', choices: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], help: 'Lowest level of log lines written to standard error. debug adds one line per API request (method, path, status, time); --debug on up and serve sets it.' }),
  log_format: stringOpt({ default: 'auto', choices: LOG_FORMATS, help: 'Log lines on standard error: text (one readable line per event), json (one JSON object per line, for log collectors), or auto: text when standard error is a terminal, json otherwise.' }),
});
