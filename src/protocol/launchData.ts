/** What a player's `LaunchData` says about PlayWave. */
export type LaunchToken =
	/** No LaunchData: a normal player, not from the PlayWave launcher. No request is made. */
	| { kind: "none" }
	/** LaunchData that is neither a bare UUID nor `playwave_<uuid>`. No request is made. */
	| { kind: "invalid" }
	/** A one-time token to verify (always the bare UUID, whatever form the launcher used). */
	| { kind: "ott"; ott: string };

const PREFIX = "playwave_";
const UUID_PATTERN = "^%x%x%x%x%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$";

function isUuid(text: string) {
	return string.match(text, UUID_PATTERN)[0] !== undefined;
}

/** Index of the first non-whitespace byte at or after `from`, or undefined. One pass, no backtracking. */
function firstNonSpace(text: string, from: number, to: number, step: 1 | -1): number | undefined {
	for (let index = from; step === 1 ? index <= to : index >= to; index += step) {
		const byte = string.byte(text, index)[0];
		// Space, \t, \n, \v, \f, \r: what Lua's %s matches.
		if (byte !== 32 && (byte < 9 || byte > 13)) return index;
	}
	return undefined;
}

/**
 * Reads the one-time token from `LaunchData`. The official SDK expects `playwave_<uuid>`, the API docs
 * show a bare UUID: both are accepted and the bare UUID is sent, lower-cased (UUIDs are
 * case-insensitive and PlayWave issues them in lower case). Surrounding whitespace is ignored. Runs in
 * time linear in the length of the text, however it is made.
 */
export function parseLaunchData(launchData: unknown): LaunchToken {
	if (launchData === undefined) return { kind: "none" };
	if (!typeIs(launchData, "string")) return { kind: "invalid" };
	const size = launchData.size();
	const first = firstNonSpace(launchData, 1, size, 1);
	if (first === undefined) return { kind: "none" };
	const last = firstNonSpace(launchData, size, first, -1)!;
	// Nothing longer than the prefixed form can be a token: no need to look further.
	if (last - first + 1 > PREFIX.size() + 36) return { kind: "invalid" };
	const text = launchData.sub(first, last);
	const candidate = text.sub(1, PREFIX.size()).lower() === PREFIX ? text.sub(PREFIX.size() + 1) : text;
	return isUuid(candidate) ? { kind: "ott", ott: candidate.lower() } : { kind: "invalid" };
}
