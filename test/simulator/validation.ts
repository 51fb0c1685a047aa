/**
 * Request-body validation: everything here answers 400 BAD_REQUEST when it fails.
 * The protocol reference (shared/playwave-protocol.md, "POST /game/session/verify", "PATCH
 * /game/session/heartbeat", "DELETE /game/session/end") lists each body's fields; it is silent on
 * others, so the simulator takes the stricter reading and refuses a field it does not list.
 */

export type Validated<T> = { ok: true; value: T } | { ok: false; message: string };

export interface VerifyBody {
	ott: string;
	providerUserId: string;
}

export interface HeartbeatBody {
	gameSessionId: string;
	providerUserId: string;
}

export interface EndBody {
	gameSessionId: string;
	clientPlayDurationSec: number | null;
}

/**
 * A UUID in either case: the format check only. Lookup is by the exact string (PlayWave issues
 * lower-case tokens; an upper-case copy is another string to the API, so an unknown token).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * A Roblox UserId "as a string": the integer's canonical decimal form (no sign on positives, no
 * leading zeros, no exponent); negative ids are Studio's test players.
 */
const USER_ID = /^-?[1-9][0-9]{0,19}$/;

export function isUuid(text: string): boolean {
	return UUID.test(text);
}

/** Parses a JSON body that must be an object. */
export function parseJsonObject(body: string | undefined | null): Validated<Record<string, unknown>> {
	if (body === undefined || body === null || body.trim() === "") return fail("Request body is required");
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return fail("Request body is not valid JSON");
	}
	if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
		return fail("Request body must be a JSON object");
	}
	return { ok: true, value: parsed as Record<string, unknown> };
}

function fail(message: string): { ok: false; message: string } {
	return { ok: false, message };
}

/** A field the endpoint's documented body does not have. */
function unknownField(body: Record<string, unknown>, allowed: readonly string[]): Validated<never> | undefined {
	const extra = Object.keys(body).find((key) => !allowed.includes(key));
	return extra === undefined ? undefined : fail(`unknown field ${JSON.stringify(extra)}`);
}

function providerUserId(body: Record<string, unknown>): Validated<string> {
	const value = body.provider_user_id;
	if (value === undefined || value === null) return fail("provider_user_id is required");
	if (typeof value !== "string") return fail("provider_user_id must be a string");
	if (!USER_ID.test(value)) return fail("provider_user_id must be a decimal user id");
	return { ok: true, value };
}

function gameSessionId(body: Record<string, unknown>): Validated<string> {
	const value = body.game_session_id;
	if (value === undefined || value === null) return fail("game_session_id is required");
	if (typeof value !== "string" || value === "") return fail("game_session_id must be a non-empty string");
	return { ok: true, value };
}

export function validateVerify(body: Record<string, unknown>): Validated<VerifyBody> {
	const extra = unknownField(body, ["ott", "provider_user_id"]);
	if (extra) return extra;
	const ott = body.ott;
	if (ott === undefined || ott === null) return fail("ott is required");
	if (typeof ott !== "string") return fail("ott must be a string");
	if (!isUuid(ott)) return fail("ott must be a UUID");
	const user = providerUserId(body);
	if (!user.ok) return user;
	return { ok: true, value: { ott, providerUserId: user.value } };
}

export function validateHeartbeat(body: Record<string, unknown>): Validated<HeartbeatBody> {
	const extra = unknownField(body, ["game_session_id", "provider_user_id"]);
	if (extra) return extra;
	const id = gameSessionId(body);
	if (!id.ok) return id;
	const user = providerUserId(body);
	if (!user.ok) return user;
	return { ok: true, value: { gameSessionId: id.value, providerUserId: user.value } };
}

export function validateEnd(body: Record<string, unknown>): Validated<EndBody> {
	const extra = unknownField(body, ["game_session_id", "play_duration_sec"]);
	if (extra) return extra;
	const id = gameSessionId(body);
	if (!id.ok) return id;
	const duration = body.play_duration_sec;
	if (duration === undefined || duration === null) {
		return { ok: true, value: { gameSessionId: id.value, clientPlayDurationSec: null } };
	}
	if (typeof duration !== "number" || !Number.isInteger(duration) || duration < 0) {
		return fail("play_duration_sec must be a non-negative integer");
	}
	return { ok: true, value: { gameSessionId: id.value, clientPlayDurationSec: duration } };
}
