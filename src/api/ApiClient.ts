import { Clock, RandomSource } from "../clock/Clock";
import { engineRandom, TaskClock } from "../clock/TaskClock";
import { baseUrlOf, Endpoint } from "../protocol/environments";
import { PROTOCOL_TIMING, ProtocolTiming } from "../protocol/timing";
import { Warnings } from "../log/Warnings";
import { PlaywaveApi } from "./PlaywaveApi";
import { HeaderValue, RequestBuilder } from "../protocol/requests";
import { maskKeyLike, redactor } from "../protocol/redact";
import { ResponseParser } from "../protocol/responses";
import { HeartbeatLoad } from "../scheduler/HeartbeatLoad";
import { RequestScheduler } from "../scheduler/RequestScheduler";
import { DEFAULT_SCHEDULER_CONFIG, SchedulerConfig } from "../scheduler/SchedulerConfig";
import { HttpServiceTransport } from "../transport/HttpServiceTransport";
import { HttpTransport, TransportResult } from "../transport/HttpTransport";
import { Trouble } from "../scheduler/ClientBackoff";
import { ApiRequest } from "../protocol/requests";
import { engineHttpService } from "../transport/engine";
import { jsonDecoderFrom, JsonService } from "../transport/json";
import { MeteredTransport } from "../transport/MeteredTransport";

/** What the API client is built from; `PlaywaveConnection` passes its own options through. */
export interface ApiClientOptions {
	/** The game's API key: a string, or a `Secret` from `HttpService:GetSecret`. Never logged. */
	readonly apiKey: HeaderValue;
	/** `{ environment: "dev" | "qa" | "live" }` or `{ baseUrl: "https://…/v1" }`. */
	readonly endpoint: Endpoint;
	/** Budget, concurrency and back-off of the shared request scheduler. */
	readonly scheduler?: Partial<SchedulerConfig>;
	/** The protocol's clock rules the replies are read with (scaled in a play-test). Default the real ones. */
	readonly protocol?: ProtocolTiming;
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
	/** Engine seams; the defaults use HttpService, `os.clock`/`task.delay` and `Random`. */
	readonly transport?: HttpTransport;
	readonly clock?: Clock;
	readonly random?: RandomSource;
	readonly json?: JsonService;
}

/**
 * The API client: the three PlayWave calls as typed operations (`api`), over the one request scheduler
 * of this game server, its transport and the response parser; it tells the developer, once, when
 * PlayWave refuses the key or the requests. Sessions reach PlayWave only through it.
 */
export class ApiClient {
	readonly scheduler: RequestScheduler;
	/** How many sessions are heart-beating, so intervals stretch when the share cannot carry them all. */
	readonly load: HeartbeatLoad;
	readonly api: PlaywaveApi;
	readonly clock: Clock;
	readonly random: RandomSource;
	/** Warnings for the developer, once each per connection (one game server). */
	readonly warnings: Warnings;
	/** What went over the wire: requests a minute by kind, the last failure (for the stats snapshot). */
	readonly meter: MeteredTransport;

	constructor(private readonly options: ApiClientOptions) {
		this.clock = options.clock ?? new TaskClock();
		this.random = options.random ?? engineRandom();
		this.warnings = new Warnings(options.warn ?? ((message) => warn(`[Playwave] ${message}`)));
		const redact = redactor(options.apiKey);
		const transport = options.transport ?? new HttpServiceTransport(engineHttpService(), redact);
		this.meter = new MeteredTransport(transport, this.clock);
		const schedulerConfig = { ...DEFAULT_SCHEDULER_CONFIG, ...options.scheduler };
		this.scheduler = new RequestScheduler(this.meter, this.clock, this.random, schedulerConfig);
		this.scheduler.troubleStarted = (trouble, request, result) => this.onTrouble(trouble, request, result);
		this.load = new HeartbeatLoad(
			() => this.scheduler.heartbeatCapacity(),
			schedulerConfig.requestsPerMinute,
			(key, message) => this.warnings.once(key, message),
			(from) => this.scheduler.troubledSince(from),
		);
		const decode = jsonDecoderFrom(options.json ?? engineHttpService());
		this.decode = decode;
		const parser = new ResponseParser(decode, redact, options.protocol ?? PROTOCOL_TIMING, (key, message) =>
			this.warnings.once(key, message),
		);
		this.api = new PlaywaveApi(new RequestBuilder(options.endpoint, options.apiKey), this.scheduler, parser);
	}

	/**
	 * PlayWave refused the key (401/403) or the request shape (400): the whole client is paused with one
	 * probe at a time, and the developer is told once what to check. Only status, code and lengths are
	 * printed: never the key, nor server text that might echo it.
	 */
	private onTrouble(trouble: Trouble, request: ApiRequest, result: TransportResult) {
		if (trouble !== "refused" || result.kind !== "response") return;
		const status = result.status;
		const code = this.safeErrorCode(result.body);
		const answer = `HTTP ${status}${code !== undefined ? ` ${code}` : ""}, a ${result.body.size()}-byte body`;
		const where =
			"environment" in this.options.endpoint
				? `the "${this.options.endpoint.environment}" environment (${baseUrlOf(this.options.endpoint)})`
				: `the base URL ${maskKeyLike(baseUrlOf(this.options.endpoint))}`;
		const keySource = this.options.keySource ?? describeKey(this.options.apiKey);
		const after =
			"PlayWave requests are paused and retried one at a time; live sessions are kept while their TTL " +
			"allows, and everything resumes by itself once requests work again.";
		if (status === 400) {
			this.warnings.once(
				"refused400",
				`PlayWave rejected a ${request.endpoint} request as malformed (${answer}) at ${where}: ` +
					`check that baseUrl points at the PlayWave Game Server API (no proxy rewriting bodies) and ` +
					`that this SDK version matches the API. ${after}`,
			);
		} else {
			this.warnings.once(
				"refusedKey",
				`PlayWave refused the API key (${answer}) at ${where}: check that ${keySource} holds this ` +
					`game's key for that environment (keys differ between dev, qa and live), that it was not ` +
					`revoked or rotated, and that the game is active in PlayWave. ${after}`,
			);
		}
	}

	private readonly decode: ReturnType<typeof jsonDecoderFrom>;

	/** The error envelope's code when it looks like one (capitals and underscores), else nothing. */
	private safeErrorCode(body: string): string | undefined {
		const decoded = this.decode(body);
		if (!decoded.ok || !typeIs(decoded.value, "table")) return undefined;
		const problem = (decoded.value as { error?: unknown }).error;
		if (!typeIs(problem, "table")) return undefined;
		const code = (problem as { code?: unknown }).code;
		if (!typeIs(code, "string") || code.size() > 40) return undefined;
		return code.match("^[%u_]+$")[0] !== undefined ? code : undefined;
	}

	/** Drops every queued and in-flight request. Sessions should be destroyed first. */
	destroy() {
		this.scheduler.destroy();
	}
}

/** The key as a warning may name it: its kind and length, never its text. */
function describeKey(apiKey: unknown): string {
	if (typeIs(apiKey, "string")) return `the configured apiKey (a ${apiKey.size()}-character string)`;
	return "the configured API key Secret";
}
