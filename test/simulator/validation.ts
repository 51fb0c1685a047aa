/**
 * Request-body validation: everything here answers 400 BAD_REQUEST when it fails.
 * Unknown extra fields are ignored.
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A Roblox UserId written as a decimal integer (negative ids are Studio test players). */
const USER_ID = /^-?[0-9]{1,20}$/;

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
	const ott = body.ott;
	if (ott === undefined || ott === null) return fail("ott is required");
	if (typeof ott !== "string") return fail("ott must be a string");
	if (!isUuid(ott)) return fail("ott must be a UUID");
	const user = providerUserId(body);
	if (!user.ok) return user;
	return { ok: true, value: { ott: ott.toLowerCase(), providerUserId: user.value } };
}

export function validateHeartbeat(body: Record<string, unknown>): Validated<HeartbeatBody> {
	const id = gameSessionId(body);
	if (!id.ok) return id;
	const user = providerUserId(body);
	if (!user.ok) return user;
	return { ok: true, value: { gameSessionId: id.value, providerUserId: user.value } };
}

export function validateEnd(body: Record<string, unknown>): Validated<EndBody> {
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
