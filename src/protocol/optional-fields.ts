// Optional request fields, consumer and agent alike. Absent and JSON `null` both mean "unset": typed
// clients generated from Oracle's schema (Java, C#) serialise an unset Boolean or String as `null`,
// so refusing it would refuse their every call. A value of another type is still refused.
import { invalidField, type ErrorData } from '../errors.ts';

export type Valid<T> = { ok: true; value: T } | { ok: false; error: ErrorData };
export type Refusal = { ok: false; error: ErrorData };

export const isUnset = (v: unknown): v is undefined | null => v === undefined || v === null;

export const refuse = (field: string, shape: string): Refusal => ({ ok: false, error: invalidField(field, shape) });

/** 400 naming `field` when `v` is set and not of `type`; null when it is unset or of that type. */
export function wrongType(v: unknown, field: string, type: 'string' | 'boolean' | 'number', shape = `a ${type}`): Refusal | null {
  return isUnset(v) || typeof v === type ? null : refuse(field, shape);
}

// shared answers: reading a flag allocates nothing (the consumer post path reads two per post)
const YES: Valid<boolean> = Object.freeze({ ok: true, value: true });
const NO: Valid<boolean> = Object.freeze({ ok: true, value: false });

/** An optional boolean: its value, `dflt` when unset, 400 naming `field` otherwise. */
export function optionalBoolean(v: unknown, field: string, dflt: boolean): Valid<boolean> {
  if (isUnset(v)) return dflt ? YES : NO;
  if (typeof v === 'boolean') return v ? YES : NO;
  return refuse(field, 'a boolean');
}
