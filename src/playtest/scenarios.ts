import { t } from "@rbxts/t";
import { TOKEN_REJECT_REASONS, TokenRejectReason } from "../protocol/outcomes";
import { describeValue, field, Shape, shapeMismatch } from "../protocol/shape";

/**
 * What a play-test player experiences. Times are PlayWave seconds after the verify (divided by the
 * play-test's `timeScale` on the wall clock). `isPcCafe` (default true) is what verify reports.
 */
export type PlaytestScenario =
	/** A PC-cafe session that stays OK until the player leaves. */
	| {
			/** A session that stays OK until the player leaves. */
			kind: "ok";
			/** What verify reports as `is_pc_cafe`. Default true. */
			isPcCafe?: boolean;
	  }
	/** The G-coin runs out after `afterSec`: CHARGE_EXHAUSTED, the 2-minute grace, then 410 (a kick). */
	| {
			/** The G-coin runs out: CHARGE_EXHAUSTED, the 2-minute grace, then 410 (a kick). */
			kind: "chargeExhausted";
			/** PlayWave seconds after the verify when the G-coin runs out. */
			afterSec: number;
			/** What verify reports as `is_pc_cafe`. Default true. */
			isPcCafe?: boolean;
	  }
	/** Another session starts on the same PC after `afterSec`: SESSION_REPLACED. */
	| {
			/** Another session starts on the same PC: SESSION_REPLACED. */
			kind: "replaced";
			/** PlayWave seconds after the verify when the other session starts. */
			afterSec: number;
			/** What verify reports as `is_pc_cafe`. Default true. */
			isPcCafe?: boolean;
	  }
	/**
	 * The session is gone after `afterSec`: 404 SESSION_NOT_FOUND (deleted) or 410 SESSION_ENDED (the
	 * launcher was closed; the default).
	 */
	| {
			/** The session is gone: 404 SESSION_NOT_FOUND or 410 SESSION_ENDED. */
			kind: "lost";
			/** PlayWave seconds after the verify when the session is gone. */
			afterSec: number;
			/** `SESSION_NOT_FOUND` (deleted) or `SESSION_ENDED` (the launcher was closed; the default). */
			code?: "SESSION_NOT_FOUND" | "SESSION_ENDED";
			/** What verify reports as `is_pc_cafe`. Default true. */
			isPcCafe?: boolean;
	  }
	/** Verify turns the token down with `reason`. */
	| {
			/** Verify turns the token down. */
			kind: "rejected";
			/** The reason verify gives. */
			reason: TokenRejectReason;
	  };

export type PlaytestScenarioKind = PlaytestScenario["kind"];

/**
 * The play-test section of the config: on when present (and `enabled` is not false). Studio only:
 * `Playwave.start` errors on a live server while it is on. Each player gets a fabricated launch token
 * leading into their scenario, answered by an in-game stand-in (no HTTP, no API key, no billing).
 *
 * @example
 * ```ts
 * Playwave.start({
 * 	playtest: {
 * 		timeScale: 60, // the 2-minute grace takes 2 s
 * 		players: { [-1]: { kind: "chargeExhausted", afterSec: 300 } }, // Player1
 * 	},
 * });
 * ```
 */
export interface PlaytestConfig {
	/** `false` keeps the section in the config but runs for real. Default true. */
	enabled?: boolean;
	/** PlayWave time runs this many times faster (60: the 2-minute grace takes 2 s). 1 to 3600, default 1. */
	timeScale?: number;
	/** What every player experiences unless `players` says otherwise. Default `{ kind: "ok" }`. */
	scenario?: PlaytestScenario;
	/** Per player, by UserId (Studio's test players are -1, -2, …). */
	players?: { [userId: number]: PlaytestScenario };
}

export interface ResolvedPlaytest {
	timeScale: number;
	scenario: PlaytestScenario;
	players: ReadonlyMap<number, PlaytestScenario>;
}

export const DEFAULT_SCENARIO: PlaytestScenario = { kind: "ok" };

const afterSec = field(t.numberConstrained(0, 1e7), "a number of seconds from 0 to 1e7");
const isPcCafe = field(t.optional(t.boolean), "a boolean");

const SCENARIO_SHAPES: Record<PlaytestScenarioKind, Shape> = {
	ok: { kind: field(t.literal("ok"), '"ok"'), isPcCafe },
	chargeExhausted: { kind: field(t.literal("chargeExhausted"), '"chargeExhausted"'), afterSec, isPcCafe },
	replaced: { kind: field(t.literal("replaced"), '"replaced"'), afterSec, isPcCafe },
	lost: {
		kind: field(t.literal("lost"), '"lost"'),
		afterSec,
		code: field(
			t.optional(t.literal("SESSION_NOT_FOUND", "SESSION_ENDED")),
			'"SESSION_NOT_FOUND" or "SESSION_ENDED"',
		),
		isPcCafe,
	},
	rejected: {
		kind: field(t.literal("rejected"), '"rejected"'),
		reason: field(
			t.literalList(TOKEN_REJECT_REASONS as Array<TokenRejectReason>),
			'"OTT_EXPIRED", "OTT_ALREADY_USED", "GAME_MISMATCH" or "NOT_CHARGEABLE"',
		),
	},
};

const KINDS = '"ok", "chargeExhausted", "replaced", "lost" or "rejected"';
const options = { strict: true, showValues: true };

/** The first way `value` is not a scenario, named by its path, or undefined. */
export function scenarioMismatch(value: unknown, path: string): string | undefined {
	if (!typeIs(value, "table")) return `${path}: expected a scenario table, got ${typeOf(value)}`;
	const kind = (value as { kind?: unknown }).kind;
	const shape = typeIs(kind, "string") ? SCENARIO_SHAPES[kind as PlaytestScenarioKind] : undefined;
	if (shape === undefined) {
		return `${path}.kind: expected ${KINDS}, got ${describeValue(kind, true)}`;
	}
	return shapeMismatch(shape, value, path, options);
}

const playtestShape: Shape = {
	enabled: field(t.optional(t.boolean), "a boolean"),
	timeScale: field(t.optional(t.numberConstrained(1, 3600)), "a number from 1 to 3600"),
	scenario: field(t.optional(t.table), "a scenario table"),
	players: field(t.optional(t.table), "a table of scenarios by UserId"),
};

/** Checks `config.playtest`; the first problem named by its path, or undefined. */
export function playtestMismatch(value: unknown, path: string): string | undefined {
	const problem = shapeMismatch(playtestShape, value, path, options);
	if (problem !== undefined) return problem;
	const config = value as PlaytestConfig;
	if (config.scenario !== undefined) {
		const scenarioProblem = scenarioMismatch(config.scenario, `${path}.scenario`);
		if (scenarioProblem !== undefined) return scenarioProblem;
	}
	if (config.players !== undefined) {
		for (const [userId, scenario] of pairs(config.players as Record<number, unknown>)) {
			const id = tonumber(userId);
			if (id === undefined || id % 1 !== 0) {
				return `${path}.players: expected UserIds (whole numbers) as keys, got ${describeValue(userId, true)}`;
			}
			const scenarioProblem = scenarioMismatch(scenario, `${path}.players[${id}]`);
			if (scenarioProblem !== undefined) return scenarioProblem;
		}
	}
	return undefined;
}

/** A checked `config.playtest` with defaults, or undefined when play-test mode is off. */
export function resolvePlaytest(config: PlaytestConfig | undefined): ResolvedPlaytest | undefined {
	if (config === undefined || config.enabled === false) return undefined;
	const players = new Map<number, PlaytestScenario>();
	if (config.players !== undefined) {
		for (const [userId, scenario] of pairs(config.players as Record<number, PlaytestScenario>)) {
			players.set(tonumber(userId) as number, scenario);
		}
	}
	return { timeScale: config.timeScale ?? 1, scenario: config.scenario ?? DEFAULT_SCENARIO, players };
}

/** The scenario a player gets: their own, else the default. */
export function scenarioFor(playtest: ResolvedPlaytest, userId: number): PlaytestScenario {
	return playtest.players.get(userId) ?? playtest.scenario;
}
