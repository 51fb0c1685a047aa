import { t } from "@rbxts/t";

/** One field of a table shape: a `t` check and how to say what it expects. */
export interface FieldRule {
	readonly check: t.check<unknown>;
	readonly expected: string;
}

export type Shape = Readonly<Record<string, FieldRule>>;

export function field(check: t.check<unknown>, expected: string): FieldRule {
	return { check, expected };
}

/** How a bad value is described: its type, plus the value itself when asked and short. */
function describe(value: unknown, showValues: boolean): string {
	if (value === undefined) return "nil";
	if (!showValues) return typeOf(value);
	if (typeIs(value, "string")) return value.size() <= 40 ? `"${value}"` : `a ${value.size()}-character string`;
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
	const showValues = options.showValues ?? true;
	if (!typeIs(value, "table")) return `${path}: expected a table, got ${describe(value, showValues)}`;
	const record = value as Record<string, unknown>;
	for (const [key, rule] of pairs(shape)) {
		const fieldValue = record[key];
		if (!rule.check(fieldValue)) {
			return `${path}.${key}: expected ${rule.expected}, got ${describe(fieldValue, showValues)}`;
		}
	}
	if (options.strict) {
		for (const [key] of pairs(record)) {
			if (!typeIs(key, "string") || shape[key] === undefined) return `${path}.${tostring(key)}: unknown field`;
		}
	}
	return undefined;
}
