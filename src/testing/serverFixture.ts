import { HttpService } from "@rbxts/services";
import { HostPort, OverlayPort } from "../ports/ports";
import { ApiRequest } from "../protocol/requests";
import { PlaywaveConfig } from "../server/config/PlaywaveConfig";
import { resolveConfig } from "../server/config/resolveConfig";
import { PlaywaveServer } from "../server/PlaywaveServer";
import { PlaywaveConnectionOptions } from "../session/PlaywaveConnection";
import { FakeHandoverStore } from "./FakeHandoverStore";
import { asPlayer, FakeEngine, FakePlayer } from "./FakePorts";
import { Envelope, FakeReply } from "./FakeTransport";
import { makeHarness, routes, TEST_KEY } from "./harness";
import { ManualClock } from "./ManualClock";

/** The session id the fake PlayWave hands out. */
export const SESSION = "gs_11111111-2222-4333-8444-555555555555";
/** Where the fixture's server sends its requests (the fake transport answers them). */
export const TEST_BASE_URL = "https://api.test/v1";

/** What the fake PlayWave answers, by endpoint (see `routes`). */
export type Replies = Parameters<typeof routes>[0];

/** A verify that accepts the token with this PC-cafe status. */
export function verifiedAs(isPcCafe: boolean): FakeReply {
	return Envelope.ok({ is_valid: true, game_session_id: SESSION, is_pc_cafe: isPcCafe });
}

/** A verify that accepts the token as a PC-cafe session (usable as a route: it takes no argument). */
export function verified(): FakeReply {
	return verifiedAs(true);
}

/** A heartbeat accepted, the next one asked for in 120 s. */
export function beatOk(): FakeReply {
	return Envelope.ok({ result: "OK", next_heartbeat_in: 120, play_duration_sec: 0 });
}

/** An end confirmed, with the server's play time (the client's is 60 s). */
export function endReply(playDurationSec: number): FakeReply {
	return Envelope.ok({ result: "SUCCESS", play_duration_sec: playDurationSec, client_play_duration_sec: 60 });
}

/** An end confirmed after 60 s of play (usable as a route). */
export function endOk(): FakeReply {
	return endReply(60);
}

/** A PlayWave that verifies every token as a PC-cafe session and accepts every heartbeat and end. */
export const HAPPY_REPLIES: Replies = { verify: verified, heartbeat: beatOk, end: endOk };

/** A distinct, well-formed launch token per index. */
export function ott(index: number) {
	return string.format("%08x-6a4f-4c1b-9a53-2f9e8c1d7a10", index);
}

type Callbacks = Pick<
	PlaywaveConfig,
	"onVerified" | "onPcCafe" | "onChargeExhausted" | "onReplaced" | "onLost" | "onEnded"
>;

/**
 * Config callbacks that write each event into `calls` as a short line (`verified player1 true VERIFIED`,
 * `ended player1 Ended`, …); `only` keeps some of them.
 */
export function recordCalls(calls: Array<string>, only?: ReadonlyArray<keyof Callbacks>): Callbacks {
	const all: Required<Callbacks> = {
		onVerified: (player, isPcCafe, reason, detail) =>
			calls.push(`verified ${player.Name} ${isPcCafe} ${reason}${detail !== undefined ? ` ${detail}` : ""}`),
		onPcCafe: (player) => calls.push(`pcCafe ${player.Name}`),
		onChargeExhausted: (player) => calls.push(`chargeExhausted ${player.Name}`),
		onReplaced: (player) => calls.push(`replaced ${player.Name}`),
		onLost: (player, code) => calls.push(`lost ${player.Name} ${code}`),
		onEnded: (player, result) => calls.push(`ended ${player.Name} ${result.kind}`),
	};
	if (only === undefined) return all;
	const picked: Callbacks = {};
	for (const name of only) (picked as Record<string, unknown>)[name] = all[name];
	return picked;
}

export interface ServerFixtureOptions {
	/** How the fake PlayWave answers; `HAPPY_REPLIES` when neither this nor `handler` is given. */
	readonly replies?: Replies;
	/** Instead of `replies`: one handler (servers of one experience share it, with its request counts). */
	readonly handler?: (request: ApiRequest) => FakeReply;
	/** Added to a config with the test key and base URL. */
	readonly config?: Partial<PlaywaveConfig>;
	/** The connection's scheduler settings (only `Playwave.start` takes them from the config). */
	readonly scheduler?: PlaywaveConnectionOptions["scheduler"];
	/** Several servers of one experience share one clock and one MemoryStore. */
	readonly clock?: ManualClock;
	readonly store?: FakeHandoverStore;
	/** Wire players and shutdown at once (as `Playwave.start` does). Default false. */
	readonly start?: boolean;
}

/**
 * A `PlaywaveServer` on fakes, wired as `createPlaywave` wires it: a connection on a manual clock and a
 * fake transport (jitter at its midpoint) whose warnings go to the fake engine's log.
 */
export function serverFixture(options: ServerFixtureOptions = {}) {
	let engine: FakeEngine | undefined;
	const { clock, transport, connection } = makeHarness(
		{ warn: (message) => engine!.warnings.push(message), scheduler: options.scheduler },
		options.clock,
	);
	engine = new FakeEngine(clock, options.store);
	transport.handler = options.handler ?? routes(options.replies ?? HAPPY_REPLIES);
	const resolved = resolveConfig({ apiKey: TEST_KEY, baseUrl: TEST_BASE_URL, ...options.config }, () =>
		error("no secrets here"),
	);
	if (!resolved.ok) error(tostring(resolved.error));
	const server = new PlaywaveServer(resolved.config, connection, engine.ports);
	if (options.start) server.start();
	return { clock, engine, transport, connection, server };
}

/** One server on fakes (not started), every config callback recorded in `calls`. */
export function setupServer(replies: Replies = HAPPY_REPLIES, extra: Partial<PlaywaveConfig> = {}) {
	const calls = new Array<string>();
	const fixture = serverFixture({ replies, config: { ...recordCalls(calls), ...extra } });
	return { ...fixture, calls };
}

/** Several servers of one experience: one clock, one MemoryStore, one PlayWave API. */
export function serverWorld(replies: Replies = HAPPY_REPLIES) {
	const clock = new ManualClock();
	const store = new FakeHandoverStore(clock);
	const handler = routes(replies);
	const addServer = (extra: Partial<PlaywaveConfig> = {}) => {
		const calls = new Array<string>();
		const config = { ...recordCalls(calls, ["onVerified", "onPcCafe", "onEnded"]), ...extra };
		const { engine, transport, server } = serverFixture({ clock, store, handler, config, start: true });
		return { engine, transport, server, calls };
	};
	return { clock, store, addServer };
}

/** One server of a `serverWorld`, started, with `onVerified`, `onPcCafe` and `onEnded` recorded in `calls`. */
export type WorldServer = ReturnType<ReturnType<typeof serverWorld>["addServer"]>;

/** The origin's half of the game's teleport: prepareForTeleport, then the player leaves with the TeleportData returned. */
export function departFrom(from: WorldServer, player: FakePlayer): Record<string, unknown> {
	const options = {} as TeleportOptions;
	from.server.prepareForTeleport(asPlayer(player), options);
	const data = { ...((options as unknown as { data?: Record<string, unknown> }).data ?? {}) };
	from.engine.leave(player);
	return data;
}

/** The game's teleport: prepareForTeleport, the player leaves, arrives with the TeleportData the client carried. */
export function teleport(
	from: WorldServer,
	to: WorldServer,
	player: FakePlayer,
	forge?: (data: Record<string, unknown>) => void,
): FakePlayer {
	const data = departFrom(from, player);
	forge?.(data);
	return to.engine.join(player.UserId, undefined, data);
}

/** The engine as `Playwave.start` sees it, on the fake engine: Studio or a live server, no secrets. */
export function fakeHost(engine: FakeEngine, studio: boolean, overlayPort?: () => OverlayPort): HostPort {
	return {
		isServer: () => true,
		isStudio: () => studio,
		getSecret: () => error("no secrets here"),
		wallClock: () => FakeEngine.EPOCH + engine.clock.now(),
		encodeJson: (value) => HttpService.JSONEncode(value),
		newUuid: () => HttpService.GenerateGUID(false),
		serverPorts: () => engine.ports,
		overlayPort,
	};
}
