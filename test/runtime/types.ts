// Public types of the headless runtime's JS API.

/** What a test's HTTP handler receives: what the wire would carry (Secret headers in clear). */
export interface HttpRequest {
	url: string;
	method: string;
	headers: Record<string, string>;
	body?: string;
}

/** Engine-level failures RequestAsync reports as `HttpError: <name>`. */
export type HttpErrorName =
	"ConnectFail" | "Timedout" | "DnsResolve" | "NetFail" | "SslConnectFail" | "InvalidUrl" | "Aborted" | "Unknown";

/** A handler's answer. `delay` is latency in virtual seconds (default 0). */
export type HttpResponse =
	| { status: number; body?: string; headers?: Record<string, string>; delay?: number }
	| { error: HttpErrorName | string; delay?: number };

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
	/** HttpService:GetSecret(name) values. */
	secrets?: Record<string, string>;
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
	launchData?: string;
	teleportData?: unknown;
	sourcePlaceId?: number;
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
