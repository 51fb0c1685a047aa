/** The longest `game_session_id` the SDK accepts. PlayWave's are `gs_<uuid>` (39 characters). */
export const MAX_SESSION_ID_LENGTH = 128;

/**
 * The one definition of a valid `game_session_id`, used where one arrives (verify), where one is handed
 * over (the origin's record), and where one is resumed (the destination). PlayWave documents the shape
 * `gs_<uuid>` but promises nothing stricter, so the SDK accepts what can safely travel: 1 to 128
 * printable ASCII characters without spaces (letters, digits, punctuation).
 */
export function isValidSessionId(value: unknown): value is string {
	if (!typeIs(value, "string")) return false;
	const size = value.size();
	if (size < 1 || size > MAX_SESSION_ID_LENGTH) return false;
	return value.match("^[%w%p]+$")[0] !== undefined;
}
