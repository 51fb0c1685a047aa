import { ApiClient, ApiClientOptions } from "../api/ApiClient";
import { Endpoint } from "../protocol/environments";
import { PlaywaveSession } from "./PlaywaveSession";
import { DEFAULT_SESSION_TIMING, SessionTiming } from "./timing";

/** What a connection is built from: the key and where requests go. */
export interface PlaywaveConnectionOptions {
	/** The game's API key: a string, or a `Secret` from `HttpService:GetSecret`. Never logged. */
	readonly apiKey: string | Secret;
	/** Where requests go: `{ environment: "live" }` (or `"dev"`, `"qa"`), or `{ baseUrl: "https://…/v1" }`. */
	readonly endpoint: Endpoint;
	/**
	 * Where warnings for the developer go (each said once per connection). Default: the engine's `warn`
	 * with a `[Playwave]` prefix.
	 */
	readonly warn?: (message: string) => void;
	/**
	 * How the key was given, for the warning when PlayWave refuses it: e.g. `the secret "playwave_api_key"`.
	 * Never the key itself. Default: its kind and length.
	 */
	readonly keySource?: string;
	/** @internal The request scheduler's budget (the facade passes the config's). */
	readonly scheduler?: ApiClientOptions["scheduler"];
	/** @internal Verify window, request timeout, end timeout, retry policy (a play-test scales them). */
	readonly timing?: Partial<SessionTiming>;
	/** @internal Engine seams for specs: the defaults use HttpService, `os.clock`/`task.delay` and `Random`. */
	readonly transport?: ApiClientOptions["transport"];
	/** @internal */
	readonly clock?: ApiClientOptions["clock"];
	/** @internal */
	readonly random?: ApiClientOptions["random"];
	/** @internal */
	readonly json?: ApiClientOptions["json"];
}

/**
 * Everything the sessions of one game server share: the API client with its single request
 * scheduler, and the timing. For games that wire sessions themselves instead of using `Playwave.start`.
 *
 * @example
 * ```ts
 * const connection = new PlaywaveConnection({ apiKey: HttpService.GetSecret("playwave_api_key"), endpoint: { environment: "live" } });
 * const session = connection.createSession(player.UserId);
 * session.start(player.GetJoinData().LaunchData);
 * ```
 */
export class PlaywaveConnection {
	/** @internal The facade's shutdown widens its budget. */
	readonly scheduler: ApiClient["scheduler"];
	/** @internal How many sessions are heart-beating (specs read it). */
	readonly load: ApiClient["load"];
	/** @internal What went over the wire, for the facade's stats snapshot. */
	readonly meter: ApiClient["meter"];
	private readonly client: ApiClient;
	private readonly timing: SessionTiming;

	constructor(options: PlaywaveConnectionOptions) {
		this.timing = { ...DEFAULT_SESSION_TIMING, ...options.timing };
		this.client = new ApiClient({ ...options, protocol: this.timing.protocol });
		this.scheduler = this.client.scheduler;
		this.load = this.client.load;
		this.meter = this.client.meter;
	}

	/** A session for one player. Call `start(launchData)` or `resume(id)` on it. */
	createSession(userId: number): PlaywaveSession {
		const client = this.client;
		return new PlaywaveSession(userId, {
			api: client.api,
			clock: client.clock,
			random: client.random,
			timing: this.timing,
			load: client.load,
		});
	}

	/** Drops every queued and in-flight request. Sessions should be destroyed first. */
	destroy() {
		this.client.destroy();
	}
}
