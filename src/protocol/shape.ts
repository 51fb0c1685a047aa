import { t } from "@rbxts/t";
import { looksKeyFree } from "./redact";

/** One field of a table shape: a `t` check and how to say what it expects. */
export interface FieldRule<T = unknown> {
	readonly check: t.check<T>;
	readonly expected: string;
}

export type Shape = Readonly<Record<string, FieldRule>>;

export function field<T>(check: t.check<T>, expected: string): FieldRule<T> {
	return { check, expected };
}

/** The table type a shape describes, derived from its checks: a shape is declared once. */
export type ShapeType<S extends Shape> = { readonly [K in keyof S]: S[K] extends FieldRule<infer T> ? T : never };

/** Whether `value` fits `shape`: a type guard, so a fitting value is read without casts. */
export function fits<S extends Shape>(shape: S, value: unknown): value is ShapeType<S> {
	return shapeMismatch(shape, value, "value") === undefined;
}

/**
 * How a bad value is described: its type, plus the value itself only when asked, short, and holding
 * nothing shaped like a key. Off by default: a value from a server or a config may be the API key.
 */
export function describeValue(value: unknown, showValues = false): string {
	if (value === undefined) return "nil";
	if (!showValues) return typeOf(value);
	if (typeIs(value, "string")) {
		return value.size() <= 40 && looksKeyFree(value) ? `"${value}"` : `a ${value.size()}-character string`;
	}
	if (typeIs(value, "number") || typeIs(value, "boolean")) return `${typeOf(value)} ${tostring(value)}`;
	return typeOf(value);
}

/**
 * The first way `value` does not fit `shape`, named by its path (`data.result: expected a string, got
 * nil`), or undefined when it fits. `@rbxts/t` decides each field; this only names what failed, since
 * t 3.2 checks return no message. `strict` also rejects fields the shape does not know.
 */
export function shapeMismatch(
	shape: Shape,
	value: unknown,
	path: string,
	options: { strict?: boolean; showValues?: boolean } = {},
): string | undefined {
	const showValues = options.showValues ?? false;
	if (!typeIs(value, "table")) return `${path}: expected a table, got ${describeValue(value, showValues)}`;
	const record = value as Record<string, unknown>;
	for (const [key, rule] of pairs(shape)) {
		const fieldValue = record[key];
		if (!rule.check(fieldValue)) {
			return `${path}.${key}: expected ${rule.expected}, got ${describeValue(fieldValue, showValues)}`;
		}
	}
	if (options.strict) {
		for (const [key] of pairs(record)) {
			if (!typeIs(key, "string") || shape[key] === undefined) {
				// A name that could be a key pasted in the wrong place is described, not echoed.
				if (
					typeIs(key, "string") &&
					key.size() <= 40 &&
					key.match("^[%a_][%w_]*$")[0] !== undefined &&
					looksKeyFree(key)
				) {
					return `${path}.${key}: unknown field`;
				}
				const name = typeIs(key, "string") ? `a ${key.size()}-character name` : typeOf(key);
				return `${path}: unknown field (${name})`;
			}
		}
	}
	return undefined;
}
