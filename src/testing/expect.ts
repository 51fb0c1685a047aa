/**
 * Comparisons for specs that show both values when they fail, where `expect(a >= b).to.equal(true)`
 * would only say "expected true, got false". Each raises at the spec's line.
 */

function show(value: unknown): string {
	if (typeIs(value, "string")) return `"${value}"`;
	if (typeIs(value, "table")) {
		const items = new Array<string>();
		for (const [, item] of pairs(value as object)) items.push(show(item));
		return `[${items.join(", ")}]`;
	}
	return tostring(value);
}

/** `actual >= minimum`. */
export function expectAtLeast(actual: number, minimum: number, what = "the value") {
	if (!(actual >= minimum)) error(`expected ${what} to be at least ${minimum}, got ${actual}`, 2);
}

/** `actual <= maximum`. */
export function expectAtMost(actual: number, maximum: number, what = "the value") {
	if (!(actual <= maximum)) error(`expected ${what} to be at most ${maximum}, got ${actual}`, 2);
}

/** `actual < limit`. */
export function expectBelow(actual: number, limit: number, what = "the value") {
	if (!(actual < limit)) error(`expected ${what} to be below ${limit}, got ${actual}`, 2);
}

/** `actual > limit`. */
export function expectAbove(actual: number, limit: number, what = "the value") {
	if (!(actual > limit)) error(`expected ${what} to be above ${limit}, got ${actual}`, 2);
}

/** `list` holds `item`; the message shows the whole list. */
export function expectIncludes<T extends defined>(list: ReadonlyArray<T>, item: T, what = "the list") {
	if (!list.includes(item)) error(`expected ${what} to include ${show(item)}, got ${show(list)}`, 2);
}

/** `text` contains `fragment` (plainly, no patterns). */
export function expectContains(text: string, fragment: string, what = "the text") {
	if (text.find(fragment, 1, true)[0] === undefined) {
		error(`expected ${what} to contain ${show(fragment)}, got ${show(text)}`, 2);
	}
}
