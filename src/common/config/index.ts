// Public surface of tstack's configuration library, the counterpart of oslo.config:
// typed options declared in code, loaded from tstack.conf, TSTACK_* variables and overrides.

export { ConfigError } from './errors.js';
export type { ConfigErrorFields, ConfigLocation } from './errors.js';
export { boolOpt, floatOpt, intOpt, listOpt, portOpt, stringOpt } from './options.js';
export type {
  AnyOption,
  BoolOptSpec,
  ListOptSpec,
  NumberOptSpec,
  Option,
  OptionKind,
  OptionValue,
  OptionValueType,
  PortOptSpec,
  StringOptSpec,
} from './options.js';
export { defineGroup } from './group.js';
export type { ConfigValues, GroupDefinition, OptionMap } from './group.js';
export { loadConfig } from './load-config.js';
export type { Config, LoadConfigOptions } from './load-config.js';
export { environmentVariableName } from './sources.js';
export type { ConfigOverrides, ConfigWarning, OverrideValue } from './sources.js';
export { renderConfig, SECRET_MASK } from './render-config.js';
export type { RenderConfigOptions } from './render-config.js';
export { renderSample } from './render-sample.js';
