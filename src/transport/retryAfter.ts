/**
 * A 429's `Retry-After` in seconds (RFC 9110 allows seconds or an HTTP date; only seconds are read, a
 * date falls back to the back-off). Header names are matched without regard to case.
 */
export function retryAfterOf(headers: Readonly<Record<string, string>> | undefined): number | undefined {
	if (headers === undefined) return undefined;
	for (const [name, value] of pairs(headers)) {
		if (!typeIs(name, "string") || name.lower() !== "retry-after") continue;
		const seconds = tonumber(tostring(value).match("^%s*(%d+%.?%d*)%s*$")[0]);
		return seconds !== undefined && seconds >= 0 ? seconds : undefined;
	}
	return undefined;
}
