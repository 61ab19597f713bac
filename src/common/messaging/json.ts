// JSON value types. Everything that crosses the bus is JSON, as in oslo.messaging, so both
// transports hand endpoints fresh decoded copies and never shared objects.

type JsonPrimitive = null | boolean | number | string;

export type JsonValue = JsonPrimitive | readonly JsonValue[] | JsonObject;

export interface JsonObject {
  readonly [key: string]: JsonValue;
}
