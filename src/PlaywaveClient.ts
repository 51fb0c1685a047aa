import { HttpService } from "@rbxts/services";
import { Clock, RandomSource } from "./clock/Clock";
import { engineRandom, TaskClock } from "./clock/TaskClock";
import { Endpoint } from "./protocol/environments";
import { PlaywaveApi } from "./protocol/PlaywaveApi";
import { HeaderValue, RequestBuilder } from "./protocol/requests";
import { ResponseParser } from "./protocol/responses";
import { DEFAULT_SCHEDULER_CONFIG, RequestScheduler, SchedulerConfig } from "./scheduler/RequestScheduler";
import { DEFAULT_SESSION_TIMING, PlaywaveSession, SessionTiming } from "./session/PlaywaveSession";
import { HttpServiceTransport } from "./transport/HttpServiceTransport";
import { HttpTransport } from "./transport/HttpTransport";
import { jsonDecoderFrom, JsonService } from "./transport/json";

export interface PlaywaveClientOptions {
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
 * const client = new PlaywaveClient({ apiKey: HttpService.GetSecret("playwave_api_key"), endpoint: { environment: "live" } });
 * const session = client.createSession(player.UserId);
 * session.start(player.GetJoinData().LaunchData);
 * ```
 */
export class PlaywaveClient {
	readonly scheduler: RequestScheduler;
	private readonly api: PlaywaveApi;
	private readonly clock: Clock;
	private readonly random: RandomSource;
	private readonly timing: SessionTiming;

	constructor(options: PlaywaveClientOptions) {
		this.clock = options.clock ?? new TaskClock();
		this.random = options.random ?? engineRandom();
		this.timing = { ...DEFAULT_SESSION_TIMING, ...options.timing };
		const redact = redactor(options.apiKey);
		const transport =
			options.transport ??
			new HttpServiceTransport(HttpService, this.clock, this.timing.requestTimeoutSec, redact);
		this.scheduler = new RequestScheduler(transport, this.clock, this.random, {
			...DEFAULT_SCHEDULER_CONFIG,
			...options.scheduler,
		});
		const parser = new ResponseParser(jsonDecoderFrom(options.json ?? HttpService), redact);
		this.api = new PlaywaveApi(new RequestBuilder(options.endpoint, options.apiKey), this.scheduler, parser);
	}

	/** A session for one player. Call `start(launchData)` or `resume(id)` on it. */
	createSession(userId: number): PlaywaveSession {
		return new PlaywaveSession(userId, {
			api: this.api,
			clock: this.clock,
			random: this.random,
			timing: this.timing,
		});
	}

	/** Drops every queued and in-flight request. Sessions should be destroyed first. */
	destroy() {
		this.scheduler.destroy();
	}
}

/** Removes a string key from texts that might echo it (a Secret cannot be read, so cannot leak). */
function redactor(apiKey: HeaderValue): (text: string) => string {
	if (!typeIs(apiKey, "string") || apiKey.size() < 4) return (text) => text;
	return (text) => {
		let result = text;
		let [start, finish] = result.find(apiKey, 1, true);
		while (start !== undefined && finish !== undefined) {
			result = result.sub(1, start - 1) + "[redacted]" + result.sub(finish + 1);
			[start, finish] = result.find(apiKey, start + 10, true);
		}
		return result;
	};
}
