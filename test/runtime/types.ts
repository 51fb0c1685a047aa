// Public types of the headless runtime's JS API.

/** What a test's HTTP handler receives: what the wire would carry (Secret headers in clear). */
export interface HttpRequest {
	url: string;
	method: string;
	headers: Record<string, string>;
	body?: string;
}

/**
 * Enum.HttpError items (Roblox page "HttpError") a handler can ask for; RequestAsync then raises the
 * engine's text, `HttpError: <item>` (`HttpError: Timedout` for TimedOut).
 */
export type HttpErrorName =
	| "InvalidUrl"
	| "DnsResolve"
	| "ConnectFail"
	| "OutOfMemory"
	| "TimedOut"
	| "TooManyRedirects"
	| "InvalidRedirect"
	| "NetFail"
	| "Aborted"
	| "SslConnectFail"
	| "SslVerificationFail"
	| "Unknown"
	| "ConnectionClosed"
	| "ServerProtocolError"
	| "CreatorEnvironmentsNotSupportedByService"
	| "InactivityTimeout"
	| "TooManyOutstandingRequests"
	| "InvalidRangeResponse";

/**
 * A handler's answer. `delay` is latency in virtual seconds (default 0; a TimedOut error without a
 * delay takes the request's whole timeout). An answer later than the request's timeout is a TimedOut.
 */
export type HttpResponse =
	| { status: number; body?: string; headers?: Record<string, string>; delay?: number }
	| { error: HttpErrorName; delay?: number };

/** A secret: its value and the domains it may be sent to (`*`, `*.example.com`, `api.example.com`). */
export interface SecretOption {
	value: string;
	domains: string[];
}

export type HttpHandler = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

/** A handler written in Luau: source of a chunk returning `function(request) -> response`. */
export interface LuauHttpHandler {
	luau: string;
}

export interface ServerOptions {
	/** Rojo project file the DataModel is built from. */
	project: string;
	studio?: boolean;
	httpEnabled?: boolean;
	placeId?: number;
	gameId?: number;
	jobId?: string;
	/**
	 * The game's secrets store (HttpService:GetSecret on a live server). A plain string is a secret
	 * usable with any domain. A Studio play-test (`studio: true`) never sees these.
	 */
	secrets?: Record<string, string | SecretOption>;
	/** Studio's local secrets: what GetSecret finds in a Studio play-test. */
	localSecrets?: Record<string, string | SecretOption>;
	/** Real milliseconds an async JS handler may take before its request counts as never answered (default 2000). */
	httpHandlerRealTimeoutMs?: number;
	http?: HttpHandler | LuauHttpHandler;
	httpBudgetPerMinute?: number;
	/** Echo this server's output to the console as it happens. */
	echo?: boolean;
	/**
	 * `Workspace.SignalBehavior`: when event handlers run (page "Deferred engine events"). Default: the
	 * world's `signalBehavior`, else `"Deferred"`, what template places are set to.
	 */
	signalBehavior?: SignalBehavior;
	/** Start a client for every player that joins (a join's `client` option overrides it). Default false. */
	clients?: boolean | ClientOptions;
	/** One-way latency of the emulated network between this server and its clients, virtual seconds (default 0.05). */
	networkLatency?: number;
}

/** Options of one player's client. */
export interface ClientOptions {
	/**
	 * Virtual seconds after the client starts before the core scripts have registered their SetCore
	 * names (until then SetCore/GetCore error, as the StarterGui page warns). Default 0.5.
	 */
	coreScriptsDelay?: number;
	/** Echo the client's output to the console (default: the server's `echo`). */
	echo?: boolean;
}

/** One StarterGui:SetCore call a client made. */
export interface CoreCall {
	time: number;
	name: string;
	/** Its arguments as plain values (instances as `{ $instance: fullName }`). */
	args: unknown[];
}

/** `Enum.SignalBehavior` as a server option: Default is Immediate today, so it is not offered. */
export type SignalBehavior = "Deferred" | "Immediate";

export type OutputLevel = "print" | "info" | "warning" | "error";

export interface OutputLine {
	level: OutputLevel;
	text: string;
	/** Virtual time of the line. */
	time: number;
}

export interface JoinOptions {
	userId: number;
	name?: string;
	displayName?: string;
	/** Always a string in GetJoinData (anything else is JSON-encoded); absent in a Studio play-test. */
	launchData?: string;
	/** Join data of a teleported player: TeleportData, SourcePlaceId, SourceGameId (default 0). */
	teleportData?: unknown;
	sourcePlaceId?: number;
	sourceGameId?: number;
	/** User ids teleported together (GetJoinData().Members, only for a group of two or more). */
	members?: number[];
	premium?: boolean;
	/** Run a client for this player (default: the server's `clients` option). */
	client?: boolean | ClientOptions;
}

export interface TeleportCall {
	time: number;
	placeId: number;
	userIds: number[];
	teleportData?: unknown;
	reservedServerAccessCode?: string;
	serverInstanceId?: string;
	shouldReserveServer?: boolean;
	outcome: "success" | "throw" | "initFailed";
	/** Server the players were moved to, when one of the world's servers has the target place. */
	destination?: string;
}

/** How a teleport should fail: `throw` makes TeleportAsync error, `initFailed` fires TeleportInitFailed. */
export interface TeleportFailure {
	mode?: "throw" | "initFailed";
	message?: string;
	/** Enum.TeleportResult item name for TeleportInitFailed (default "Failure"). */
	result?: string;
}

export interface RemoteFire {
	time: number;
	/** Full name of the RemoteEvent/RemoteFunction. */
	remote: string;
	userIds: number[];
	args: unknown[];
}

/** Structured results the spec bootstrap reports through HeadlessRuntime:ReportResults. */
export interface SpecResults {
	passed: number;
	failed: number;
	skipped: number;
	failures: { path: string; message: string }[];
	loadErrors: string[];
	/** True when these come from the specs that finished before the bootstrap stopped. */
	partial?: boolean;
}

/** One finished spec, reported by the bootstrap as it goes (TestEZ status: Success, Failure, Skipped). */
export interface SpecOutcome {
	path: string;
	status: string;
	message: string;
}
