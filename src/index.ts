/**
 * @rbxts/playwave — server-side PlayWave SDK for Roblox.
 *
 * The curated public surface. Engine seams (`HttpTransport`, `Clock`) are exported so a game can
 * test its own integration with fakes.
 */
export { PlaywaveConnection } from "./PlaywaveConnection";
export type { PlaywaveConnectionOptions } from "./PlaywaveConnection";
export { PlaywaveSession, DEFAULT_SESSION_TIMING } from "./session/PlaywaveSession";
export type { SessionTiming, SessionDependencies } from "./session/PlaywaveSession";
export { TRANSITIONS, isTerminal } from "./session/SessionState";
export type { SessionState, SessionStatus, RejectReason, LostCode, EndResult } from "./session/SessionState";
export { DEFAULT_RETRY, retryDelay } from "./scheduler/RetryPolicy";
export type { RetryPolicy } from "./scheduler/RetryPolicy";
export { RequestScheduler, DEFAULT_SCHEDULER_CONFIG } from "./scheduler/RequestScheduler";
export type { RequestPriority, SchedulerConfig, SchedulerStats, Withdraw } from "./scheduler/RequestScheduler";
export { PlaywaveApi } from "./protocol/PlaywaveApi";
export { RequestBuilder, Paths } from "./protocol/requests";
export type { ApiRequest, HeaderValue } from "./protocol/requests";
export { ResponseParser } from "./protocol/responses";
export type { RawResponse, JsonDecoder } from "./protocol/responses";
export { BASE_URLS, baseUrlOf } from "./protocol/environments";
export type { Endpoint, PlaywaveEnvironment } from "./protocol/environments";
export { parseLaunchData } from "./protocol/launchData";
export type { LaunchToken } from "./protocol/launchData";
export { Timing, heartbeatIntervalFrom, scaledTiming } from "./protocol/timing";
export type { TimingProfile } from "./protocol/timing";
export { describeFailure, isTransient, mayHaveActed, VERIFY_REJECT_REASONS } from "./protocol/outcomes";
export type {
	ApiFailure,
	VerifyOutcome,
	HeartbeatOutcome,
	EndOutcome,
	VerifyRejectReason,
	SessionLostCode,
	AlreadyGoneCode,
} from "./protocol/outcomes";
export { HttpServiceTransport } from "./transport/HttpServiceTransport";
export type { HttpServiceLike } from "./transport/HttpServiceTransport";
export { classifyRequestError } from "./transport/HttpTransport";
export type { HttpTransport, TransportResult, TransportFailure } from "./transport/HttpTransport";
export { jsonDecoderFrom } from "./transport/json";
export { TaskClock, engineRandom } from "./clock/TaskClock";
export type { Clock, Cancel, RandomSource } from "./clock/Clock";
export { Playwave, createPlaywave, PLAYTEST_REFUSED } from "./server/Playwave";
export { PlaywaveServer, HANDOVER_KEY } from "./server/PlaywaveServer";
export type { ServerPorts } from "./server/PlaywaveServer";
export type { PlayersPort, ShutdownPort, TeleportPort, NoticePort, LogPort, HostPort } from "./server/ports";
export { enginePorts, engineHost } from "./server/engine";
export { resolveConfig, PlaywaveConfigError, DEFAULT_TEXTS, DEFAULT_ACTIONS } from "./server/config";
export type { PlaywaveConfig, PlaywaveTexts, PlaywaveActions, VerifyReason, ResolvedConfig } from "./server/config";
export { PlaywaveStandIn } from "./playtest/PlaywaveStandIn";
export type { StandInOptions, StandInRecord } from "./playtest/PlaywaveStandIn";
export { scaledSessionTiming } from "./playtest/timeScale";
export type { PlaytestConfig, PlaytestScenario } from "./playtest/scenarios";
export type { PlaywaveStats, RequestStats } from "./server/stats/PlaywaveStats";
export type { PlaywaveTotals, EndKind } from "./server/stats/SessionTally";
export type { ConnectionStatus, ConnectionCondition, ConnectionCause } from "./server/stats/ConnectionMonitor";
export type { RequestKind, RequestCounts, LastFailure, FailureClass } from "./transport/MeteredTransport";
export type { AnalyticsCounts } from "./server/analytics/OutcomeAnalytics";
export { ANALYTICS_EVENTS } from "./server/analytics/OutcomeAnalytics";
export type { PlaywaveOverlayConfig } from "./server/config";
export { PlaywaveOverlay } from "./client/PlaywaveOverlay";
export type { OverlayOptions } from "./client/PlaywaveOverlay";
export { PlaywaveNotices } from "./client/PlaywaveNotices";
export type { NoticeOptions, NoticeChannel } from "./client/PlaywaveNotices";
export type { NoticeKind, ServerMessage } from "./shared/messages";
