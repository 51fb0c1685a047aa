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

/**
 * Reads the one-time token from `LaunchData`. The official SDK expects `playwave_<uuid>`, the API docs
 * show a bare UUID: both are accepted and the bare UUID is sent. Surrounding whitespace is ignored.
 */
export function parseLaunchData(launchData: unknown): LaunchToken {
	if (launchData === undefined) return { kind: "none" };
	if (!typeIs(launchData, "string")) return { kind: "invalid" };
	const text = launchData.match("^%s*(.-)%s*$")[0] as string;
	if (text === "") return { kind: "none" };
	const candidate = text.sub(1, PREFIX.size()).lower() === PREFIX ? text.sub(PREFIX.size() + 1) : text;
	return isUuid(candidate) ? { kind: "ott", ott: candidate } : { kind: "invalid" };
}
