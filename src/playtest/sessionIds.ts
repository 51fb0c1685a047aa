import { PlaytestScenario } from "./scenarios";

/** Every play-test session id starts with this, so no real id is ever taken for one. */
export const PLAYTEST_ID_PREFIX = "gs_pt-";

/** What a play-test session id carries, so a stand-in on another server can carry the session on. */
export interface DecodedSessionId {
	readonly scenario: PlaytestScenario;
	/** The player's UserId as sent (`provider_user_id`, a string). */
	readonly userId: string;
	/** Unix time of the verify, in seconds. */
	readonly startedUnixSec: number;
}

/**
 * `gs_pt-<scenario>-<user>-<start, unix ms>-<random>`: everything another server needs. `random` is
 * a hex string (its first 8 characters are used).
 */
export function encodeSessionId(
	scenario: PlaytestScenario,
	userId: string,
	startedUnixSec: number,
	random: string,
): string {
	const millis = (seconds: number) => tostring(math.floor(seconds * 1000 + 0.5));
	let code = "ok";
	if (scenario.kind === "chargeExhausted") code = `ce${millis(scenario.afterSec)}`;
	else if (scenario.kind === "replaced") code = `rp${millis(scenario.afterSec)}`;
	else if (scenario.kind === "lost") {
		code = `${scenario.code === "SESSION_NOT_FOUND" ? "nf" : "le"}${millis(scenario.afterSec)}`;
	}
	const user = userId.sub(1, 1) === "-" ? `m${userId.sub(2)}` : `u${userId}`;
	const started = tostring(math.floor(startedUnixSec * 1000));
	return `${PLAYTEST_ID_PREFIX}${code}-${user}-${started}-${random.sub(1, 8)}`;
}

/** The scenario, player and start an id carries; undefined for anything `encodeSessionId` did not make. */
export function decodeSessionId(id: string): DecodedSessionId | undefined {
	if (id.sub(1, PLAYTEST_ID_PREFIX.size()) !== PLAYTEST_ID_PREFIX) return undefined;
	const [code, amount, sign, user, started] = id
		.sub(PLAYTEST_ID_PREFIX.size() + 1)
		.match("^(%a%a)(%d*)%-([um])(%d+)%-(%d+)%-%x+$");
	if (code === undefined || user === undefined || started === undefined) return undefined;
	const afterSec = (tonumber(amount) ?? 0) / 1000;
	let scenario: PlaytestScenario | undefined;
	if (code === "ok") scenario = { kind: "ok" };
	else if (code === "ce") scenario = { kind: "chargeExhausted", afterSec };
	else if (code === "rp") scenario = { kind: "replaced", afterSec };
	else if (code === "nf") scenario = { kind: "lost", afterSec, code: "SESSION_NOT_FOUND" };
	else if (code === "le") scenario = { kind: "lost", afterSec, code: "SESSION_ENDED" };
	if (scenario === undefined) return undefined;
	return {
		scenario,
		userId: sign === "m" ? `-${user}` : tostring(user),
		startedUnixSec: (tonumber(started) as number) / 1000,
	};
}
