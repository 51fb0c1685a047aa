import { HttpService } from "@rbxts/services";
import { Clock, RandomSource } from "./clock/Clock";
import { engineRandom, TaskClock } from "./clock/TaskClock";
import { Endpoint } from "./protocol/environments";
import { PlaywaveApi } from "./protocol/PlaywaveApi";
import { HeaderValue, RequestBuilder } from "./protocol/requests";
import { redactor } from "./protocol/redact";
import { ResponseParser } from "./protocol/responses";
import { HeartbeatLoad } from "./scheduler/HeartbeatLoad";
import { DEFAULT_SCHEDULER_CONFIG, RequestScheduler, SchedulerConfig } from "./scheduler/RequestScheduler";
import { DEFAULT_SESSION_TIMING, PlaywaveSession, SessionTiming } from "./session/PlaywaveSession";
import { HttpServiceTransport } from "./transport/HttpServiceTransport";
import { HttpTransport } from "./transport/HttpTransport";
import { jsonDecoderFrom, JsonService } from "./transport/json";

export interface PlaywaveConnectionOptions {
	/** The game's API key: a string, or a `Secret` from `HttpService:GetSecret`. Never logged. */
	readonly apiKey: HeaderValue;
	/** `{ environment: "dev" | "qa" | "live" }` or `{ baseUrl: "https://…/v1" }`. */
	readonly endpoint: Endpoint;
	/** Budget, concurrency and back-off of the shared request scheduler. */
	readonly scheduler?: Partial<SchedulerConfig>;
	/** Verify window, request timeout, end timeout, retry policy. */
	readonly timing?: Partial<SessionTiming>;
	/** Engine seams; the defaults use HttpService, `os.clock`/`task.delay` and `Random`. */
	readonly transport?: HttpTransport;
	readonly clock?: Clock;
	readonly random?: RandomSource;
	readonly json?: JsonService;
}

/**
 * Everything sessions share on one game server: the API, its single request scheduler, and timing.
 *
 * ```ts
 * const connection = new PlaywaveConnection({ apiKey: HttpService.GetSecret("playwave_api_key"), endpoint: { environment: "live" } });
 * const session = connection.createSession(player.UserId);
 * session.start(player.GetJoinData().LaunchData);
 * ```
 */
export class PlaywaveConnection {
	readonly scheduler: RequestScheduler;
	/** How many sessions are heart-beating, so intervals stretch when the share cannot carry them all. */
	readonly load: HeartbeatLoad;
	private readonly api: PlaywaveApi;
	private readonly clock: Clock;
	private readonly random: RandomSource;
	private readonly timing: SessionTiming;

	constructor(options: PlaywaveConnectionOptions) {
		this.clock = options.clock ?? new TaskClock();
		this.random = options.random ?? engineRandom();
		this.timing = { ...DEFAULT_SESSION_TIMING, ...options.timing };
		const redact = redactor(options.apiKey);
		const transport =
			options.transport ??
			new HttpServiceTransport(HttpService, this.clock, this.timing.requestTimeoutSec, redact);
		const schedulerConfig = { ...DEFAULT_SCHEDULER_CONFIG, ...options.scheduler };
		this.scheduler = new RequestScheduler(transport, this.clock, this.random, schedulerConfig);
		this.load = new HeartbeatLoad(schedulerConfig.requestsPerMinute);
		const parser = new ResponseParser(jsonDecoderFrom(options.json ?? HttpService), redact, this.timing.protocol);
		this.api = new PlaywaveApi(new RequestBuilder(options.endpoint, options.apiKey), this.scheduler, parser);
	}

	/** A session for one player. Call `start(launchData)` or `resume(id)` on it. */
	createSession(userId: number): PlaywaveSession {
		return new PlaywaveSession(userId, {
			api: this.api,
			clock: this.clock,
			random: this.random,
			timing: this.timing,
			load: this.load,
		});
	}

	/** Drops every queued and in-flight request. Sessions should be destroyed first. */
	destroy() {
		this.scheduler.destroy();
	}
}
