import { Clock, RandomSource } from "../clock/Clock";
import { engineRandom, TaskClock } from "../clock/TaskClock";
import { Endpoint } from "../protocol/environments";
import { Timing, TimingProfile } from "../protocol/timing";
import { PlaywaveApi } from "./PlaywaveApi";
import { HeaderValue, RequestBuilder } from "../protocol/requests";
import { redactor } from "../protocol/redact";
import { ResponseParser } from "../protocol/responses";
import { HeartbeatLoad } from "../scheduler/HeartbeatLoad";
import { DEFAULT_SCHEDULER_CONFIG, RequestScheduler, SchedulerConfig } from "../scheduler/RequestScheduler";
import { HttpServiceTransport } from "../transport/HttpServiceTransport";
import { HttpTransport } from "../transport/HttpTransport";
import { engineHttpService } from "../transport/engine";
import { jsonDecoderFrom, JsonService } from "../transport/json";

/** What the API client is built from; `PlaywaveConnection` passes its own options through. */
export interface ApiClientOptions {
	/** The game's API key: a string, or a `Secret` from `HttpService:GetSecret`. Never logged. */
	readonly apiKey: HeaderValue;
	/** `{ environment: "dev" | "qa" | "live" }` or `{ baseUrl: "https://…/v1" }`. */
	readonly endpoint: Endpoint;
	/** Budget, concurrency and back-off of the shared request scheduler. */
	readonly scheduler?: Partial<SchedulerConfig>;
	/** The transport's request timeout, in seconds. Default 10. */
	readonly requestTimeoutSec?: number;
	/** The protocol's clock rules the replies are read with (scaled in a play-test). Default the real ones. */
	readonly protocol?: TimingProfile;
	/** Engine seams; the defaults use HttpService, `os.clock`/`task.delay` and `Random`. */
	readonly transport?: HttpTransport;
	readonly clock?: Clock;
	readonly random?: RandomSource;
	readonly json?: JsonService;
}

/**
 * The API client: the three PlayWave calls as typed operations (`api`), over the one request scheduler
 * of this game server, its transport and the response parser. Sessions reach PlayWave only through it.
 */
export class ApiClient {
	readonly api: PlaywaveApi;
	readonly scheduler: RequestScheduler;
	/** How many sessions are heart-beating, so intervals stretch when the share cannot carry them all. */
	readonly load: HeartbeatLoad;
	readonly clock: Clock;
	readonly random: RandomSource;

	constructor(options: ApiClientOptions) {
		this.clock = options.clock ?? new TaskClock();
		this.random = options.random ?? engineRandom();
		const redact = redactor(options.apiKey);
		const transport =
			options.transport ??
			new HttpServiceTransport(engineHttpService(), this.clock, options.requestTimeoutSec ?? 10, redact);
		const schedulerConfig = { ...DEFAULT_SCHEDULER_CONFIG, ...options.scheduler };
		this.scheduler = new RequestScheduler(transport, this.clock, this.random, schedulerConfig);
		this.load = new HeartbeatLoad(schedulerConfig.requestsPerMinute);
		const protocol = options.protocol ?? Timing;
		const parser = new ResponseParser(jsonDecoderFrom(options.json ?? engineHttpService()), redact, protocol);
		this.api = new PlaywaveApi(new RequestBuilder(options.endpoint, options.apiKey), this.scheduler, parser);
	}

	/** Drops every queued and in-flight request. */
	destroy() {
		this.scheduler.destroy();
	}
}
