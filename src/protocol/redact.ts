/**
 * Returns a function that replaces every occurrence of a string API key with "[redacted]". A Secret
 * cannot be read back, so it cannot be redacted: text that could hold it is never printed at all (see
 * `maskKeyLike` and `describeFailure`).
 */
export function redactor(apiKey: unknown): (text: string) => string {
	if (!typeIs(apiKey, "string") || apiKey.size() < 4) return (text) => text;
	return (text) => {
		let result = text;
		let [start, finish] = result.find(apiKey, 1, true);
		while (start !== undefined && finish !== undefined) {
			result = result.sub(1, start - 1) + "[redacted]" + result.sub(finish + 1);
			[start, finish] = result.find(apiKey, start + 10, true);
		}
		return result;
	};
}

/** Runs this long or longer, mixing letters and digits, are treated as possible keys. */
const KEY_LIKE_MIN_LENGTH = 16;

/**
 * Masks everything shaped like a key: a run of at least 16 characters from letters, digits and `_-.+/=`
 * that holds both a letter and a digit (API keys, tokens, UUIDs). Used on server-supplied text and
 * config values, which are printed only with `debug` and only after this.
 */
export function maskKeyLike(text: string): string {
	return text.gsub("[%w_%-%.%+/=]+", (run: string) => {
		if (run.size() < KEY_LIKE_MIN_LENGTH) return run;
		if (run.find("%d")[0] === undefined || run.find("%a")[0] === undefined) return run;
		return `[masked ${run.size()} chars]`;
	})[0];
}

/** True when `maskKeyLike` would change nothing: the text holds nothing shaped like a key. */
export function looksKeyFree(text: string): boolean {
	return maskKeyLike(text) === text;
}
