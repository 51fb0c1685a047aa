export { ManualClock, systemClock } from "./clock";
export type { Clock } from "./clock";
export { drawLatency, SERVER_HEADER } from "./faults";
export type { FaultEffect, FaultRule, FaultScope, LatencyDistribution, MalformedBody } from "./faults";
export type { ListenOptions, SimServer } from "./http";
export { DEFAULT_BASE_PATH, DEFAULT_TIMING, ERROR_STATUS, ROUTES } from "./protocol";
export type { Endpoint, EndReason, Environment, ErrorCode, HeartbeatResult, Timing, VerifyRejection } from "./protocol";
export type { RateLimit } from "./rate-limit";
export type { ReplyStyle } from "./replyStyle";
export { PlayWaveSimulator } from "./simulator";
export type {
	AddGameOptions,
	Configurable,
	HttpHandlerOptions,
	IssueOttOptions,
	Ledger,
	RequestRecord,
	SimRequest,
	SimResponse,
	SimulatorOptions,
	WireRequest,
	WireResponse,
} from "./simulator";
export type { LauncherMode, OttRecord, SessionRecord, SessionState } from "./world";
