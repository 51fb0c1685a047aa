/**
 * Returns a function that replaces every occurrence of a string API key with "[redacted]". A Secret
 * cannot be read back, so it cannot leak and needs nothing.
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
